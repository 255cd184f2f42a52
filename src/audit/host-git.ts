// Every git the host runs in the project goes through here (decisions §27). On a broken setup the agent can write
// `.git/config` (and `.gitattributes`), and git runs commands that config names: the fsmonitor hook, hooks (a ref
// update runs `reference-transaction`), clean/smudge filters and filter processes (an index refresh re-hashes a
// racily clean file through its filter), a signature check on `git log` (gpg.program), the pager, external diffs
// and textconv, submodule recursion. Each is switched off on the command line, which outranks every config file;
// the repository is pinned (GIT_DIR, GIT_WORK_TREE) so that neither `core.worktree` nor a missing `.git` sends
// git elsewhere, and `.git` must still be the folder the host recorded (a `gitdir:` file or a symlink to another
// repository swapped in is refused).
import { lstatSync } from "node:fs";
import { join } from "node:path";
import { type Identity, identityOf, sameIdentity } from "../core/safe-dir.js";
import { runCommand } from "../util/command.js";

/** Settings that make git run a command, pinned off. They are given as command-line config (which outranks
 * system, global, local and worktree config), through GIT_CONFIG_KEY_<n>/GIT_CONFIG_VALUE_<n> so that a driver
 * name holding `=` cannot be misread as `-c` would. */
const FIXED_SETTINGS: ReadonlyArray<[string, string]> = [
  ["core.fsmonitor", "false"],
  ["core.hooksPath", "/dev/null"],
  ["core.pager", "cat"],
  ["log.showSignature", "false"],
  ["submodule.recurse", "false"],
  ["gc.auto", "0"],
  ["maintenance.auto", "false"],
];

/** Any setting of a filter or diff driver: `filter.<driver>.<key>`, `diff.<driver>.<key>` (git prints section and
 * key in lower case, the driver's name as written; the name may hold dots, the key never does). */
const DRIVER_KEY = /^(filter|diff)\.(.+)\.[^.]+$/;

export interface HostGitRepo {
  project: string;
  /** `.git`'s device and inode as recorded before the agent ran; git is refused when it changed. */
  gitDir?: Identity;
}

/** `.git`'s identity when it is a real folder (not a symlink, not a `gitdir:` file), else null. */
export function gitDirIdentity(project: string): Identity | null {
  try {
    const entry = lstatSync(join(project, ".git"));
    return entry.isDirectory() ? identityOf(entry) : null;
  } catch {
    return null;
  }
}

/** Why git must not run in `repo` now (its `.git` replaced since the record), or null. */
export function gitDirChanged(repo: HostGitRepo): string | null {
  if (!repo.gitDir) return null;
  const now = gitDirIdentity(repo.project);
  if (now && sameIdentity(now, repo.gitDir)) return null;
  return `${join(repo.project, ".git")} is not the folder recorded before the audit (replaced, or a symlink or gitdir file now): git left alone`;
}

const environment = (project: string, settings: ReadonlyArray<[string, string]> = FIXED_SETTINGS) => ({
  GIT_DIR: join(project, ".git"),
  GIT_WORK_TREE: project,
  GIT_PAGER: "cat",
  PAGER: "cat",
  GIT_EXTERNAL_DIFF: undefined,
  GIT_TERMINAL_PROMPT: "0",
  GIT_OPTIONAL_LOCKS: "0",
  GIT_CONFIG_PARAMETERS: undefined,
  GIT_CONFIG_COUNT: String(settings.length),
  ...Object.fromEntries(
    settings.flatMap(([key, value], i) => [
      [`GIT_CONFIG_KEY_${i}`, key],
      [`GIT_CONFIG_VALUE_${i}`, value],
    ]),
  ),
});

/**
 * Settings that neutralise every filter and diff driver the repository's config names, whatever it sets: a filter
 * marked `required` with no command at all would make git die on every file it filters ("clean filter failed").
 */
async function driverOverrides(project: string): Promise<Array<[string, string]>> {
  // Reading config runs nothing; the names come from every config file git would read.
  const listed = await runCommand("git", ["config", "--name-only", "--list"], {
    cwd: project,
    env: environment(project),
  });
  const overrides = new Map<string, string>();
  for (const name of listed.stdout.split("\n")) {
    const match = DRIVER_KEY.exec(name);
    if (!match) continue;
    const [, kind, driver] = match;
    if (kind === "filter") {
      for (const key of ["clean", "smudge", "process"]) overrides.set(`filter.${driver}.${key}`, "");
      overrides.set(`filter.${driver}.required`, "false");
    } else for (const key of ["textconv", "command"]) overrides.set(`diff.${driver}.${key}`, "");
  }
  return [...overrides];
}

/** Runs `git <args>` in the project with nothing from the project's config able to run a command. */
export async function hostGit(repo: HostGitRepo, args: string[]) {
  const settings = [...FIXED_SETTINGS, ...(await driverOverrides(repo.project))];
  return runCommand("git", ["--no-pager", ...args], {
    cwd: repo.project,
    env: environment(repo.project, settings),
  });
}
