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
