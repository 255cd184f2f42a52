// The live-session door: `probe --stage` on the host, the runner run inside the sandbox (as the agent would in a
// running ./codex-auto session), then `run --probe-report` completes the report with the host-side checks.
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { audit, editFile, loopbackRegistry, runCli, withSetup } from "./helpers/audit.js";

const run = promisify(execFile);

describe("probe --stage, then run --probe-report", () => {
  it.each([
    { name: "the reference setup", breakIt: () => {}, expected: "pass" },
    {
      name: "a profile that lets auth.json be read",
      breakIt: (setup: { profileFile: string }) =>
        editFile(setup.profileFile, (t) => t.replace('"~/.codex/auth.json" = "none"', '"~/.codex" = "read"')),
      expected: "fail",
    },
  ] as const)("$name: fs.auth_json $expected", async ({ breakIt, expected }) => {
    await withSetup(breakIt, async (setup) => {
      const registry = await loopbackRegistry();
      const staged = await runCli(["probe", "--stage", "--registry", registry], {
        env: setup.env,
        cwd: setup.project,
      });
      expect(staged.exitCode, staged.stderr).toBe(0);
      expect(staged.stdout).toContain("node .codex-smoke/runner.mjs .codex-smoke/input.json local");
      expect(staged.stdout).toContain("node .codex-smoke/runner.mjs .codex-smoke/input.json net");
      const status = await run("git", ["status", "--porcelain"], { cwd: setup.project });
      expect(status.stdout).toBe("");

      // What the agent runs inside the live session: the same sandbox, through the user's launcher.
      for (const part of ["local", "net"]) {
        await run(
          setup.launcher,
          [
            "sandbox",
            "-P",
            setup.profileName,
            "-C",
            setup.project,
            "--",
            "node",
            ".codex-smoke/runner.mjs",
            ".codex-smoke/input.json",
            part,
          ],
          { cwd: setup.project, env: setup.env },
        );
      }
      const report = join(setup.project, ".codex-smoke", "report.local.json");
      expect(existsSync(report)).toBe(true);

      const result = await audit(setup, [
        "--probe-report",
        report,
        "--only",
        "runner.,fs.,env.,net.registry",
      ]);
      expect(result.status("fs.auth_json"), result.observed("fs.auth_json")).toBe(expected);
      expect(result.status("runner.report"), result.observed("runner.report")).toBe("pass");
      expect(result.status("fs.home_ephemeral"), result.observed("fs.home_ephemeral")).toBe("pass");
      expect(result.status("net.registry"), result.observed("net.registry")).toBe("pass");
      expect(readdirSync(setup.project)).not.toContain(".codex-smoke");
      expect(`${result.stdout}${result.files}`).not.toContain(setup.canary);
    });
  });
});
