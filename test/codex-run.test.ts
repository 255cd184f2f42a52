// Integration (real Codex): `run` audits the Codex the user's launcher finds, not the one that came with
// codex-smoke; `--codex` reaches the launcher; a release too old for the setup fails with one line, exit 1.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerEnvironment } from "../src/codex/locate.js";
import { installedRelease, releaseCacheDir } from "../src/codex/releases.js";
import { PACKAGE_DIR } from "../src/core/version.js";
import { codexInstallFromBin, findCodexInstall } from "../src/demo/codex-install.js";
import { buildReferenceSetup, type ReferenceSetup } from "../src/demo/reference-setup.js";
import { audit, loopbackRegistry, runCli } from "./helpers/audit.js";
import { readReport } from "./helpers/report-schema.js";

/** A cached release, installed with npm on a fresh machine (~5 s). */
const release = (version: string) =>
  installedRelease(version, { cacheDir: releaseCacheDir(), env: callerEnvironment(), tempDirs: new Set() });

/** Checks that pass with 0.150 too (its interactive session is another matter): quick and deterministic. */
const ONLY = ["--only", "launcher.flags,banner.sandbox,fs.auth_json,host.sandbox"];

let dir: string;
let codex150: string;
let setup: ReferenceSetup;

beforeAll(async () => {
  dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-codex-run-"));
  codex150 = await release("0.150.0");
  setup = await buildReferenceSetup({ codex: codexInstallFromBin(codex150) });
});
afterAll(async () => {
  await setup?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("run audits the user's Codex", () => {
  it("a logging codex wrapper first on the user's PATH is what the launcher and the audit run", async () => {
    const log = join(dir, "wrapper.log");
    const wrapperDir = join(dir, "user-bin");
    mkdirSync(wrapperDir);
    const wrapper = join(wrapperDir, "codex");
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${codex150}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    // As `npx codex-smoke` calls it: codex-smoke's own node_modules/.bin (with the pinned 0.169) comes first.
    const own = join(PACKAGE_DIR, "node_modules", ".bin");
    const result = await audit(setup, ONLY, { PATH: [own, wrapperDir, setup.env.PATH].join(delimiter) });

    expect(result.exitCode).toBe(0);
    expect(result.report?.target.codexPath).toBe(wrapper);
    expect(result.report?.target.codexVersion).toBe("0.150.0");
    expect(result.report?.target.execHeader?.version).toBe("0.150.0");
    const calls = readFileSync(log, "utf8").split("\n");
    expect(calls.some((line) => line.startsWith("exec --profile azi4a2-autonomous"))).toBe(true);
    expect(calls).toContain("--version");
  });

  it("--codex reaches the launcher through the shim, whatever codex comes first on PATH", async () => {
    // Another Codex first on the user's PATH: the pinned 0.169, from a directory of the user's own.
    const otherDir = join(dir, "other-bin");
    mkdirSync(otherDir);
    symlinkSync(findCodexInstall().bin, join(otherDir, "codex"));
    const env = { PATH: [otherDir, setup.env.PATH].join(delimiter) };
    const result = await audit(setup, [...ONLY, "--codex", codex150], env);

    expect(result.exitCode).toBe(0);
    expect(result.report?.target.codexPath).toBe(codex150);
    expect(result.report?.target.execHeader?.version).toBe("0.150.0");
  });
});

describe("arguments the harness appends", () => {
  it("0.139.0 does not know unbounded_connection_retries: exec gets only --ephemeral, and starts", async () => {
    const codex139 = await release("0.139.0");
    const out = join(dir, "appended");
    const result = await runCli(
      [
        "demo",
        "--codex",
        codex139,
        "--only",
        "banner.sandbox,launcher.flags",
        "--format",
        "json",
        "--out",
        out,
      ],
      { env: { PATH: process.env.PATH ?? "", HOME: homedir() } },
    );
    expect(result.exitCode).toBe(0);
    const report = readReport(join(out, "codex-smoke.json"));
    expect(report.target.execHeader?.version).toBe("0.139.0");
    expect(report.results.find((r) => r.id === "banner.sandbox")?.status).toBe("pass");
  });
});

describe("a release too old for the setup", () => {
  it("0.133.0: every launch-based check fails with one line and the upgrade as fix, the static ones are checked, exit 1", async () => {
    const codex133 = await release("0.133.0");
    const out = join(dir, "old");
    const result = await runCli(
      ["demo", "--codex", codex133, "--format", "json", "--out", out, "--registry", await loopbackRegistry()],
      { env: { PATH: process.env.PATH ?? "", HOME: homedir() } },
    );
    expect(result.exitCode).toBe(1);
    const report = readReport(join(out, "codex-smoke.json"));
    expect(report.target.codexVersion).toBe("0.133.0");
    const reason = "Codex 0.133.0 cannot load permission profiles; this setup needs 0.139 or newer";
    const statuses = Object.fromEntries(report.results.map((r) => [r.id, r.status]));
    expect(statuses).toMatchObject({
      "launcher.flags": "pass",
      "config.profile": "pass",
      "config.project_override": "pass",
      "banner.sandbox": "fail",
      "tui.permissions": "fail",
      "mcp.approval": "fail",
      "fs.auth_json": "fail",
      "host.sandbox": "fail",
    });
    expect(report.summary.error).toBe(0);
    for (const result of report.results.filter((r) => r.status === "fail")) {
      expect(result.observed).toBe(reason);
      expect(result.remediation).toMatch(/^Upgrade Codex to 0\.139 or newer /);
    }
    expect(result.stderr).not.toMatch(/invalid transport|unexpected argument/);
  });
});
