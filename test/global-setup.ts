// Integration tests run the real CLI (`dist/src/cli.js`) as users do, so the suite builds it (compiles it, its
// declarations, and bundles the in-sandbox runner) once first.
// Tests keep their temp dirs under ~/.cache/codex-smoke (made here on a fresh machine, removed again if so).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The release the tests run besides the dev dependency (see test/tui.test.ts, test/matrix-cli.test.ts). */
export const SECOND_RELEASE = "0.150.0";

function callerEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

export default async function setup(): Promise<() => void> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
  // `npm run build`'s steps (the package test packs the declarations too): `npm test` builds only here.
  for (const project of ["tsconfig.json", "tsconfig.types.json"])
    execFileSync(process.execPath, [tsc, "-p", project], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, [fileURLToPath(new URL("../scripts/bundle-runner.mjs", import.meta.url))], {
    cwd: root,
    stdio: "inherit",
  });
  const cache = join(homedir(), ".cache", "codex-smoke");
  const existed = existsSync(cache);
  mkdirSync(cache, { recursive: true });
  // A second real Codex release for the tests that run one (issue: every release, not only the pin). Installed
  // into the release cache `matrix` uses, once per machine.
  const { installedRelease, releaseCacheDir } = await import("../src/codex/releases.js");
  mkdirSync(releaseCacheDir(), { recursive: true });
  await installedRelease(SECOND_RELEASE, {
    cacheDir: releaseCacheDir(),
    env: callerEnvironment(),
    tempDirs: new Set(),
  });
  return () => {
    if (existed) return;
    try {
      rmdirSync(cache); // only when empty: a leftover inside would be a bug worth seeing
    } catch {
      // not empty, or gone
    }
  };
}
