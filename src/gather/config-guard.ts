// decisions §9: Codex edits config files during a launch (the TUI writes `[tui]` state into the active profile
// file; `-p <unknown>` creates a file). The user's config must stay byte-identical: save every top-level TOML file
// of CODEX_HOME before any launch, restore them afterwards, and remove the ones Codex created.

import { createHash } from "node:crypto";
import { chmodSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface SavedFile {
  bytes: Buffer;
  mode: number;
}

const isConfigFile = (name: string) => name.endsWith(".toml");

function listConfigFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter(isConfigFile);
  } catch {
    return [];
  }
}

export interface ConfigGuard {
  /** Puts every saved file back and removes TOML files created since; returns what it had to change. */
  restore(): string[];
}

export function guardConfig(codexHome: string): ConfigGuard {
  const saved = new Map<string, SavedFile>();
  for (const name of listConfigFiles(codexHome)) {
    const path = join(codexHome, name);
    saved.set(name, { bytes: readFileSync(path), mode: statSync(path).mode & 0o7777 });
  }
  return {
    restore() {
      const changed: string[] = [];
      for (const name of listConfigFiles(codexHome)) {
        if (!saved.has(name)) {
          rmSync(join(codexHome, name), { force: true });
          changed.push(`removed ${name} (created by Codex during the audit)`);
        }
      }
      for (const [name, file] of saved) {
        const path = join(codexHome, name);
        let current: Buffer | null = null;
        let mode = -1;
        try {
          current = readFileSync(path);
          mode = statSync(path).mode & 0o7777;
        } catch {
          // deleted meanwhile: restored below
        }
        if (current === null || !current.equals(file.bytes)) {
          writeFileSync(path, file.bytes);
          changed.push(`restored ${name} (Codex wrote to it during the audit)`);
        }
        if (mode !== file.mode) chmodSync(path, file.mode);
      }
      return changed;
    },
  };
}

export function sha256(path: string): string | null {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return null;
  }
}
