// Issue 19: the report directory may lie in the project the agent shapes (decisions §27). A symlink planted at a
// report name, at `--out` itself, or a parent folder swapped for a symlink during the audit must never make the
// host write (or remove) a file elsewhere: every file the symlinks point to stays byte-identical.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReferenceSetup } from "../src/demo/reference-setup.js";
import { launcherPrepends, loopbackRegistry, runCli, withSetup } from "./helpers/audit.js";
import { treeState } from "./helpers/tree.js";

/** Every file name codex-smoke writes into a report directory. */
const REPORT_NAMES = [
  "codex-smoke.json",
  "codex-smoke.junit.xml",
  "codex-smoke.md",
  "codex-smoke.tap",
  "codex-smoke.runner.json",
  "codex-smoke.tui-screen.txt",
  "codex-smoke.tui-stream.log",
  "codex-smoke.internal-error.log",
];

/** A host folder outside the project with files the agent would like overwritten (a shell rc among them). */
function hostVictims(setup: ReferenceSetup): string {
  const dir = join(setup.home, "victim");
  mkdirSync(dir);
  writeFileSync(join(dir, ".bashrc"), "# the user's shell rc\nexport PATH=$HOME/bin:$PATH\n");
  for (const name of REPORT_NAMES) writeFileSync(join(dir, name), `host file ${name}\n`);
  return dir;
}

async function runInProject(setup: ReferenceSetup, out: string, ...args: string[]) {
  return runCli(
    [
      "run",
      ...["--launcher", setup.launcher, "--project", setup.project, "--out", out],
      ...["--registry", await loopbackRegistry(), "--format", "console,json,junit,markdown,tap", ...args],
    ],
    { env: setup.env, cwd: setup.project },
  );
}

describe.concurrent("report files in --out are never written through a symlink", () => {
  it("a symlink planted at each report name is replaced (or removed), and the files it points to stay", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const victims = hostVictims(setup);
        const out = join(setup.project, "reports");
        mkdirSync(out);
        symlinkSync(join(victims, ".bashrc"), join(out, "codex-smoke.tap"));
        for (const name of REPORT_NAMES.filter((n) => n !== "codex-smoke.tap"))
          symlinkSync(join(victims, name), join(out, name));
        const before = treeState(victims);
        const result = await runInProject(setup, out, "--only", "config.profile,runner.report");
        expect(result.exitCode, result.stderr).toBe(0);
        expect(treeState(victims)).toEqual(before);
        const written = readdirSync(out).sort();
        expect(written).toEqual([
          "codex-smoke.json",
          "codex-smoke.junit.xml",
          "codex-smoke.md",
          "codex-smoke.runner.json",
          "codex-smoke.tap",
        ]);
        for (const name of written) expect(lstatSync(join(out, name)).isFile(), name).toBe(true);
        expect(readFileSync(join(out, "codex-smoke.tap"), "utf8")).toMatch(/^TAP version 14\n/);
      },
    );
  });

  it("--out that is itself a symlink is refused before anything runs (exit 2), and its target stays", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const victims = hostVictims(setup);
        symlinkSync(victims, join(setup.project, "reports"));
        const before = treeState(victims);
        const result = await runInProject(setup, "reports", "--only", "config.profile");
        expect(result.exitCode).toBe(2);
        expect(result.stderr).toBe(
          `codex-smoke: --out reports: not a writable directory (${join(setup.project, "reports")} is a symbolic link; reports are never written through one)\n`,
        );
        expect(result.stdout).toBe("");
        expect(treeState(victims)).toEqual(before);
      },
    );
  });

  it.each([
    { out: "reports", swapped: "reports" },
    { out: "reports/ci", swapped: "reports" },
  ])(
    "$swapped swapped for a symlink during the audit (--out $out): refused, not followed (exit 2)",
    async ({ out, swapped }) => {
      await withSetup(
        () => {},
        async (setup) => {
          const victims = hostVictims(setup);
          mkdirSync(join(setup.project, out), { recursive: true });
          // The launcher runs during the audit, after --out was checked: it swaps the folder as an agent would.
          launcherPrepends(
            setup,
            `[ -L ${swapped} ] || { mv ${swapped} ${swapped}.moved && ln -s ${victims} ${swapped}; }`,
          );
          const before = treeState(victims);
          const result = await runInProject(setup, out, "--only", "launcher.flags");
          expect(existsSync(join(setup.project, `${swapped}.moved`)), "the launcher swapped the folder").toBe(
            true,
          );
          expect(result.exitCode).toBe(2);
          // The progress lines come first on stderr; the last line says why.
          expect(result.stderr.trim().split("\n").at(-1)).toBe(
            `codex-smoke: --out ${join(setup.project, out)}: cannot write report files (${join(setup.project, swapped)} is a symbolic link or not a directory)`,
          );
          expect(treeState(victims)).toEqual(before);
        },
      );
    },
  );
});

describe("the internal-error log in --out", () => {
  it("replaces a symlink planted at its name, and the file it points to stays", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const victims = hostVictims(setup);
        const out = join(setup.project, "reports");
        mkdirSync(out);
        symlinkSync(join(victims, ".bashrc"), join(out, "codex-smoke.internal-error.log"));
        // A fault injected from outside the product: rendering the JSON report throws (exit 4).
        const fault = join(setup.root, "fault.mjs");
        writeFileSync(
          fault,
          `const stringify = JSON.stringify;
JSON.stringify = function (value, ...rest) {
  if (value && typeof value === "object" && "schemaVersion" in value) throw new Error("injected fault");
  return stringify.call(this, value, ...rest);
};
`,
        );
        const before = treeState(victims);
        const result = await runCli(
          ["run", "--launcher", setup.launcher, "--out", out, "--only", "config.profile", "--format", "json"],
          { env: { ...setup.env, NODE_OPTIONS: `--import=${fault}` }, cwd: setup.project },
        );
        expect(result.stderr).toBe(
          "codex-smoke: internal error: injected fault; details in reports/codex-smoke.internal-error.log\n",
        );
        expect(result.exitCode).toBe(4);
        expect(treeState(victims)).toEqual(before);
        expect(readFileSync(join(out, "codex-smoke.internal-error.log"), "utf8")).toMatch(/^codex-smoke /);
      },
    );
  });
});
