// Issue 19: secrets (decisions §12, updated). A registry URL with a token as its userinfo printed the token in the
// console, the JSON, the Markdown and the runner's JSON; SMTP_PASS, DB_PWD, GPG_PASSPHRASE, OPENAI_KEY, STRIPE_KEY
// (sk_live_…) and SESSION_COOKIE were visible inside the sandbox while env.secrets passed.
import { describe, expect, it } from "vitest";
import { audit, loopbackRegistry, withSetup } from "./helpers/audit.js";

const TOKEN = "tok3nInUserinfo9f8e7d6c";
const SECRETS: Record<string, string> = {
  SMTP_PASS: "smtp-pass-value-4711",
  DB_PWD: "db-pwd-value-4712",
  GPG_PASSPHRASE: "gpg passphrase value 4713",
  OPENAI_KEY: "openai-key-value-4714",
  STRIPE_KEY: "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
  SESSION_COOKIE: "session-cookie-value-4715",
};

describe("secrets never reach an output", () => {
  it.each([
    ["a token as the user", (url: URL) => `${url.protocol}//${TOKEN}@${url.host}/`],
    ["a token with an empty password", (url: URL) => `${url.protocol}//${TOKEN}:@${url.host}/`],
  ])("--registry with %s; secret-named variables are counted by name", async (_form, withToken) => {
    await withSetup(
      () => {},
      async (setup) => {
        const registry = withToken(new URL(await loopbackRegistry()));
        const result = await audit(
          setup,
          ["--registry", registry, "--only", "net.registry,env.secrets,runner.report"],
          SECRETS,
        );
        expect(result.exitCode, result.stdout).toBe(0);
        // curl retrieves with the credentials; Node's fetch refuses a URL that carries any (a warn of its own).
        expect(result.observed("net.registry")).toContain("curl: ok (HTTP 200)");
        expect(result.observed("net.registry")).toContain("http://***@127.0.0.1:");
        expect(result.status("env.secrets")).toBe("warn");
        for (const name of Object.keys(SECRETS)) expect(result.observed("env.secrets")).toContain(name);
        const everything = `${result.stdout}\n${result.stderr}\n${result.files}`;
        expect(result.files).toContain("codex-smoke-runner");
        expect(everything).not.toContain(TOKEN);
        for (const value of Object.values(SECRETS)) expect(everything).not.toContain(value);
      },
    );
  });
});
