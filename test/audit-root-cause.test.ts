// Root cause first, with the real Codex: a runner that cannot run is one root cause plus the checks it leaves
// untested, and every fix names only what the setup really has.
import { describe, expect, it } from "vitest";
import type { CheckResult } from "../src/core/model.js";
import { audit, editFile, launcherAddsArgs, withSetup } from "./helpers/audit.js";
import { RUNNER_DEPENDENTS } from "./helpers/runner-dependents.js";

const FS_NET = ["--only", "runner.,fs.,net.,env.,banner.,config.,launcher.,host."];

describe("root cause first, on the real Codex", () => {
  it("a profile without Codex's package: runner.report with its fix, then every check that reads its report not tested", async () => {
    await withSetup(
      (s) => editFile(s.profileFile, (t) => t.replace(/^"[^"]*\/vendor" = "read"\n/m, "")),
      async (setup) => {
        const run = await audit(setup, FS_NET);
        const results = run.report?.results ?? [];
        const byId = (id: string) => results.find((r) => r.id === id) as CheckResult;
        expect(byId("runner.report").status).toBe("fail");
        expect(byId("runner.report").remediation).toMatch(/^Add ".*\/vendor" = "read" to the profile/);
        for (const id of RUNNER_DEPENDENTS) {
          expect(byId(id), id).toMatchObject({
            status: "error",
            observed: "not tested: runner.report failed",
            rootCause: "runner.report",
          });
        }
        expect(results.filter((r) => r.rootCause !== undefined)).toHaveLength(RUNNER_DEPENDENTS.length);
        const lines = run.stdout.split("\n");
        expect(lines.indexOf("root cause")).toBeGreaterThan(0);
        expect(lines.indexOf("root cause")).toBeLessThan(lines.indexOf("launcher"));
        expect(run.stdout).toContain(
          `blocks: ${RUNNER_DEPENDENTS.length} not tested: ${RUNNER_DEPENDENTS.join(", ")}`,
        );
        expect(run.stdout.match(/^ +fix: /gm)).toHaveLength(1);
        expect(run.exitCode).toBe(1);
      },
    );
  });

  it("--sandbox in the launcher: every fix names the flag, none a profile rule the setup lacks", async () => {
    await withSetup(
      (s) => launcherAddsArgs(s, "--sandbox", "workspace-write"),
      async (setup) => {
        const run = await audit(setup);
        const results = run.report?.results ?? [];
        const broken = results.filter((r) => r.status === "fail" || r.status === "warn");
        // Every result that did not pass, so that a failure here says why (an error's reason included).
        const describe = results
          .filter((r) => r.status !== "pass")
          .map((r) => `${r.id} ${r.status}: ${r.observed}\n  fix: ${r.remediation}`)
          .join("\n");
        // The claims the legacy mode breaks, each fixed by removing the flag (config.profile reads the files: it passes;
        // config.layers sees the launches run another sandbox than the layers ask for).
        expect(broken.map((r) => r.id).sort(), describe).toEqual(
          [
            "launcher.flags",
            "launcher.integrity",
            "config.layers",
            "banner.sandbox",
            "tui.permissions",
            "fs.auth_json",
            "fs.credentials",
            "fs.readonly_paths",
            "fs.home_ephemeral",
            "fs.outside_roots",
            "fs.profile_rules",
            "net.registry",
          ].sort(),
        );
        for (const result of broken) {
          expect(result.remediation, describe).toContain("`--sandbox workspace-write`");
          // The profile has these rules: the fix never asks to add or drop them.
          expect(result.remediation, describe).not.toMatch(
            /auth\.json" = "none"|grant `~`|":minimal"|enabled = true/,
          );
        }
        expect(run.exitCode).toBe(1);
      },
    );
  });
});
