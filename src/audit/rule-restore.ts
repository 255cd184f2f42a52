// After the launch: which of the files the rule probes may create reached the host, and removing them. Only the
// paths in the host's record are looked at (decisions §8a); a path whose folder is no longer the real folder the
// host chose (a symlink swapped in) is left alone and reported, never followed.
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  rmdirSync,
  unlinkSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { markerContent } from "../runner/markers.js";

export interface RuleWriteOutcome {
  path: string;
  /** The probe's file is on the host with the probe's content: the write went through to the host. */
  landed: boolean;
}

/** The first bytes of a regular file, without following a link at that name. */
function head(path: string, bytes: number): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function realFolder(path: string): boolean {
  try {
    return realpathSync(dirname(path)) === dirname(path);
  } catch {
    return false;
  }
}

export function restoreRuleWrites(
  paths: readonly string[],
  nonce: string,
): { outcomes: RuleWriteOutcome[]; restored: string[]; leftAlone: string[] } {
  const outcomes: RuleWriteOutcome[] = [];
  const restored: string[] = [];
  const leftAlone: string[] = [];
  const content = markerContent(nonce);
  for (const path of paths) {
    let entry: ReturnType<typeof lstatSync>;
    try {
      entry = lstatSync(path);
    } catch {
      outcomes.push({ path, landed: false });
      continue;
    }
    if (!realFolder(path)) {
      leftAlone.push(`${path}: its folder changed during the audit; left as it is`);
      outcomes.push({ path, landed: false });
      continue;
    }
    outcomes.push({ path, landed: entry.isFile() && head(path, content.length + 1) === content });
    if (entry.isDirectory()) {
      leftAlone.push(`${path} is a folder now, not the probe's file: left as it is`);
      continue;
    }
    unlinkSync(path);
    restored.push(`removed ${path}`);
  }
  return { outcomes, restored, leftAlone };
}

/** What Codex mounts read-only in every writable root, and leaves behind as empty placeholders where it was absent. */
const PROTECTED_NAMES = [".agents", ".aws", ".codex", ".git"];

/** For each writable root a write entry adds (besides the project, which restore covers): the protected names absent
 * in it before the launch. */
export function placeholdersBefore(dirs: readonly string[]): Array<{ dir: string; absent: string[] }> {
  return dirs.map((dir) => ({ dir, absent: PROTECTED_NAMES.filter((name) => !existsSync(join(dir, name))) }));
}

/** An empty folder or empty regular file, never through a link: what Codex's mount points leave. */
function removeEmpty(path: string): boolean {
  try {
    const entry = lstatSync(path);
    if (entry.isDirectory() && readdirSync(path).length === 0) rmdirSync(path);
    else if (entry.isFile() && entry.size === 0) unlinkSync(path);
    else return false;
    return true;
  } catch {
    return false;
  }
}

/** Removes the empty placeholders Codex left in those roots where nothing was before. */
export function removeRootPlaceholders(roots: ReadonlyArray<{ dir: string; absent: string[] }>): string[] {
  return roots.flatMap(({ dir, absent }) =>
    realFolder(join(dir, "x"))
      ? absent
          .filter((name) => removeEmpty(join(dir, name)))
          .map((name) => `removed the empty ${join(dir, name)} Codex left`)
      : [],
  );
}
