// Which Codex an audit runs: the one the user's launcher would find. `npx codex-smoke` (and npm scripts) put
// codex-smoke's own `node_modules/.bin` first on PATH, so a launcher's `exec codex` would run whatever Codex came
// with codex-smoke instead of the user's. Those directories are dropped from the PATH of every launch; a
// project's own `node_modules/.bin` stays.
import { delimiter, dirname, join, resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { PACKAGE_DIR } from "../core/version.js";
import { type CodexInstall, codexInstallFromBin, devDependencyCodex } from "../demo/codex-install.js";
import { findOnPath } from "../gather/shim.js";

/** `node_modules/.bin` directories of codex-smoke's own installation: in its package root and every ancestor. */
export function ownBinDirs(packageRoot: string): string[] {
  const dirs: string[] = [];
  for (let dir = resolve(packageRoot); ; dir = dirname(dir)) {
    dirs.push(join(dir, "node_modules", ".bin"));
    if (dirname(dir) === dir) return dirs;
  }
}

/** The caller's PATH without codex-smoke's own `node_modules/.bin` directories (order and the rest kept). */
export function userPath(pathValue: string | undefined, packageRoot: string = PACKAGE_DIR): string {
  const own = new Set(ownBinDirs(packageRoot));
  return (pathValue ?? "")
    .split(delimiter)
    .filter((dir) => dir === "" || !own.has(resolve(dir)))
    .join(delimiter);
}

/** The caller's environment as launches get it: unchanged except for PATH (see above). */
export function callerEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  packageRoot: string = PACKAGE_DIR,
): Record<string, string> {
  const defined = Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const result = Object.fromEntries(defined);
  if (env.PATH !== undefined) result.PATH = userPath(env.PATH, packageRoot);
  return result;
}

/** The `codex` the user's launcher would run: the first on the user's PATH. */
export function userCodex(env: NodeJS.ProcessEnv = process.env): string | null {
  return findOnPath("codex", userPath(env.PATH));
}

const NO_CODEX =
  "no Codex CLI found: install it (npm install -g @openai/codex) or pass --codex <path to the codex binary>";

/**
 * The Codex `demo` builds its reference setup for: `--codex`, else the dev dependency when running from a
 * checkout (`npm start`), else the `codex` on the user's PATH.
 */
export function demoCodex(
  codexOption: string | undefined,
  checkout: CodexInstall | null = devDependencyCodex(),
  env: NodeJS.ProcessEnv = process.env,
): CodexInstall {
  if (codexOption !== undefined) return codexInstallFromBin(codexOption);
  if (checkout !== null) return checkout;
  const onPath = userCodex(env);
  if (onPath === null) throw new UsageError(NO_CODEX);
  return codexInstallFromBin(onPath);
}
