// decisions §3: observe the launcher instead of only parsing it. A `codex` shim placed first on PATH records the
// argv, cwd and environment variable NAMES (never values) each launch really used, then execs the real Codex.
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { LaunchKind } from "../core/model.js";

/** The launches the shim records: those the launcher facts read, and the MCP runtime session (recorded, unread). */
type ShimKind = LaunchKind | "mcp-runtime";

/** One call of `codex` as the shim recorded it. */
interface RecordedLaunch {
  argv: string[];
  cwd: string;
  envNames: string[];
}

export interface Shim {
  /** The real Codex the shim forwards to. */
  realCodex: string;
  /** Environment for a launch of `kind`: that kind's shim dir first on PATH, nothing else added. */
  envFor(kind: ShimKind, env: Record<string, string>): Record<string, string>;
  /** The last recorded call of `kind`, or undefined when the launcher never called `codex` through PATH. */
  observed(kind: LaunchKind): RecordedLaunch | undefined;
}

/** The first executable `codex` on `pathValue`. */
export function findOnPath(name: string, pathValue: string | undefined): string | null {
  for (const dir of (pathValue ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The shim for one launch kind, its settings baked in: the log folder, the kind and the PATH to restore. It sets no
 * variable of its own (the launcher could test for one): the log name travels as a positional parameter, shifted
 * off before Codex starts. The `.argv` file holds the cwd, that name, then the arguments, NUL-separated.
 */
function shimScript(kind: ShimKind, logDir: string, realCodex: string, originalPath: string): string {
  return `#!/bin/sh
set -- ${quote(join(logDir, kind))}."$(date +%s%N).$$" "$@"
printf '%s\\0' "$PWD" "$@" > "$1.argv"
env -0 | sed -z 's/=.*//' > "$1.env"
shift
PATH=${quote(originalPath)}
exec ${quote(realCodex)} "$@"
`;
}

export function installShim(runDir: string, realCodex: string): Shim {
  const logDir = join(runDir, "shim-log");
  mkdirSync(logDir, { recursive: true });
  // One folder per kind and PATH, written once: `mcp get` runs concurrently, once per server.
  const dirs = new Map<string, string>();
  const dirFor = (kind: ShimKind, originalPath: string): string => {
    const key = `${kind}\0${originalPath}`;
    const known = dirs.get(key);
    if (known) return known;
    const dir = join(runDir, `path-${kind}-${dirs.size}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "codex"), shimScript(kind, logDir, realCodex, originalPath), { mode: 0o755 });
    dirs.set(key, dir);
    return dir;
  };

  return {
    realCodex,
    envFor(kind, env) {
      return { ...env, PATH: `${dirFor(kind, env.PATH ?? "")}${delimiter}${env.PATH ?? ""}` };
    },
    observed(kind) {
      const latest = readdirSync(logDir)
        .filter((name) => name.startsWith(`${kind}.`) && name.endsWith(".argv"))
        .sort((a, b) => {
          const ta = BigInt(a.split(".")[1] ?? "0");
          const tb = BigInt(b.split(".")[1] ?? "0");
          return ta < tb ? -1 : ta > tb ? 1 : 0;
        })
        .at(-1);
      if (!latest) return undefined;
      const fields = readFileSync(join(logDir, latest), "utf8").split("\0");
      fields.pop(); // trailing NUL
      const [cwd = "", , ...argv] = fields;
      const envFile = join(logDir, latest.replace(/\.argv$/, ".env"));
      let envNames: string[] = [];
      try {
        envNames = readFileSync(envFile, "utf8").split("\0").filter(Boolean).sort();
      } catch {
        // sed -z missing: names stay unknown
      }
      return { cwd, argv, envNames };
    },
  };
}
