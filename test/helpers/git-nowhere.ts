// Code under test that runs git in a project it is handed (the runner's git probe, which commits; restore's host
// git, which resets) must never reach this checkout's repository, whatever it gets wrong. A bug that drops the
// cwd or GIT_DIR runs git in the test process's cwd, and git searches upward from there: under `npm run mutate`
// that cwd is Stryker's sandbox inside the checkout (it copies no .git), so a mutant of the runner's git probe
// once committed the probe's empty commit into the developer's branch. For the file's tests the cwd is therefore an
// empty folder, and GIT_CEILING_DIRECTORIES stops git's upward search at it: such a git finds no repository at
// all and fails (the test goes red), and nothing is written anywhere else. Stryker runs the tests in worker
// threads, where a process cannot change its cwd: there the cwd stays Stryker's sandbox, which `npm run mutate`
// puts under a ceiling of its own (scripts/mutate.mjs), and the file refuses to run if git still finds a repository.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { isMainThread } from "node:worker_threads";
import { afterAll, beforeAll } from "vitest";

/** Pins the file's cwd to an empty folder outside every repository (in the main thread); returns that folder. */
export function pinGitNowhere(): () => string {
  let folder = "";
  let before: { cwd: string; ceiling: string | undefined } | undefined;
  beforeAll(() => {
    const parent = join(homedir(), ".cache", "codex-smoke");
    mkdirSync(parent, { recursive: true });
    folder = mkdtempSync(join(parent, "test-git-nowhere-"));
    if (isMainThread) {
      before = { cwd: process.cwd(), ceiling: process.env.GIT_CEILING_DIRECTORIES };
      process.env.GIT_CEILING_DIRECTORIES = [dirname(folder), before.ceiling].filter(Boolean).join(":");
      process.chdir(folder);
    }
    const found = spawnSync("git", ["rev-parse", "--absolute-git-dir"], { encoding: "utf8" });
    if (found.status === 0)
      throw new Error(`git still finds a repository from ${process.cwd()}: ${found.stdout}`);
  });
  afterAll(() => {
    if (before) {
      process.chdir(before.cwd);
      if (before.ceiling === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
      else process.env.GIT_CEILING_DIRECTORIES = before.ceiling;
    }
    rmSync(folder, { recursive: true, force: true });
  });
  return () => folder;
}
