// Integration (real Codex): `matrix` judges releases, not its own copy. Entries naming one release are audited once
// (they cannot differ); the user's own release runs from the user's binary on the user's Codex home, installing
// nothing; on another release's copy of the Codex home, a rule naming the Codex home by absolute path names the
// copy too. The release cache's place and size close the output.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { callerEnvironment } from "../src/codex/locate.js";
import { installedRelease, releaseCacheDir } from "../src/codex/releases.js";
import { findCodexInstall } from "../src/demo/codex-install.js";
import { buildReferenceSetup } from "../src/demo/reference-setup.js";
import { editFile, loopbackRegistry, runCli } from "./helpers/audit.js";
import { readReport } from "./helpers/report-schema.js";

let dir: string;
let codex150: string;

beforeAll(async () => {
  dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-matrix-releases-"));
  codex150 = await installedRelease("0.150.0", {
    cacheDir: releaseCacheDir(),
    env: callerEnvironment(),
    tempDirs: new Set(),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("matrix over releases named twice, the user's own among them", () => {
  it("two columns, 0 differences; an absolute auth.json rule holds on the copy; nothing installed", async () => {
    const setup = await buildReferenceSetup();
    try {
      const absolute = `"${join(setup.codexHome, "auth.json")}" = "none"`;
      editFile(setup.profileFile, (text) => text.replace('"~/.codex/auth.json" = "none"', absolute));
      expect(readFileSync(setup.profileFile, "utf8")).toContain(absolute);
      const out = join(dir, "twice");
      const only = "launcher.flags,config.profile,banner.sandbox,fs.auth_json,host.sandbox";
      const pinned = findCodexInstall().bin;
      // The setup's HOME is its own, and so is its release cache: a release number would install into it.
      const releases = `0.169.0,${codex150},${pinned},0.150.0`;
      const result = await runCli(
        [
          ...["matrix", "--codex", releases, "--only", only, "--out", out],
          ...[
            "--launcher",
            setup.launcher,
            "--project",
            setup.project,
            "--registry",
            await loopbackRegistry(),
          ],
        ],
        { env: setup.env },
      );

      const lines = result.stdout.split("\n");
      expect(lines[0], result.stdout).toBe(
        `codex-smoke matrix: ${checks.length} checks × 2 releases, 0 differ, no lost passes`,
      );
      expect(result.exitCode).toBe(0);
      expect(lines[2]).toMatch(/^ {4}check +0\.150\.0 {2}0\.169\.0$/);
      expect(result.stdout).toMatch(/\n {4}config\.profile +PASS {5}PASS\n/);
      expect(result.stdout).toMatch(/\n {4}fs\.auth_json +PASS {5}PASS\n/);
      const userBin = join(setup.root, "bin", "codex");
      expect(lines).toContain(`  0.150.0: ${codex150}, 0.150.0 are the same release: audited once`);
      expect(lines).toContain(`  0.169.0: 0.169.0, ${pinned} are the same release: audited once`);
      expect(lines).toContain(
        `  0.169.0: your own release: audited with ${userBin} and your Codex home as they are`,
      );
      const copied = readReport(join(out, "codex-0.150.0", "codex-smoke.json"));
      expect(copied.target.codexHomeCopy).toMatch(
        new RegExp(`; "${setup.codexHome}/auth\\.json" names the copy too$`),
      );
      const own = readReport(join(out, "codex-0.169.0", "codex-smoke.json"));
      expect([own.target.codexPath, own.target.codexHomeCopy]).toEqual([userBin, undefined]);
      // Nothing was installed for the user's own release: the setup's cache stays empty, and says so.
      const cache = join(setup.home, ".cache", "codex-smoke", "codex");
      expect(readdirSync(cache)).toEqual([]);
      expect(lines).toContain(`  release cache ${cache}: empty; \`codex-smoke cache clean\` empties it`);
      expect(
        readdirSync(join(setup.home, ".cache", "codex-smoke")).filter((n) => n.startsWith("matrix-home-")),
      ).toEqual([]);
    } finally {
      await setup.dispose();
    }
  });
});

describe("codex-smoke cache", () => {
  it("prints the release cache's place, releases and size; clean removes them and leaves an install in progress", async () => {
    const home = join(dir, "cache-home");
    const cache = join(home, ".cache", "codex-smoke", "codex");
    for (const version of ["0.160.0", "0.150.0"]) {
      mkdirSync(join(cache, version, "node_modules"), { recursive: true });
      writeFileSync(join(cache, version, "node_modules", "blob"), Buffer.alloc(3_000_000, 1));
    }
    mkdirSync(join(cache, ".install-0.171.0-abc"));
    const env = { PATH: process.env.PATH ?? "", HOME: home };

    const shown = await runCli(["cache"], { env });
    expect(shown.stdout).toBe(
      `Codex releases installed by matrix: ${cache}: 2 releases (0.150.0, 0.160.0), 6 MB\n`,
    );
    const cleaned = await runCli(["cache", "clean"], { env });
    expect([cleaned.exitCode, cleaned.stdout]).toEqual([
      0,
      `removed 2 cached Codex releases (0.150.0, 0.160.0), 6 MB, from ${cache}\n`,
    ]);
    expect(readdirSync(cache)).toEqual([".install-0.171.0-abc"]);
    expect((await runCli(["cache", "clean"], { env })).stdout).toBe(
      `${cache}: no cached Codex release to remove\n`,
    );
    expect((await runCli(["cache"], { env })).stdout).toBe(
      `Codex releases installed by matrix: ${cache}: empty\n`,
    );
    expect(existsSync(join(home, ".cache", "codex-smoke", "codex"))).toBe(true);

    const wrong = await runCli(["cache", "purge"], { env });
    expect([wrong.exitCode, wrong.stderr]).toEqual([
      2,
      'codex-smoke: cache: expected no argument or "clean", got "purge" (see codex-smoke cache --help)\n',
    ]);
  });
});
