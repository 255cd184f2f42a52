// Bad input gets one clear line naming the flag or file, exit code 2, and never a stack trace.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/audit.js";

const dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };

const launcher = join(dir, "codex-auto");
writeFileSync(launcher, '#!/bin/sh\nexec codex "$@"\n');
chmodSync(launcher, 0o755);
const notExecutable = join(dir, "not-executable");
writeFileSync(notExecutable, "#!/bin/sh\n");
const badJson = join(dir, "expect.json");
writeFileSync(badJson, "{ not json");
const wrongType = join(dir, "expect-type.json");
writeFileSync(wrongType, JSON.stringify({ mcpServers: "playwright" }));
const notAReport = join(dir, "old.json");
writeFileSync(notAReport, JSON.stringify({ hello: 1 }));
const fileNotDir = join(dir, "a-file");
writeFileSync(fileNotDir, "x");

describe.concurrent("bad input", () => {
  it.each([
    [["run", "--bogus"], /--bogus/],
    [["run", "--launcher", join(dir, "missing")], /--launcher .*missing: no such file/],
    [["run", "--launcher", notExecutable, "--project", dir], /not executable/],
    [["run", "--launcher", launcher, "--project", join(dir, "nope")], /--project .*nope: no such directory/],
    [["run", "--launcher", launcher, "--project", dir, "--format", "xml"], /--format.*xml/],
    [["run", "--launcher", launcher, "--project", dir, "--agent", "robot"], /--agent: expected mock or live/],
    [
      ["run", "--launcher", launcher, "--project", dir, "--timeout", "0"],
      /--timeout: expected a positive number/,
    ],
    [
      ["run", "--launcher", launcher, "--project", dir, "--only", "nosuch.check"],
      /--only: no check matches "nosuch.check"/,
    ],
    [["run", "--launcher", launcher, "--project", dir, "--expect", badJson], /expect\.json: not valid JSON/],
    [
      ["run", "--launcher", launcher, "--project", dir, "--expect", wrongType],
      /expect-type\.json: "mcpServers"/,
    ],
    [
      ["run", "--launcher", launcher, "--project", dir, "--out", join(fileNotDir, "sub")],
      /--out .*: not a writable directory/,
    ],
    [
      ["run", "--launcher", launcher, "--project", dir, "--baseline", notAReport],
      /old\.json: not a codex-smoke report/,
    ],
    [["diff", notAReport], /diff needs two report files/],
    [["diff", notAReport, notAReport], /old\.json: not a codex-smoke report/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["demo", "--launcher", launcher], /--launcher: not accepted by demo/],
  ])("%j", async (args, message) => {
    const result = await runCli(args as string[], { env, cwd: dir });
    expect(result.exitCode).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^codex-smoke: /);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
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
    const { withCatalogue } = await import("../src/catalogue.js");
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toBe(withCatalogue(readme, checks));
  });
});
