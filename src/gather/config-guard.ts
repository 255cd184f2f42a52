// decisions §9: Codex edits config files during a launch (the TUI writes `[tui]` state into the active profile
// file; `-p <unknown>` creates a file). The user's config must stay byte-identical: save every top-level TOML file
// of CODEX_HOME before any launch, restore them afterwards, and remove the ones Codex created.

import { createHash } from "node:crypto";
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

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

/**
 * Guards every top-level TOML file of `codexHome`, plus `extraFiles` (the project's `.codex/config.toml`): changed
 * ones are put back byte for byte (and mode), created ones removed.
 */
export function guardConfig(codexHome: string, extraFiles: string[] = []): ConfigGuard {
  const saved = new Map<string, SavedFile>();
  const watched = () => [...listConfigFiles(codexHome).map((name) => join(codexHome, name)), ...extraFiles];
  for (const path of watched()) {
    try {
      saved.set(path, { bytes: readFileSync(path), mode: statSync(path).mode & 0o7777 });
    } catch {
      // an extra file that does not exist: it must not exist afterwards either
    }
  }
  const name = (path: string) => (dirname(path) === codexHome ? basename(path) : path);
  return {
    restore() {
      const changed: string[] = [];
      for (const path of watched()) {
        if (!saved.has(path) && existsSync(path)) {
          rmSync(path, { force: true });
          changed.push(`removed ${name(path)} (created by Codex during the audit)`);
        }
      }
      for (const [path, file] of saved) {
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
          changed.push(`restored ${name(path)} (Codex wrote to it during the audit)`);
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
