// Integration (real Codex): `codex-smoke matrix` audits the reference setup with two releases and prints one
// table; for the user's own setup, a release other than the user's own runs on a temporary Codex home copy
// whose grant points at it, and the copy is gone afterwards (on Ctrl-C too).
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { callerEnvironment } from "../src/codex/locate.js";
import { installedRelease, releaseCacheDir } from "../src/codex/releases.js";
import { codexInstallFromBin, findCodexInstall } from "../src/demo/codex-install.js";
import { buildReferenceSetup } from "../src/demo/reference-setup.js";
import { CLI, loopbackRegistry, runCli } from "./helpers/audit.js";
import { readReport } from "./helpers/report-schema.js";

const CACHE = join(homedir(), ".cache", "codex-smoke");
let dir: string;
let codex150: string;

beforeAll(async () => {
  dir = mkdtempSync(join(CACHE, "test-matrix-"));
  // A fresh machine has no cached 0.150.0: the matrix would install it; installing here keeps the timing honest.
  codex150 = await installedRelease("0.150.0", {
    cacheDir: releaseCacheDir(),
    env: callerEnvironment(),
    tempDirs: new Set(),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Live processes whose environment contains `needle` (a variable's prefix). */
function processesWith(needle: string): string[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`).includes(needle);
      } catch {
        return false; // gone
      }
    });
}

const matrixHomes = (cache: string) => readdirSync(cache).filter((name) => name.startsWith("matrix-home-"));

describe("codex-smoke matrix", () => {
  it("--demo with 0.150.0 and the dev dependency: both audited, one check × release table", async () => {
    const pinned = findCodexInstall().bin;
    const out = join(dir, "demo");
    const args = ["matrix", "--demo", "--codex", `0.150.0,${pinned}`, "--out", out, "--timeout", "20"];
    const result = await runCli([...args, "--registry", await loopbackRegistry()], {
      env: { PATH: process.env.PATH ?? "", HOME: homedir() },
    });

    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(
      new RegExp(`^codex-smoke matrix: ${checks.length} checks × 2 releases, \\d+ differ, no lost passes$`),
    );
    expect(lines[2]).toMatch(/^ {4}check +0\.150\.0 {2}0\.169\.0$/);
    expect(result.stdout).toMatch(/\n {4}fs\.auth_json +PASS {5}PASS\n/);
    expect(result.stdout).toMatch(/\n {4}banner\.sandbox +PASS {5}PASS\n/);
    expect([0, 1, 3]).toContain(result.exitCode);
    const earlier = readReport(join(out, "codex-0.150.0", "codex-smoke.json"));
    const later = readReport(join(out, "codex-0.169.0", "codex-smoke.json"));
    expect([earlier.target.codexVersion, earlier.target.codexPath]).toEqual(["0.150.0", codex150]);
    expect([later.target.codexVersion, later.target.codexPath]).toEqual(["0.169.0", pinned]);
    expect(earlier.target.codexHomeCopy).toBeUndefined();
  });

  it("run: another release audits a Codex home copy pointed at it; the user's own release audits the original", async () => {
    // The user's Codex: the dev dependency, first on the setup's PATH through a bin dir of its own.
    const setup = await buildReferenceSetup();
    try {
      const profileBefore = readFileSync(setup.profileFile, "utf8");
      const out = join(dir, "run");
      const only = "launcher.flags,config.profile,banner.sandbox,fs.auth_json,fs.outside_roots,host.sandbox";
      // Paths, not release numbers: the setup's HOME is its own, and so would be its release cache.
      const args = [
        "matrix",
        "--codex",
        `${findCodexInstall().bin},${codex150}`,
        "--only",
        only,
        "--out",
        out,
      ];
      const result = await runCli(
        [
          ...args,
          "--launcher",
          setup.launcher,
          "--project",
          setup.project,
          "--registry",
          await loopbackRegistry(),
        ],
        { env: setup.env },
      );

      expect(result.stdout.split("\n")[0]).toBe(
        `codex-smoke matrix: ${checks.length} checks × 2 releases, 0 differ, no lost passes`,
      );
      expect(result.exitCode).toBe(0);
      const copied = readReport(join(out, "codex-0.150.0", "codex-smoke.json"));
      const own = readReport(join(out, "codex-0.169.0", "codex-smoke.json"));
      expect(copied.target.codexHome).toBe(setup.codexHome);
      expect(copied.target.codexHomeCopy).toMatch(
        new RegExp(
          `^audited a temporary copy of ${setup.codexHome} \\(removed afterwards\\) in which grant ".+/vendor" in .+/azi4a2-autonomous\\.config\\.toml points at ${codexInstallFromBin(codex150).vendorDir}; "~/\\.codex/auth\\.json" names the copy too$`,
        ),
      );
      expect(result.stdout).toContain(`0.150.0: ${copied.target.codexHomeCopy}`);
      expect(copied.results.find((r) => r.id === "fs.auth_json")?.status).toBe("pass");
      expect(own.target.codexHome).toBe(setup.codexHome);
      expect(own.target.codexHomeCopy).toBeUndefined();
      expect(readFileSync(setup.profileFile, "utf8")).toBe(profileBefore);
      expect(matrixHomes(join(setup.home, ".cache", "codex-smoke"))).toEqual([]);
    } finally {
      await setup.dispose();
    }
  });

  it("Ctrl-C: the audits clean up, the Codex home copy is removed, exit 130", async () => {
    const setup = await buildReferenceSetup();
    try {
      const cache = join(setup.home, ".cache", "codex-smoke");
      const args = [
        "matrix",
        "--codex",
        codex150,
        "--only",
        "fs.auth_json",
        "--out",
        join(dir, "interrupted"),
      ];
      const launcher = ["--launcher", setup.launcher, "--project", setup.project];
      const registry = ["--registry", await loopbackRegistry()];
      const matrix = spawn(process.execPath, [CLI, ...args, ...launcher, ...registry], {
        env: setup.env,
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      matrix.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) =>
        matrix.on("exit", (code: number | null) => resolve(code)),
      );
      // Interrupt once the release's audit runs (its run dir exists) on the copy.
      const running = () => existsSync(cache) && readdirSync(cache).some((name) => name.startsWith("run-"));
      for (let i = 0; i < 200 && !running(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(matrixHomes(cache)).toHaveLength(1);
      matrix.kill("SIGINT");

      expect(await exited).toBe(130);
      expect(stderr).toMatch(/^codex-smoke: matrix interrupted \(SIGINT\); reports written so far are in /);
      expect(readdirSync(cache).filter((name) => /^(matrix-home|run)-/.test(name))).toEqual([]);
      expect(processesWith(`CODEX_HOME=${cache}/matrix-home-`)).toEqual([]);
    } finally {
      await setup.dispose();
    }
  });

  it("a release npm cannot install is one line and exit 2, before anything is audited", async () => {
    const fakeBin = join(dir, "fake-npm");
    mkdirSync(fakeBin);
    writeFileSync(join(fakeBin, "npm"), "#!/bin/sh\necho 'npm error code ETARGET' >&2\nexit 1\n");
    chmodSync(join(fakeBin, "npm"), 0o755);
    const result = await runCli(["matrix", "--demo", "--codex", "0.0.1-none", "--out", join(dir, "x")], {
      env: { PATH: `${fakeBin}${delimiter}${process.env.PATH ?? ""}`, HOME: homedir() },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      "codex-smoke: --codex: npm could not install @openai/codex@0.0.1-none: npm error code ETARGET\n",
    );
    expect(readdirSync(releaseCacheDir()).filter((name) => name.startsWith(".install-"))).toEqual([]);
  });
});
