// `--help` / `-h` on every command prints that command's help on stdout and does nothing else: `probe --help`
// runs no probe, `probe --stage --help` stages nothing, `docs --help` rewrites no file.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/audit.js";

const dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-help-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };

describe.concurrent("--help everywhere", () => {
  it.each([
    [["probe", "--help"], "Usage: codex-smoke probe [--out <file>] [--force]"],
    [["probe", "-h"], "Usage: codex-smoke probe [--out <file>] [--force]"],
    [["probe", "--out", "x.json", "--help"], "Usage: codex-smoke probe [--out <file>] [--force]"],
    [
      ["probe", "--stage", "--help"],
      "Usage: codex-smoke probe --stage [--registry <url>] [--launcher <file>] [--profile <name>]",
    ],
    [
      ["probe", "-h", "--stage"],
      "Usage: codex-smoke probe --stage [--registry <url>] [--launcher <file>] [--profile <name>]",
    ],
    [["list", "--help"], "Usage: codex-smoke list"],
    [["list", "-h"], "Usage: codex-smoke list"],
    [["diff", "--help"], "Usage: codex-smoke diff <old.json> <new.json>"],
    [["diff", "a.json", "-h"], "Usage: codex-smoke diff <old.json> <new.json>"],
    [["run", "--help"], "Usage: codex-smoke run [options]"],
    [["run", "--timeout", "abc", "-h"], "Usage: codex-smoke run [options]"],
    [["demo", "--help"], "Usage: codex-smoke demo [options]"],
    [["docs", "--help"], "Usage: codex-smoke docs <README.md>"],
    [["cache", "--help"], "Usage: codex-smoke cache [clean]"],
    [["cache", "clean", "-h"], "Usage: codex-smoke cache [clean]"],
    [["help", "cache"], "Usage: codex-smoke cache [clean]"],
    [["matrix", "--help"], "Usage: codex-smoke matrix --codex <list> [run options | --demo]"],
    [
      ["matrix", "--codex", "0.150.0", "--demo", "-h"],
      "Usage: codex-smoke matrix --codex <list> [run options | --demo]",
    ],
    [["help", "diff"], "Usage: codex-smoke diff <old.json> <new.json>"],
    [["--timeout", "5", "--help"], "Usage: codex-smoke run [options]"],
  ])("%j prints its help, exit 0, and leaves the working directory as it was", async (args, first) => {
    const cwd = mkdtempSync(join(dir, "cwd-"));
    writeFileSync(join(cwd, "README.md"), "untouched\n");
    const run = await runCli(args as string[], { env, cwd, timeoutMs: 30_000 });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(first);
    expect(readdirSync(cwd)).toEqual(["README.md"]);
    expect(readFileSync(join(cwd, "README.md"), "utf8")).toBe("untouched\n");
  });

  it("demo --help lists only the options demo takes", async () => {
    const run = await runCli(["demo", "--help"], { env, cwd: dir });
    expect(run.stdout).toContain("--registry <url>");
    expect(run.stdout).toContain("--codex <path>");
    for (const flag of ["--launcher", "--project", "--codex-home", "--profile", "--probe-report"]) {
      expect(run.stdout).not.toContain(`  ${flag} <`);
    }
  });

  it("run --help documents --quiet's stream, the outcome line and where an internal error's log goes", async () => {
    const run = await runCli(["run", "--help"], { env, cwd: dir });
    expect(run.stdout).toContain("--quiet                print only the one-line outcome (stderr)");
    expect(run.stdout).toContain(
      "  codex-smoke: 2 failed (fs.auth_json, net.registry), 1 could not be tested; report: reports/codex-smoke.json",
    );
    expect(run.stdout).toContain("codex-smoke.internal-error.log\n       inside --out");
    expect(run.stdout).toContain("~/.cache/codex-smoke/internal-error.log");
  });
});
