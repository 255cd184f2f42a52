// A directory tree as path → content hash, to prove an audit left a project, a home or a config byte-identical.
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join, relative } from "node:path";

/** Every entry under `root` (minus `skip`, relative paths or prefixes) with a hash of its bytes, mode and type. */
export function treeState(
  root: string,
  skip: (relativePath: string) => boolean = () => false,
): Record<string, string> {
  const state: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(root, path);
      if (skip(rel)) continue;
      const stat = lstatSync(path);
      const mode = (stat.mode & 0o7777).toString(8);
      if (stat.isSymbolicLink()) state[rel] = `link ${readlinkSync(path)}`;
      else if (stat.isDirectory()) {
        state[rel] = `dir ${mode}`;
        walk(path);
      } else state[rel] = `file ${mode} ${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
    }
  };
  walk(root);
  return state;
}

/** Codex's own state in CODEX_HOME that may change during any launch (databases, logs, caches): not config. */
export const CODEX_STATE =
  /^\.codex\/(.*\.sqlite(-shm|-wal)?|logs?_.*|installation_id|\.sandbox_migration|skills|tmp|cache|shell_snapshots|models_cache\.json|thread-writer-locks\/\.coordination\.lock|mcp-oauth-locks|\.personality_migration|version\.json)(\/|$)/;
