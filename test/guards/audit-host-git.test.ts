// The host's git in a repository whose config the agent wrote (host-git.ts, decisions §27): the commands git would
// run on its own for `add` (a clean filter), `diff` (a textconv driver) and a ref update (the
// reference-transaction hook) never run, whatever the driver is called. Each is deterministic, and plain git in the
// same repository runs all three (the control).
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hostGit } from "../../src/audit/host-git.js";
import { pinGitNowhere } from "../helpers/git-nowhere.js";

// git run by the code under test never reaches this checkout (test/helpers/git-nowhere.ts).
pinGitNowhere();

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A repository with one commit whose config names a filter and a diff driver (`ev.il`) and a hook; `log` records
 * every one of them that runs. */
function plantedRepository(): { project: string; log: string } {
  const parent = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, "test-guard-host-git-"));
  dirs.push(root);
  const project = join(root, "proj");
  const log = join(root, "ran.log");
  mkdirSync(project);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: project, stdio: "pipe" });
  git("init", "-q");
  writeFileSync(join(project, "a.txt"), "one\n");
  git("add", "a.txt");
  git("-c", "user.name=u", "-c", "user.email=u@example.invalid", "commit", "-q", "-m", "first");
  const clean = join(root, "clean.sh");
  writeFileSync(clean, `#!/bin/sh\necho clean >> '${log}'\ncat\n`, { mode: 0o755 });
  const textconv = join(root, "textconv.sh");
  writeFileSync(textconv, `#!/bin/sh\necho textconv >> '${log}'\ncat "$1"\n`, { mode: 0o755 });
  const hook = join(project, ".git", "hooks", "reference-transaction");
  writeFileSync(hook, `#!/bin/sh\necho hook >> '${log}'\n`);
  chmodSync(hook, 0o755);
  const config = join(project, ".git", "config");
  writeFileSync(
    config,
    `${readFileSync(config, "utf8")}[filter "ev.il"]\n\tclean = ${clean}\n\tsmudge = cat\n\trequired = true\n[diff "ev.il"]\n\ttextconv = ${textconv}\n`,
  );
  writeFileSync(join(project, ".gitattributes"), "*.txt filter=ev.il diff=ev.il\n");
  writeFileSync(join(project, "a.txt"), "one, edited\n");
  return { project, log };
}

const ran = (log: string) => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").sort() : []);

describe("hostGit in a repository whose config names commands", () => {
  it("add, diff and a ref update run none of them", async () => {
    const { project, log } = plantedRepository();
    for (const args of [
      ["add", "a.txt"],
      ["update-ref", "refs/heads/other", "HEAD"],
    ]) {
      const result = await hostGit({ project }, args);
      expect(result.exitCode, `${args.join(" ")}: ${result.stderr}`).toBe(0);
    }
    // The textconv driver is emptied, not removed: git refuses to run an empty command (restore never diffs).
    await hostGit({ project }, ["diff", "HEAD"]);
    expect(ran(log)).toEqual([]);
  });

  it("control: plain git runs all three", () => {
    const { project, log } = plantedRepository();
    for (const args of [
      ["add", "a.txt"],
      ["diff", "HEAD"],
      ["update-ref", "refs/heads/other", "HEAD"],
    ])
      execFileSync("git", args, { cwd: project, stdio: "pipe" });
    expect(ran(log)).toEqual(expect.arrayContaining(["clean", "hook", "textconv"]));
  });
});

/** A repository with one committed file `a.txt`, edited since, under `attributes`, with `config` appended to
 * `.git/config`. */
function repositoryWith(config: string, attributes: string): string {
  const parent = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, "test-guard-host-git-"));
  dirs.push(root);
  const project = join(root, "proj");
  mkdirSync(project);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: project, stdio: "pipe" });
  git("init", "-q");
  writeFileSync(join(project, "a.txt"), "one\n");
  git("add", "a.txt");
  git("-c", "user.name=u", "-c", "user.email=u@example.invalid", "commit", "-q", "-m", "first");
  const file = join(project, ".git", "config");
  writeFileSync(file, `${readFileSync(file, "utf8")}${config}`);
  writeFileSync(join(project, ".gitattributes"), attributes);
  writeFileSync(join(project, "a.txt"), "one, edited\n");
  return project;
}

describe("hostGit against drivers the agent wrote", () => {
  it("a filter marked required without any command (in capitals): add works, where plain git dies", async () => {
    const project = repositoryWith('[FILTER "Req"]\n\tREQUIRED = true\n', "*.txt filter=Req\n");
    expect(() => execFileSync("git", ["add", "a.txt"], { cwd: project, stdio: "pipe" })).toThrow(
      "clean filter 'Req' failed",
    );
    const result = await hostGit({ project }, ["add", "a.txt"]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  });

  it("a .git/config git cannot parse: hostGit returns git's own failure, it does not throw", async () => {
    const project = repositoryWith("[broken\n", "");
    const result = await hostGit({ project }, ["status", "--porcelain"]);
    expect(result.exitCode).toBe(128);
    expect(result.stderr).toMatch(/bad config line/);
  });

  it("a filter and a diff driver of different names: each emptied as its own kind, neither runs", async () => {
    const root = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-guard-host-git-"));
    dirs.push(root);
    const log = join(root, "ran.log");
    const clean = join(root, "clean.sh");
    writeFileSync(clean, `#!/bin/sh\necho clean >> '${log}'\ncat\n`, { mode: 0o755 });
    const textconv = join(root, "textconv.sh");
    writeFileSync(textconv, `#!/bin/sh\necho textconv >> '${log}'\ncat "$1"\n`, { mode: 0o755 });
    const project = repositoryWith(
      `[filter "f"]\n\tclean = ${clean}\n[diff "d"]\n\ttextconv = ${textconv}\n`,
      "*.txt filter=f diff=d\n",
    );
    expect((await hostGit({ project }, ["add", "a.txt"])).exitCode).toBe(0);
    await hostGit({ project }, ["diff", "--cached", "HEAD"]);
    expect(ran(log)).toEqual([]);
    // Control: plain git runs both.
    execFileSync("git", ["add", "a.txt"], { cwd: project, stdio: "pipe" });
    execFileSync("git", ["diff", "--cached", "HEAD"], { cwd: project, stdio: "pipe" });
    expect(new Set(ran(log))).toEqual(new Set(["clean", "textconv"]));
  });
});
