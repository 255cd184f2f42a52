// Bad input gets one exact line naming the flag or file, exit code 2, never a stack trace, and no side effect:
// every option is validated before anything is created, written or started.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/audit.js";

const dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The launcher and a `codex` on PATH leave a mark when anything runs them: a bad option must start nothing.
const bin = join(dir, "bin");
mkdirSync(bin);
const launched = join(dir, "launched");
const launcher = join(dir, "codex-auto");
writeFileSync(launcher, `#!/bin/sh\ntouch ${launched}\nexec codex "$@"\n`);
chmodSync(launcher, 0o755);
writeFileSync(join(bin, "codex"), `#!/bin/sh\ntouch ${launched}\n`);
chmodSync(join(bin, "codex"), 0o755);
const env = { PATH: `${bin}:${process.env.PATH ?? ""}`, HOME: process.env.HOME ?? "" };

const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const notExecutable = file("not-executable", "#!/bin/sh\n");
const badJson = file("expect.json", "{ not json");
const wrongType = file("expect-type.json", JSON.stringify({ mcpServers: "playwright" }));
const unknownKey = file("expect-key.json", '{\n  "profile": "x",\n  "profil": "y"\n}\n');
const notAReport = file("old.json", JSON.stringify({ hello: 1 }));
const trailingComma = file(
  "baseline.json",
  '{\n  "schemaVersion": 1,\n  "results": [\n    {"id": "x",}\n  ]\n}\n',
);
const result = (id: string, status: string) =>
  `{"id": "${id}", "title": "t", "claim": "c", "expected": "", "observed": "", "remediation": "", "status": "${status}", "evidence": []}`;
const badStatus = file(
  "bad-status.json",
  `{\n  "schemaVersion": 1,\n  "results": [\n    ${result("a", "pass")},\n    ${result("b", "weird")}\n  ]\n}\n`,
);
const fileNotDir = file("a-file", "x");

const target = ["--launcher", launcher, "--project", dir];

describe.concurrent("bad input: exit 2, one exact line, nothing created or started", () => {
  it.each([
    [["run", "--bogus"], "run: unknown option --bogus (see codex-smoke run --help)"],
    [["run", "-x"], "run: unknown option -x (see codex-smoke run --help)"],
    [["run", "stray"], 'run: unexpected argument "stray" (see codex-smoke run --help)'],
    [["run", "--out"], "--out: needs a value"],
    [["run", "--out", "--quiet"], "--out: needs a value"],
    [["run", "--quiet=yes"], '--quiet: takes no value (got "yes")'],
    [
      ["run", ...target, "--timeout", "5", "--timeout=abc"],
      '--timeout: expected seconds, more than 0 and at most 86400 (a day), got "abc"',
    ],
    [["run", "--launcher", join(dir, "missing")], `--launcher ${join(dir, "missing")}: no such file`],
    [
      ["run", "--launcher", notExecutable, "--project", dir],
      `--launcher ${notExecutable}: not executable (chmod +x ${notExecutable})`,
    ],
    [
      ["run", "--launcher", launcher, "--project", join(dir, "nope")],
      `--project ${join(dir, "nope")}: no such directory`,
    ],
    [
      ["run", ...target, "--format", "xml"],
      '--format: unknown format "xml" (expected console, json, junit, markdown, tap)',
    ],
    [["run", ...target, "--agent", "robot"], '--agent: expected mock or live, got "robot"'],
    [
      ["run", ...target, "--timeout", "0"],
      '--timeout: expected seconds, more than 0 and at most 86400 (a day), got "0"',
    ],
    [
      ["run", ...target, "--timeout", "2147484"],
      '--timeout: expected seconds, more than 0 and at most 86400 (a day), got "2147484"',
    ],
    [
      ["run", ...target, "--timeout", "abc"],
      '--timeout: expected seconds, more than 0 and at most 86400 (a day), got "abc"',
    ],
    [
      ["run", ...target, "--timeout", "-5"],
      '--timeout: expected seconds, more than 0 and at most 86400 (a day), got "-5"',
    ],
    [
      ["run", ...target, "--concurrency", "0"],
      '--concurrency: expected a whole number from 1 to 64, got "0"',
    ],
    [
      ["run", ...target, "--concurrency", "65"],
      '--concurrency: expected a whole number from 1 to 64, got "65"',
    ],
    [
      ["run", ...target, "--concurrency", "1.5"],
      '--concurrency: expected a whole number from 1 to 64, got "1.5"',
    ],
    [
      ["run", ...target, "--only", "nosuch.check"],
      '--only: no check matches "nosuch.check" (give ids, prefixes such as fs. or areas such as fs; see codex-smoke list)',
    ],
    [["run", ...target, "--only", "fs", "--skip", "fs."], "--only/--skip: no check left to run"],
    [
      ["run", ...target, "--quiet", "--format", "console,json"],
      "--quiet: prints only the outcome line, so it cannot go with --format console",
    ],
    [
      ["run", ...target, "--expect", badJson],
      `--expect ${badJson}:1:3: not valid JSON (expected a key in double quotes, found "n")`,
    ],
    [
      ["run", ...target, "--expect", wrongType],
      `--expect ${wrongType}:1:15: "mcpServers" must be an array of non-empty strings`,
    ],
    [
      ["run", ...target, "--expect", unknownKey],
      `--expect ${unknownKey}:3:13: unknown key "profil" (known: profile, approval, sandboxHeader, tuiPermissions, mcpServers, mcpOptional, mcpApprovalMode, mcpToolTimeoutSec, readonlyPaths, webSearch, envSecrets, registryPackage, launcherIntegrity)`,
    ],
    [
      ["run", ...target, "--expect", join(dir, "none.json")],
      `--expect ${join(dir, "none.json")}: no such file`,
    ],
    [
      ["run", ...target, "--out", join(fileNotDir, "sub")],
      `--out ${join(fileNotDir, "sub")}: not a writable directory (${fileNotDir} is not a directory)`,
    ],
    [
      ["run", ...target, "--out", "/proc/x"],
      "--out /proc/x: not a writable directory (/proc is on procfs, a kernel pseudo-filesystem)",
    ],
    [
      ["run", ...target, "--out", "/proc/self/reports/deeper"],
      "--out /proc/self/reports/deeper: not a writable directory (/proc/self is on procfs, a kernel pseudo-filesystem)",
    ],
    [
      ["run", ...target, "--out", "/sys/kernel/reports"],
      "--out /sys/kernel/reports: not a writable directory (/sys/kernel is on sysfs, a kernel pseudo-filesystem)",
    ],
    [
      ["run", ...target, "--baseline", notAReport],
      `--baseline ${notAReport}:1:1: not a codex-smoke report (schemaVersion missing)`,
    ],
    [
      ["run", ...target, "--baseline", trailingComma],
      `--baseline ${trailingComma}:4:16: not valid JSON (expected a key in double quotes, found "}" (a trailing comma is not JSON))`,
    ],
    [
      ["run", ...target, "--baseline", badStatus],
      `--baseline ${badStatus}:5:5: results[1] (b): status "weird" is not one of pass, fail, warn, skip, error`,
    ],
    [["diff", notAReport], "diff: needs two report files: codex-smoke diff <old.json> <new.json>"],
    [
      ["diff", "--color", notAReport, notAReport],
      "diff: unknown option --color (see codex-smoke diff --help)",
    ],
    [
      ["diff", notAReport, notAReport],
      `diff ${notAReport}:1:1: not a codex-smoke report (schemaVersion missing)`,
    ],
    [
      ["diff", badStatus, trailingComma],
      `diff ${badStatus}:5:5: results[1] (b): status "weird" is not one of pass, fail, warn, skip, error`,
    ],
    [["list", "extra"], 'list: takes no arguments (got "extra"; see codex-smoke list --help)'],
    [["docs"], "docs: needs the README path: codex-smoke docs README.md"],
    [
      ["frobnicate"],
      'unknown command "frobnicate" (expected run, demo, matrix, list, diff, probe, cache; see --help)',
    ],
    [["demo", "--launcher", launcher], "--launcher: not accepted by demo (it builds its own setup)"],
    [
      ["matrix", "--codex", "0.150.0", "--format", "json"],
      "matrix: unknown option --format (see codex-smoke matrix --help)",
    ],
    [["matrix", "--demo"], "matrix needs --codex <releases> (e.g. --codex 0.150.0,latest)"],
    [
      ["demo", "--timeout", "-1"],
      '--timeout: expected seconds, more than 0 and at most 86400 (a day), got "-1"',
    ],
  ])("%j", async (args, line) => {
    // Each case in an empty working directory: the default --out (./reports) must not appear.
    const cwd = mkdtempSync(join(dir, "cwd-"));
    const run = await runCli(args as string[], { env, cwd, timeoutMs: 30_000 });
    expect(run.stderr).toBe(`codex-smoke: ${line}\n`);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(launched)).toBe(false);
  });
});

describe("a usage error echoes no secret", () => {
  it.each([
    [
      ["run", "--registry", "ftp://deploy:hunter2-pass@mirror.invalid/"],
      '--registry: expected an http(s) URL, got "ftp://***@mirror.invalid/"',
    ],
    [["run", "--agent", "tok-41d0c3a9e2"], '--agent: expected mock or live, got "***"'],
  ])("%j", async (args, line) => {
    const run = await runCli(args, {
      env: { ...env, CODEX_SMOKE_TEST_API_TOKEN: "tok-41d0c3a9e2" },
      cwd: dir,
    });
    expect(run.stderr).toBe(`codex-smoke: ${line}\n`);
    expect(run.exitCode).toBe(2);
  });
});

describe("--out is checked, never created, before the audit", () => {
  it("a missing --out under a writable directory is accepted but not made when another option is bad", async () => {
    const cwd = mkdtempSync(join(dir, "cwd-"));
    const out = join(cwd, "new", "reports");
    const run = await runCli(["run", ...target, "--out", out, "--timeout", "abc"], { env, cwd });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'codex-smoke: --timeout: expected seconds, more than 0 and at most 86400 (a day), got "abc"\n',
    );
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe("docs come from the registry", () => {
  it("list prints every check id with its claim", async () => {
    const { checks } = await import("../checks/index.js");
    const result = await runCli(["list"], { env, cwd: dir });
    expect(result.exitCode).toBe(0);
    for (const check of checks) expect(result.stdout).toContain(check.id);
  });

  it("--help lists every check", async () => {
    const { checks } = await import("../checks/index.js");
    const result = await runCli(["--help"], { env, cwd: dir });
    expect(result.exitCode).toBe(0);
    for (const check of checks) expect(result.stdout).toContain(check.id);
  });

  it("the README's check table is the registry's (npm run docs regenerates it)", async () => {
    const { readFileSync } = await import("node:fs");
    const { checks } = await import("../checks/index.js");
    const { withCatalogue } = await import("../src/commands/catalogue.js");
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toBe(withCatalogue(readme, checks));
  });
});
