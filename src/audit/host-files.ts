// Finding sample files on the host by name, never by content: a bounded breadth-first walk that does not follow
// symbolic links (a link in a folder the agent can write could point anywhere) and stops early.
import { type Dirent, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface WalkLimits {
  /** Stop after this many files. */
  maxFiles: number;
  /** Folders below the start that are entered: 0 = the start folder only. */
  maxDepth: number;
  /** Entries looked at in all, a bound on time in large trees. */
  maxEntries?: number;
  /** Folders (absolute paths) never entered, and entry names never looked at. */
  skipDirs?: ReadonlySet<string>;
  skipName?: (name: string) => boolean;
  /** Whether a regular file qualifies (its absolute path). */
  accept?: (path: string) => boolean;
}

/** The entries of `dir` in name order: Node's readdir (libuv's scandir) sorts them by their bytes. */
function entriesOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Regular files under `dir` (or `dir` itself when it is one), in breadth-first, name order. */
export function regularFilesUnder(dir: string, limits: WalkLimits): string[] {
  if (isRegularFile(dir)) return limits.accept?.(dir) === false ? [] : [dir];
  const found: string[] = [];
  let level = [dir];
  let seen = 0;
  const maxEntries = limits.maxEntries ?? 5_000;
  for (let depth = 0; depth <= limits.maxDepth; depth++) {
    const next: string[] = [];
    for (const folder of level) {
      for (const entry of entriesOf(folder)) {
        if (++seen > maxEntries || found.length >= limits.maxFiles) return found;
        if (limits.skipName?.(entry.name)) continue;
        const path = join(folder, entry.name);
        if (entry.isFile() && limits.accept?.(path) !== false) found.push(path);
        else if (entry.isDirectory() && !limits.skipDirs?.has(path)) next.push(path);
      }
    }
    level = next;
  }
  return found;
}

export function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
