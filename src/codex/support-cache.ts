// What a Codex binary supports, remembered between audits: probing it costs three Codex launches before anything
// else can start. An entry is keyed by the binary's real path and the identity of its files on disk (device, inode,
// size, modification and change times): an upgrade writes new files, and since npm extracts packages with a fixed
// modification time, the inode and change time are what tell a new release from the old one. For npm's `codex.js`
// wrapper the package's own `package.json` and the native package it starts are part of the key. Any doubt (a file
// that cannot be read, a cache that does not parse) means probing again.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { codexInstallFromBin } from "../demo/codex-install.js";
import type { CodexSupport } from "./support.js";

/** Kept per file: enough for a few releases side by side (`matrix`), small enough to rewrite whole. */
const MAX_ENTRIES = 16;

interface Entry {
  key: string;
  support: CodexSupport;
}

/** The identity of one file: changes whenever the file is replaced or rewritten. */
function identity(path: string): string {
  const s = statSync(path, { bigint: true });
  return `${path}:${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** The key for `codex`, or null when its files cannot be identified (then it is probed every time). */
function keyOf(codex: string): string | null {
  try {
    const real = realpathSync(codex);
    const files = [real];
    if (real.endsWith(".js")) {
      // npm's wrapper: the package around it, and the native package it runs (found as the wrapper finds it).
      files.push(join(dirname(dirname(real)), "package.json"));
      files.push(join(dirname(codexInstallFromBin(codex).vendorDir), "package.json"));
    }
    return files.map(identity).join("|");
  } catch {
    return null;
  }
}

function isSupport(value: unknown): value is CodexSupport {
  const s = value as Partial<CodexSupport> | null;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.path === "string" &&
    (s.version === null || typeof s.version === "string") &&
    typeof s.disableConnectionRetries === "boolean" &&
    typeof s.ephemeral === "boolean"
  );
}

function readEntries(file: string): Entry[] {
  try {
    const data: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (!Array.isArray(data)) return [];
    return data.filter((entry): entry is Entry => typeof entry?.key === "string" && isSupport(entry.support));
  } catch {
    return [];
  }
}

/** What `codex` supports as probed before, if none of its files changed since. */
export function cachedSupport(file: string, codex: string): CodexSupport | null {
  const key = keyOf(codex);
  if (key === null) return null;
  const entry = readEntries(file).find((candidate) => candidate.key === key);
  return entry ? { ...entry.support, path: codex } : null;
}

/** Remembers a probe's result (a failure to write only means probing again next time). */
export function rememberSupport(file: string, support: CodexSupport): void {
  const key = keyOf(support.path);
  if (key === null) return;
  const entries = [{ key, support }, ...readEntries(file).filter((entry) => entry.key !== key)];
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    // Only inside a node_modules that exists: the cache creates nothing anywhere else.
    if (!existsSync(dirname(dirname(dirname(file))))) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify(entries.slice(0, MAX_ENTRIES))}\n`, { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    // a read-only or full cache directory: the next audit probes again
  }
}
