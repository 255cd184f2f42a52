// Describes a Codex CLI installation: the one codex-smoke itself depends on in a checkout (the pinned dev
// dependency), or the one behind any `codex` executable (the npm wrapper or a standalone binary). The reference
// setup grants read on its package directory: sandboxed commands exec the native binary from there.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, sep } from "node:path";
import { PACKAGE_DIR } from "../core/version.js";

export interface CodexInstall {
  /** The `codex` executable launchers call (a wrapper script or the native binary). */
  bin: string;
  binDir: string;
  /** The directory the sandbox must be able to read: the native package's `vendor` dir, or a standalone binary's dir. */
  vendorDir: string;
  /** From the npm package's package.json; null for a standalone binary (ask `codex --version`). */
  version: string | null;
}

/** The platform packages `@openai/codex` declares, by Node's `process.arch` (Linux only: the sandbox is bwrap). */
const LINUX_PACKAGE_BY_ARCH: Record<string, string> = {
  x64: "@openai/codex-linux-x64",
  arm64: "@openai/codex-linux-arm64",
};

function platformPackage(): string {
  const name = LINUX_PACKAGE_BY_ARCH[process.arch];
  if (process.platform !== "linux" || name === undefined) {
    throw new Error(`codex-smoke needs Linux on x64 or arm64, not ${process.platform}/${process.arch}`);
  }
  return name;
}

/** The `@openai/codex` package directory a `bin/codex.js` wrapper belongs to, or null for anything else. */
function wrapperPackageDir(realBin: string): string | null {
  if (basename(realBin) !== "codex.js" || basename(dirname(realBin)) !== "bin") return null;
  const packageDir = dirname(dirname(realBin));
  try {
    const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { name?: string };
    return pkg.name === "@openai/codex" ? packageDir : null;
  } catch {
    return null;
  }
}

/** The installation behind a `codex` executable (symlinks resolved: the sandbox binds real paths). */
export function codexInstallFromBin(bin: string): CodexInstall {
  const realBin = realpathSync(bin);
  const packageDir = wrapperPackageDir(realBin);
  if (packageDir === null) {
    return { bin, binDir: dirname(bin), vendorDir: dirname(realBin), version: null };
  }
  const packageJson = join(packageDir, "package.json");
  const { version } = JSON.parse(readFileSync(packageJson, "utf8")) as { version: string };
  // Resolved from the codex package, as its wrapper script does.
  const platformJson = createRequire(packageJson).resolve(`${platformPackage()}/package.json`);
  return {
    bin,
    binDir: dirname(bin),
    vendorDir: realpathSync(join(dirname(platformJson), "vendor")),
    version,
  };
}

/**
 * The dev-dependency Codex of a checkout (`npm start`, the tests), or null in an installed package: there an
 * `@openai/codex` that Node would find above codex-smoke belongs to the user's project, not to codex-smoke.
 */
export function devDependencyCodex(packageRoot: string = PACKAGE_DIR): CodexInstall | null {
  if (packageRoot.split(sep).includes("node_modules")) return null;
  const bin = join(packageRoot, "node_modules", ".bin", "codex");
  return existsSync(bin) ? codexInstallFromBin(bin) : null;
}

/** The dev-dependency Codex; throws in an installed package (tests and the checkout's demo only). */
export function findCodexInstall(): CodexInstall {
  const install = devDependencyCodex();
  if (install === null) throw new Error("@openai/codex (a dev dependency of codex-smoke) is not installed");
  return install;
}
