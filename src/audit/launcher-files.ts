// The files an agent must not be able to change for the launcher to start Codex as written: the launcher itself
// and the project files it sources or runs by path (from the static read). The host resolves them: real paths,
// regular files, inside the project (the launcher wherever it is). The live-session flow hashes them with the
// profile file at staging, to see at judging whether any changed in between.
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { LauncherStatic } from "../gather/launcher-static.js";

function realFile(path: string): string | null {
  try {
    const real = realpathSync(path);
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

/**
 * Whether `path` is in `dir` or below: only ever asked of regular files, so never of `dir` itself nor of its
 * parent (`..`). A name of the project's own may start with two dots (`..env`): only `../` leads out.
 */
const inside = (dir: string, path: string) => {
  const rel = relative(dir, path);
  return !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

export function launcherFiles(launcher: string, project: string, files: LauncherStatic["files"]): string[] {
  const realProject = realPathOf(project);
  const found = files
    .map((file) => resolve(file.from === "launcher" ? dirname(launcher) : project, file.path))
    .map(realFile)
    .filter((path): path is string => path !== null && inside(realProject, path));
  const own = realFile(launcher);
  return [...new Set([...(own ? [own] : []), ...found])];
}

/** The real path, or the absolute one when it does not exist. */
export function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** SHA-256 of a regular file's bytes; null when it is gone or no longer a regular file (a symlink, a FIFO). */
function hashOf(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    return fstatSync(fd).isFile() ? createHash("sha256").update(readFileSync(fd)).digest("hex") : null;
  } finally {
    closeSync(fd);
  }
}

export function hashFiles(paths: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(paths.map((path) => [path, hashOf(path)]));
}
