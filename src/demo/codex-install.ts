// Locates the Codex CLI that codex-smoke itself depends on (the pinned version), relative to this module's file,
// so the demo and the tests run the same Codex whatever the caller's cwd or PATH.
import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface CodexInstall {
  /** `node_modules/.bin/codex` next to the `@openai/codex` package. */
  bin: string;
  binDir: string;
  /** The native package's `vendor` dir (binary + bundled bwrap); sandboxed commands exec the binary from it. */
  vendorDir: string;
  version: string;
}

/** The platform packages `@openai/codex` declares, by Node's `process.arch` (Linux only: the sandbox is bwrap). */
const LINUX_PACKAGE_BY_ARCH: Record<string, string> = {
  x64: "@openai/codex-linux-x64",
  arm64: "@openai/codex-linux-arm64",
};

export function findCodexInstall(): CodexInstall {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve("@openai/codex/package.json");
  const packageDir = dirname(packageJson);
  const { version } = JSON.parse(readFileSync(packageJson, "utf8")) as { version: string };

  const platformPackage = LINUX_PACKAGE_BY_ARCH[process.arch];
  if (process.platform !== "linux" || platformPackage === undefined) {
    throw new Error(`codex-smoke needs Linux on x64 or arm64, not ${process.platform}/${process.arch}`);
  }
  // Resolved from the codex package, as its launcher script does; realpath because the sandbox binds real paths.
  const platformJson = createRequire(packageJson).resolve(`${platformPackage}/package.json`);
  const vendorDir = realpathSync(join(dirname(platformJson), "vendor"));

  // `<node_modules>/@openai/codex` → `<node_modules>/.bin`
  const binDir = join(packageDir, "..", "..", ".bin");
  return { bin: join(binDir, "codex"), binDir, vendorDir, version };
}
