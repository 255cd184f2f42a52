// Which config layer decides, audited end to end with the real Codex (issue 21, decisions §25): a stray legacy
// setting that the launches show overridden is a warning (exit 0), one that takes effect fails, and a managed
// requirements.toml that forces another profile fails naming it. Codex reads /etc/codex/requirements.toml and no
// variable moves it: that case runs the CLI in a private mount namespace whose /etc has the file (an overlay).
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import type { Report } from "../src/core/model.js";
import {
  type AuditRun,
  audit,
  CLI,
  editFile,
  launcherAddsArgs,
  loopbackRegistry,
  withSetup,
} from "./helpers/audit.js";
import { readReport } from "./helpers/report-schema.js";

function result(report: Report | null, id: string) {
  const found = report?.results.find((r) => r.id === id);
  if (!found) throw new Error(`no ${id} in the report`);
  return found;
}

/** Every check's status, the named ones as given and every other one `pass` (net.profile_rules: nothing to prove). */
function statusesWith(overrides: Record<string, string>): Array<[string, string]> {
  return checks.map((c) => [c.id, overrides[c.id] ?? (c.id === "net.profile_rules" ? "skip" : "pass")]);
}

const statusesOf = (run: AuditRun) =>
  (run.report?.results ?? []).map((r): [string, string] => [r.id, r.status]);

describe("config layers, judged by what the launches ran", () => {
  it('a stray sandbox_mode = "workspace-write" in config.toml: overridden by the profile, a warning, exit 0', async () => {
    await withSetup(
      (setup) => editFile(setup.baseConfigFile, (text) => `sandbox_mode = "workspace-write"\n${text}`),
      async (setup) => {
        const run = await audit(setup);
        expect(statusesOf(run)).toEqual(statusesWith({ "config.profile": "warn", "config.layers": "warn" }));
        const hazard = `${setup.baseConfigFile} sets sandbox_mode = "workspace-write": harmless with this release and --profile`;
        expect(result(run.report, "config.layers").observed).toContain(
          `${hazard} ("azi4a2-autonomous" in force per CODEX_PERMISSION_PROFILE inside the sandbox); latent: a plain \`codex\` start (without --profile) would run the legacy sandbox instead of "azi4a2-autonomous"`,
        );
        // config.profile reads only the files: a warning too, the verdict is config.layers'.
        expect(result(run.report, "config.profile").observed).toContain(
          `${setup.baseConfigFile} sets sandbox_mode = "workspace-write": a legacy sandbox setting; config.layers judges from the launches whether it replaces the profile; latent:`,
        );
        expect(run.report?.target.settings?.permissionProfile).toEqual({
          requested: "azi4a2-autonomous",
          decidedBy: setup.profileFile,
          applied: "azi4a2-autonomous",
          appliedFrom: "CODEX_PERMISSION_PROFILE inside the sandbox",
        });
        expect(run.report?.target.settings?.approval).toEqual({
          requested: "never",
          decidedBy: "launcher -c",
          applied: "never",
          appliedFrom: "/status",
        });
        expect(run.exitCode).toBe(0);
      },
    );
  });

  it("a sandbox_mode the launcher passes takes effect: fail, naming it", async () => {
    await withSetup(
      (setup) => launcherAddsArgs(setup, "-c", 'sandbox_mode="workspace-write"'),
      async (setup) => {
        const run = await audit(setup);
        const layers = result(run.report, "config.layers");
        expect(layers.status).toBe("fail");
        expect(layers.observed).toBe(
          `the launches ran no permission profile (CODEX_PERMISSION_PROFILE inside the sandbox), not "azi4a2-autonomous" (${setup.profileFile}): launcher -c sets sandbox_mode = "workspace-write" took effect`,
        );
        expect(layers.evidence).toContain(
          'sandbox: requested permission profile "azi4a2-autonomous" (' +
            `${setup.profileFile}); applied workspace-write [workdir, /tmp, $TMPDIR] (exec header)`,
        );
        expect(run.exitCode).toBe(1);
      },
    );
  });

  it("a managed requirements.toml that leaves the profile out forces its own: fail, naming the file", async () => {
    const scratch = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "etc-overlay-"));
    try {
      mkdirSync(join(scratch, "upper", "codex"), { recursive: true });
      mkdirSync(join(scratch, "work"));
      writeFileSync(
        join(scratch, "upper", "codex", "requirements.toml"),
        'default_permissions = ":read-only"\n\n[allowed_permission_profiles]\n":read-only" = true\n":workspace" = true\n',
      );
      await withSetup(
        () => {},
        async (setup) => {
          const out = join(setup.root, "reports");
          const registry = await loopbackRegistry();
          const args = [
            "run",
            "--launcher",
            setup.launcher,
            "--project",
            setup.project,
            "--out",
            out,
            "--format",
            "json",
            "--registry",
            registry,
          ];
          // A user namespace for the mount namespace: no root needed, and the host's /etc is never touched.
          const script = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${scratch}/upper,workdir=${scratch}/work /etc && exec "$0" "$@"`;
          const exitCode = await new Promise<number | null>((resolve) =>
            execFile(
              "unshare",
              ["--user", "--map-root-user", "--mount", "sh", "-c", script, process.execPath, CLI, ...args],
              { env: setup.env, cwd: setup.project, timeout: 180_000 },
              (error) => resolve(error ? (typeof error.code === "number" ? error.code : null) : 0),
            ),
          );
          const report = readReport(join(out, "codex-smoke.json"));
          const layers = result(report, "config.layers");
          expect(layers.status).toBe("fail");
          expect(layers.observed).toBe(
            '/etc/codex/requirements.toml (allowed_permission_profiles leaves "azi4a2-autonomous" out) forces default_permissions = ":read-only": took effect (Codex runs ":read-only" instead of "azi4a2-autonomous")',
          );
          expect(layers.evidence).toContain("/etc/codex/requirements.toml: loaded; sets default_permissions");
          expect(report.target.settings?.permissionProfile).toEqual({
            requested: ":read-only",
            decidedBy:
              '/etc/codex/requirements.toml (allowed_permission_profiles leaves "azi4a2-autonomous" out)',
            applied: ":read-only",
            appliedFrom: "CODEX_PERMISSION_PROFILE inside the sandbox",
          });
          expect(exitCode).toBe(1);
        },
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
