// decisions §9: Codex edits config files during a launch (the TUI writes `[tui]` state into the active profile
// file; `-p <unknown>` creates a file). The user's config must stay byte-identical: save every top-level TOML file
// of CODEX_HOME and the project's `.codex/config.toml` before any launch, restore them afterwards, and remove the
// ones Codex created. The project's file lies in the tree the agent shapes (decisions §27), so the guard never
// follows a symlink: a link is saved and restored as a link, a file is put back through a temporary file and a
// rename in its folder opened without following (a symlink planted at the name is replaced, never written
// through), and a file that appeared is unlinked (a link itself, never what it points to).

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { SafeDir } from "../core/safe-dir.js";

/** More than any config file weighs; a bigger one is not read into memory. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

type Saved = { kind: "file"; bytes: Buffer; mode: number } | { kind: "link"; target: string };

/** One watched entry: its folder (a trusted root, then folders opened without following) and its name. */
interface Watched {
  root: string;
  folders: string[];
  name: string;
  /** How the restore lines name it. */
  label: string;
}

const isConfigFile = (name: string) => name.endsWith(".toml");

function listConfigFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter(isConfigFile);
  } catch {
    return [];
  }
}

/** `fn` on the entry's folder, opened without following; null when the folder is not there (or not a folder). */
function inFolder<T>(entry: Watched, create: boolean, fn: (dir: SafeDir) => T): T | null {
  let dir: SafeDir;
  try {
    dir = SafeDir.open(realpathSync(entry.root), { create: false });
    for (const folder of entry.folders) {
      const next = dir.openDir(folder, { create });
      dir.close();
      dir = next;
    }
  } catch {
    return null;
  }
  try {
    return fn(dir);
  } finally {
    dir.close();
  }
}

function current(dir: SafeDir, name: string): Saved | null {
  const entry = dir.lstat(name);
  if (entry?.isSymbolicLink()) return { kind: "link", target: readlinkSync(dir.entry(name)) };
  if (!entry?.isFile()) return null;
  return { kind: "file", bytes: dir.readBytes(name, MAX_CONFIG_BYTES), mode: entry.mode & 0o7777 };
}

export interface ConfigGuard {
  /** Puts every saved file back and removes TOML files created since; returns what it had to change. */
  restore(): string[];
}

/**
 * Guards every top-level TOML file of `codexHome`, plus the project's `.codex/config.toml`: changed ones are put
 * back byte for byte (and mode), created ones removed.
 */
export function guardConfig(codexHome: string, project?: string): ConfigGuard {
  const watched = (): Watched[] => [
    ...listConfigFiles(codexHome).map((name) => ({ root: codexHome, folders: [], name, label: name })),
    ...(project
      ? [
          {
            root: project,
            folders: [".codex"],
            name: "config.toml",
            label: join(project, ".codex", "config.toml"),
          },
        ]
      : []),
  ];
  const saved = new Map<string, { entry: Watched; state: Saved }>();
  for (const entry of watched()) {
    const state = inFolder(entry, false, (dir) => current(dir, entry.name));
    if (state) saved.set(entry.label, { entry, state });
  }
  return {
    restore() {
      const changed: string[] = [];
      for (const entry of watched()) {
        if (saved.has(entry.label)) continue;
        if (inFolder(entry, false, (dir) => dir.lstat(entry.name) !== null && dir.unlink(entry.name)))
          changed.push(`removed ${entry.label} (created by Codex during the audit)`);
      }
      for (const { entry, state } of saved.values()) {
        const putBackNow = inFolder(entry, true, (dir) => putBack(dir, entry.name, state));
        if (putBackNow) changed.push(`restored ${entry.label} (Codex wrote to it during the audit)`);
        if (putBackNow === null)
          changed.push(`not restored: ${entry.label} (its folder is a symlink or not a folder now)`);
      }
      return changed;
    },
  };
}

/** Puts `state` back at `name` when the entry differs; true when the content (or link) had to be put back. */
function putBack(dir: SafeDir, name: string, state: Saved): boolean {
  let now: Saved | null = null;
  try {
    now = current(dir, name);
  } catch {
    // unreadable meanwhile: put back below
  }
  if (state.kind === "link") {
    if (now?.kind === "link" && now.target === state.target) return false;
    const temporary = `.${name}.codex-smoke.link`;
    dir.unlink(temporary);
    symlinkSync(state.target, dir.entry(temporary));
    renameSync(dir.entry(temporary), dir.entry(name));
    return true;
  }
  const same = now?.kind === "file" && now.bytes.equals(state.bytes);
  if (!same) dir.writeFile(name, state.bytes, state.mode);
  if (!same || (now?.kind === "file" && now.mode !== state.mode)) dir.chmod(name, state.mode);
  return !same;
}

export function sha256(path: string): string | null {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return null;
  }
}
