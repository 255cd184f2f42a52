import { describe, expect, it } from "vitest";
import { Redactor, secretValues } from "../src/redact.js";

describe("Redactor", () => {
  it("replaces every occurrence of a known value", () => {
    const r = new Redactor(["hunter2-canary"]);
    expect(r.redact("a=hunter2-canary b=hunter2-canary.")).toBe("a=*** b=***.");
  });

  it("replaces the longest value first, so a value containing another leaves no suffix", () => {
    const r = new Redactor(["abcd", "abcd-efgh-ijkl"]);
    expect(r.redact("x abcd-efgh-ijkl y abcd z")).toBe("x *** y *** z");
    // Added later, still ordered longest first.
    const later = new Redactor(["wxyz"]);
    later.add("wxyz-1234-5678");
    expect(later.redact("wxyz-1234-5678")).toBe("***");
  });

  it("ignores values under 4 characters (constructor and add)", () => {
    const r = new Redactor(["1", "ab", "xyz"]);
    r.add("q");
    r.add("");
    expect(r.redact("1 ab xyz q")).toBe("1 ab xyz q");
    r.add("abcd");
    expect(r.redact("abcde")).toBe("***e");
  });

  it("masks sk- tokens without being told", () => {
    expect(new Redactor().redact('{"OPENAI_API_KEY":"sk-lab-fake-not-a-secret"}')).toBe(
      '{"OPENAI_API_KEY":"***"}',
    );
    // Too short to be a key.
    expect(new Redactor().redact("sk-abc")).toBe("sk-abc");
  });

  it("keeps the Bearer prefix and masks the credential", () => {
    expect(new Redactor().redact("Authorization: Bearer abc.def-ghi_jkl")).toBe("Authorization: Bearer ***");
    expect(new Redactor().redact("authorization: bearer 0123456789")).toBe("authorization: bearer ***");
  });

  it("masks the body of a private-key block, keeping its BEGIN line", () => {
    const pem = [
      "key:",
      "-----BEGIN OPENSSH PRIVATE KEY-----",
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
      "AAAAMwAAAAtzc2gtZWQyNTUxOQAAACDx",
      "-----END OPENSSH PRIVATE KEY-----",
      "after",
    ].join("\n");
    const out = new Redactor().redact(pem);
    expect(out).toBe("key:\n-----BEGIN OPENSSH PRIVATE KEY-----***\nafter");
    expect(out).not.toContain("b3BlbnNzaC1rZXkt");
    expect(out).not.toContain("AAAAMwAAAAtzc2gt");
  });

  it("leaves ordinary text untouched", () => {
    const text = "sandbox: workspace-write [workdir] (network access enabled)";
    expect(new Redactor(["secret-value"]).redact(text)).toBe(text);
  });
});

describe("secretValues", () => {
  it("picks values of secret-looking names only", () => {
    const values = secretValues({
      OPENAI_API_KEY: "sk-one-value",
      GITHUB_TOKEN: "ghp-two-value",
      DB_PASSWORD: "three-value",
      MY_SECRET: "four-value",
      AWS_SECRET_ACCESS_KEY: "five-value",
      AUTH_HEADER: "six-value",
      SSH_PRIVATE_KEY: "seven-value",
      CREDENTIALS_FILE: "eight-value",
      HOME: "/home/alice",
      PATH: "/usr/bin:/bin",
      LANG: "C.UTF-8",
      EDITOR: "vim-value",
    });
    expect(values.sort()).toEqual(
      [
        "sk-one-value",
        "ghp-two-value",
        "three-value",
        "four-value",
        "five-value",
        "six-value",
        "seven-value",
        "eight-value",
      ].sort(),
    );
  });

  it("skips short and undefined values", () => {
    expect(secretValues({ GITHUB_TOKEN: "1", API_KEY: "", NPM_TOKEN: undefined, MY_TOKEN: "abcd" })).toEqual([
      "abcd",
    ]);
  });
});
