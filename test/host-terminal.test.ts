// Issue 19 / decisions §28, end to end: a live session's report (written by whoever runs in that session) carries
// escape sequences in every string an agent controls, and the report directory's name carries one too. Nothing
// reaches stdout, stderr or a report file raw.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { healthyFacts } from "./fixtures/facts/healthy.js";
import { loopbackRegistry, runArgs, runCli, withSetup } from "./helpers/audit.js";

const OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07";
const TITLE = "\x1b]0;all good\x07";
const CLEAR = "\x1b[2J\x1b[H";
const CSI8 = "\u009b2J";
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

describe("a live session's report with escape sequences", () => {
  it("is shown escaped in the console, stderr and every report file", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const registry = await loopbackRegistry();
        const staged = await runCli(["probe", "--stage", "--registry", registry], {
          env: setup.env,
          cwd: setup.project,
        });
        expect(staged.exitCode, staged.stderr).toBe(0);
        const input = JSON.parse(readFileSync(join(setup.project, ".codex-smoke", "input.json"), "utf8"));
        const report = healthyFacts().runner;
        report.nonce = input.nonce;
        report.env.secretNames = [`EVIL${OSC52}_TOKEN`, `X${CSI8}_SECRET`];
        report.git.add = { ok: false, code: "EROFS", detail: `fatal: ${CLEAR}Read-only file system` };
        report.authJson = [{ label: `auth${TITLE}`, path: "/x/auth.json", open: { ok: true, detail: CSI8 } }];
        writeFileSync(input.reports.local, JSON.stringify(report));
        const out = join(setup.root, `out${CLEAR}`);
        const result = await runCli(
          [
            ...runArgs(setup, "--probe-report", join(".codex-smoke", "report.local.json")),
            ...["--only", "runner.,fs.,env.", "--out", out, "--registry", registry],
            ...["--format", "console,json,junit,markdown,tap"],
          ],
          { env: setup.env, cwd: setup.project },
        );
        expect(result.stdout).toContain("visible inside: EVIL\\x1b]52;c;ZWNobyBwd25lZA==\\x07_TOKEN");
        expect(result.stdout).toContain(`report: ${join(setup.root, "out\\x1b[2J\\x1b[H")}`);
        expect(result.stdout).not.toMatch(RAW);
        expect(result.stderr).not.toMatch(RAW);
        const files = readdirSync(out);
        expect(files.length).toBeGreaterThanOrEqual(5);
        for (const name of files) expect(readFileSync(join(out, name), "utf8"), name).not.toMatch(RAW);
        const json = JSON.parse(readFileSync(join(out, "codex-smoke.json"), "utf8"));
        const secrets = json.results.find((r: { id: string }) => r.id === "env.secrets");
        expect(secrets.observed).toContain(`EVIL${OSC52}_TOKEN`);
      },
    );
  });
});
