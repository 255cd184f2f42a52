// decisions §3: observe the launcher instead of only parsing it. A `codex` shim placed first on PATH records the
// argv, cwd and environment variable NAMES (never values) each launch really used, then execs the real Codex.
import {
  accessSync,
  chmodSync,
  constants,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { delimiter, join } from "node:path";
import type { LaunchKind } from "../core/model.js";

/** One call of `codex` as the shim recorded it. */
interface RecordedLaunch {
  argv: string[];
  cwd: string;
  envNames: string[];
}

export interface Shim {
  dir: string;
  /** The real Codex the shim forwards to. */
  realCodex: string;
  /** Environment for a launch of `kind`: the shim dir first on PATH, plus the shim's own variables. */
  envFor(kind: LaunchKind | "mcp-runtime", env: Record<string, string>): Record<string, string>;
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

export function installShim(runDir: string, realCodex: string): Shim {
  const dir = join(runDir, "shim");
  const logDir = join(runDir, "shim-log");
  mkdirSync(dir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const script = `#!/bin/sh
# codex-smoke recording shim: records how the launcher called Codex, then runs the real Codex unchanged.
log="$CODEX_SMOKE_SHIM_LOG/$CODEX_SMOKE_LAUNCH.$(date +%s%N).$$"
{ printf '%s\\0' "$PWD"; for a in "$@"; do printf '%s\\0' "$a"; done; } > "$log.argv"
env -0 | sed -z 's/=.*//' > "$log.env"
PATH="$CODEX_SMOKE_SHIM_PATH"
unset CODEX_SMOKE_SHIM_LOG CODEX_SMOKE_LAUNCH CODEX_SMOKE_SHIM_PATH
exec ${quote(realCodex)} "$@"
`;
  const shimPath = join(dir, "codex");
  writeFileSync(shimPath, script);
  chmodSync(shimPath, 0o755);

  return {
    dir,
    realCodex,
    envFor(kind, env) {
      return {
        ...env,
        PATH: `${dir}${delimiter}${env.PATH ?? ""}`,
        CODEX_SMOKE_SHIM_LOG: logDir,
        CODEX_SMOKE_LAUNCH: kind,
        CODEX_SMOKE_SHIM_PATH: env.PATH ?? "",
      };
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
      const envFile = join(logDir, latest.replace(/\.argv$/, ".env"));
      let envNames: string[] = [];
      try {
        envNames = readFileSync(envFile, "utf8")
          .split("\0")
          .filter((name) => name && !/^CODEX_SMOKE_(SHIM_|LAUNCH)/.test(name))
          .sort();
      } catch {
        // sed -z missing: names stay unknown
      }
      return { cwd: fields[0] ?? "", argv: fields.slice(1), envNames };
    },
  };
}
