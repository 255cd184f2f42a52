// After the launch: which of the files the rule probes may create reached the host, and removing them; and the
// empty placeholders Codex leaves in the extra writable roots a write entry adds. Only the paths in the host's record
// are looked at (decisions §8a), each inside the folder the host recorded at staging: the folder is opened by its
// real path without following a link and must still be the very folder (device and inode), so a folder the agent
// swapped for a symlink is left alone and reported, never followed (decisions §27).
import { realpathSync, rmdirSync } from "node:fs";
import { basename, dirname } from "node:path";
import { type Identity, SafeDir, sameIdentity } from "../core/safe-dir.js";
import { markerContent } from "../runner/markers.js";

/** A file a rule probe may create, with the folder it goes in as the host found it at staging. */
export interface RuleWrite {
  path: string;
  /** The folder's real path and identity at staging; null when it could not be resolved then. */
  folder: { real: string; identity: Identity } | null;
}

export interface RuleWriteOutcome {
  path: string;
  /** The probe's file is on the host with the probe's content: the write went through to the host. */
  landed: boolean;
}

/** The folder's real path and identity now (at staging), to find it again after the launch. */
function folderOf(dir: string): RuleWrite["folder"] {
  try {
    const real = realpathSync(dir);
    const folder = SafeDir.open(real, { create: false });
    try {
      return { real, identity: folder.identity() };
    } finally {
      folder.close();
    }
  } catch {
    return null;
  }
}

/** The record of the files the probes may create: each with its folder as it is now. */
export const recordRuleWrites = (paths: readonly string[]): RuleWrite[] =>
  paths.map((path) => ({ path, folder: folderOf(dirname(path)) }));

/** The recorded folder, opened again and still the same one; null when it is gone or was replaced. */
function reopen(folder: RuleWrite["folder"]): SafeDir | null {
  if (!folder) return null;
  try {
    const dir = SafeDir.open(folder.real, { create: false });
    if (sameIdentity(dir.identity(), folder.identity)) return dir;
    dir.close();
  } catch {
    // gone, or a link now
  }
  return null;
}

function removeOne(write: RuleWrite, content: string): { landed: boolean; note: string | null } {
  const folder = reopen(write.folder);
  if (!folder)
    return { landed: false, note: `${write.path}: its folder changed during the audit; left as it is` };
  const name = basename(write.path);
  try {
    const entry = folder.lstat(name);
    if (!entry) return { landed: false, note: null };
    // Only the probe's own file goes: a folder, a symlink planted there or a file with other content is not it.
    // The size first: a larger file is not the probe's, and reading it would throw at the cap.
    const size = Buffer.byteLength(content);
    const landed = entry.isFile() && entry.size === size && folder.readRegularFile(name, size) === content;
    if (!landed) return { landed, note: `${write.path} is not the probe's file: left as it is` };
    folder.unlink(name);
    return { landed, note: `removed ${write.path}` };
  } finally {
    folder.close();
  }
}

export function restoreRuleWrites(
  writes: readonly RuleWrite[],
  nonce: string,
): { outcomes: RuleWriteOutcome[]; restored: string[]; leftAlone: string[] } {
  const outcomes: RuleWriteOutcome[] = [];
  const restored: string[] = [];
  const leftAlone: string[] = [];
  for (const write of writes) {
    const { landed, note } = removeOne(write, markerContent(nonce));
    outcomes.push({ path: write.path, landed });
    if (note?.startsWith("removed ")) restored.push(note);
    else if (note) leftAlone.push(note);
  }
  return { outcomes, restored, leftAlone };
}

/** What Codex mounts read-only in every writable root, and leaves behind as empty placeholders where it was absent. */
const PROTECTED_NAMES = [".agents", ".aws", ".codex", ".git"];

export interface RootPlaceholders {
  folder: RuleWrite["folder"];
  dir: string;
  absent: string[];
}

/** For each writable root a write entry adds (besides the project, which restore covers): the protected names absent
 * in it before the launch. */
export function placeholdersBefore(dirs: readonly string[]): RootPlaceholders[] {
  return dirs.map((dir) => {
    const folder = folderOf(dir);
    const open = reopen(folder);
    if (!open) return { folder, dir, absent: [] };
    try {
      return { folder, dir, absent: PROTECTED_NAMES.filter((name) => open.lstat(name) === null) };
    } finally {
      open.close();
    }
  });
}

/** An empty folder or empty regular file, never through a link: what Codex's mount points leave. */
function removeEmpty(folder: SafeDir, name: string): boolean {
  const entry = folder.lstat(name);
  if (entry?.isFile() && entry.size === 0) return folder.unlink(name);
  if (!entry?.isDirectory()) return false;
  try {
    rmdirSync(folder.entry(name));
    return true;
  } catch {
    return false; // not empty: not Codex's placeholder
  }
}

/** Removes the empty placeholders Codex left in those roots where nothing was before. */
export function removeRootPlaceholders(roots: readonly RootPlaceholders[]): string[] {
  return roots.flatMap(({ folder, dir, absent }) => {
    const open = reopen(folder);
    if (!open) return [];
    try {
      return absent
        .filter((name) => removeEmpty(open, name))
        .map((name) => `removed the empty ${dir}/${name} Codex left`);
    } finally {
      open.close();
    }
  });
}
