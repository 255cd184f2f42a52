import { describe, expect, it } from "vitest";
import { Redactor, secretValues } from "../src/core/redact.js";
import { isSecretName, secretNames } from "../src/runner/secrets.js";

describe("secret names (decisions §12)", () => {
  it.each([
    "OPENAI_API_KEY",
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "TOKEN",
    "npm_config__auth",
    "npm_config_//registry.example.invalid/:_authToken",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "DB_PASSWORD",
    "MYSQL_PASSWD",
    "APIKEY",
    "SSH_PRIVATE_KEY",
    "GOOGLE_APPLICATION_CREDENTIALS",
    // decisions §12, updated (issue 19)
    "SMTP_PASS",
    "DB_PWD",
    "GPG_PASSPHRASE",
    "OPENAI_KEY",
    "STRIPE_KEY",
    "SESSION_COOKIE",
    "DEPLOY_PRIVATEKEY",
    "PRIVATE_KEY_PEM",
    "PASS",
  ])("%s holds a secret", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    "SSH_AUTH_SOCK",
    "XAUTHORITY",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "TOKENIZERS_PARALLELISM",
    "AUTH_MODE",
    "PATH",
    "HOME",
    "TOKEN_COUNT",
    "PWD",
    "OLDPWD",
    "GIT_AUTHOR_DATE",
    "GPG_KEY",
    "SSH_PUBLIC_KEY",
    "BYPASS",
    "PASSENGER_ROOT",
    "KEYMAP",
  ])("%s does not", (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it("counts a known token prefix whatever the variable's name", () => {
    const env = { MY_SETTING: "ghp_0123456789abcdefghij0123", OTHER: "sk-short", HOME: "/home/alice" };
    expect(secretNames(env)).toEqual(["MY_SETTING"]);
  });
});

describe("secret values (token formats)", () => {
  it.each([
    ["Stripe secret key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"],
    ["Stripe restricted key", "rk_test_4eC39HqLyjWDarjtT1zdp7dc"],
    ["npm token (36 characters)", `npm_${"a1B2c3D4e5".repeat(3)}abcdef`],
    ["Slack app token", "xapp-1-A0123456789-0123456789012-abcdef"],
    ["AWS temporary key id", "ASIAABCDEFGHIJKLMNOP"],
    ["SendGrid key", `SG.${"a".repeat(22)}.${"b".repeat(43)}`],
    ["Groq key", `gsk_${"A1".repeat(26)}`],
  ])("a %s counts whatever the variable's name, and is masked in any text", (_kind, token) => {
    expect(secretNames({ SOME_SETTING: token })).toEqual(["SOME_SETTING"]);
    expect(new Redactor().redact(`value ${token} end`)).toBe("value *** end");
  });

  it("an npm_ string that is not 36 characters long is no npm token", () => {
    for (const token of [`npm_${"a".repeat(35)}`, `npm_${"a".repeat(37)}`]) {
      expect(secretNames({ SOME_SETTING: token })).toEqual([]);
      expect(new Redactor().redact(token)).toBe(token);
    }
  });
});

describe("secretValues", () => {
  it("takes a value of 8 characters, not one of 7", () => {
    expect(secretValues({ API_TOKEN: "1234567" })).toEqual([]);
    expect(secretValues({ API_TOKEN: "12345678" })).toEqual(["12345678"]);
  });

  it("takes whole values of secret-holding variables, never short or common ones", () => {
    const env = {
      OPENAI_API_KEY: "sk-codexsmoke-canary-0123456789",
      TOKENIZERS_PARALLELISM: "false",
      SSH_AUTH_SOCK: "/run/user/1000/ssh-agent.sock",
      GIT_AUTHOR_NAME: "Alice Example",
      SHORT_TOKEN: "abc",
    };
    expect(secretValues(env)).toEqual(["sk-codexsmoke-canary-0123456789"]);
  });
});

describe("Redactor", () => {
  it("replaces every occurrence of a known value", () => {
    const r = new Redactor(["hunter2-canary"]);
    expect(r.redact("a=hunter2-canary b=hunter2-canary.")).toBe("a=*** b=***.");
  });

  it("replaces the longest value first, so a value containing another leaves no suffix", () => {
    const r = new Redactor(["abcdefgh", "abcdefgh-ijkl-mnop"]);
    expect(r.redact("x abcdefgh-ijkl-mnop y abcdefgh z")).toBe("x *** y *** z");
  });

  it("ignores values under 8 characters: 'false' or a port never turns into ***", () => {
    const r = new Redactor(["false", "8080", "1234567"]);
    expect(r.redact("enabled = false on 8080, 1234567")).toBe("enabled = false on 8080, 1234567");
    expect(new Redactor(["12345678"]).redact("x12345678y")).toBe("x***y");
  });

  it("masks token formats without being told", () => {
    expect(new Redactor().redact('{"OPENAI_API_KEY":"sk-lab-fake-not-a-secret"}')).toBe(
      '{"OPENAI_API_KEY":"***"}',
    );
    expect(new Redactor().redact("token ghp_0123456789abcdefghijABCD")).toBe("token ***");
    expect(new Redactor().redact("key AKIAABCDEFGHIJKLMNOP here")).toBe("key *** here");
    // Too short to be a key.
    expect(new Redactor().redact("sk-abc")).toBe("sk-abc");
  });

  it("keeps the Bearer prefix and masks the credential", () => {
    expect(new Redactor().redact("Authorization: Bearer abc.def-ghi_jkl")).toBe("Authorization: Bearer ***");
    expect(new Redactor().redact("authorization: bearer 0123456789")).toBe("authorization: bearer ***");
  });

  it("masks the body of a private-key block, keeping its BEGIN and END lines", () => {
    const pem = [
      "key:",
      "-----BEGIN OPENSSH PRIVATE KEY-----",
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
      "AAAAMwAAAAtzc2gtZWQyNTUxOQAAACDx",
      "-----END OPENSSH PRIVATE KEY-----",
      "after",
    ].join("\n");
    expect(new Redactor().redact(pem)).toBe(
      "key:\n-----BEGIN OPENSSH PRIVATE KEY-----***-----END OPENSSH PRIVATE KEY-----\nafter",
    );
  });

  it("masks a URL's user and password, keeping the host", () => {
    expect(new Redactor().redact("registry https://alice:s3cr3t-pass@npm.example.invalid/astro failed")).toBe(
      "registry https://***@npm.example.invalid/astro failed",
    );
  });

  it.each([
    [
      "a token as the user",
      "https://TOKEN123@npm.example.invalid/astro",
      "https://***@npm.example.invalid/astro",
    ],
    [
      "a token with an empty password",
      "https://TOKEN123:@npm.example.invalid/",
      "https://***@npm.example.invalid/",
    ],
    ["an empty user", "http://:hunter2@127.0.0.1:8080/x", "http://***@127.0.0.1:8080/x"],
    [
      "a token in the query",
      "https://h.invalid/astro?token=abc123&x=1",
      "https://h.invalid/astro?token=***&x=1",
    ],
    [
      "an access token",
      "https://h.invalid/a?x=1&access_token=abc",
      "https://h.invalid/a?x=1&access_token=***",
    ],
    [
      "a signed URL",
      "https://b.invalid/o?X-Amz-Signature=ab12cd#f",
      "https://b.invalid/o?X-Amz-Signature=***#f",
    ],
  ])("masks %s in a URL", (_kind, url, masked) => {
    expect(new Redactor().redact(`GET ${url} failed`)).toBe(`GET ${masked} failed`);
  });

  it("leaves an @ in a URL's path (a scoped package) alone", () => {
    const url = "https://npm.example.invalid/@scope%2fpkg?page=2";
    expect(new Redactor().redact(url)).toBe(url);
  });

  it("leaves ordinary text untouched", () => {
    const text =
      "sandbox: workspace-write [workdir] (network access enabled) /root/.cache/codex-smoke/x ~/.codex/auth.json";
    expect(new Redactor(["secret-value"]).redact(text)).toBe(text);
  });
});
