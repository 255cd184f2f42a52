// The Codex releases `matrix --codex <list>` audits: release numbers (installed once with npm into
// ~/.cache/codex-smoke/codex/<version> and reused), `latest` (resolved with npm at run time), or paths to
// binaries; one audit per release, the user's own from the user's binary (nothing installed for it). npm runs
// with the caller's environment, so the user's registry configuration applies.
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { runCommand } from "../util/command.js";
import { isReleaseNumber, parseCodexVersion } from "./version.js";

export type ReleaseSpec =
  | { kind: "version"; version: string }
  | { kind: "latest" }
  | { kind: "path"; path: string };

export interface Release {
  /** The `--codex` entries that name it, as the user wrote them (a path resolved). */
  specs: string[];
  /** The `codex` executable to audit. */
  bin: string;
  /** Its release number (from npm, or what the binary prints with `--version`). */
  version: string;
  /** The user's own release: audited with the user's binary and Codex home as they are. */
  own: boolean;
}

const PACKAGE = "@openai/codex";

export const releaseCacheDir = (): string => join(homedir(), ".cache", "codex-smoke", "codex");

/** `--codex 0.150.0,latest,./bin/codex` (repeatable): what each entry names. */
export function parseReleaseList(values: string[]): ReleaseSpec[] {
  const entries = values.flatMap((value) => value.split(",")).map((entry) => entry.trim());
  const specs = entries.filter(Boolean).map((entry): ReleaseSpec => {
    if (entry === "latest") return { kind: "latest" };
    if (isReleaseNumber(entry)) return { kind: "version", version: entry };
    if (entry.includes("/") || existsSync(entry)) return { kind: "path", path: resolve(entry) };
    throw new UsageError(
      `--codex ${entry}: not a release number (like 0.150.0), latest, or a path to a codex binary`,
    );
  });
  if (specs.length === 0)
    throw new UsageError("--codex: expected a comma list of releases (0.150.0,latest,<path>)");
  return specs;
}

/** npm's own last line on failure (its `npm error …` lines name the cause). */
function npmProblem(stderr: string, exitCode: number | null): string {
  const lines = stderr.split("\n").filter((line) => /\S/.test(line));
  return (
    lines.find((line) => /npm error (code|notarget|404)/i.test(line)) ?? lines.at(-1) ?? `exit ${exitCode}`
  );
}

/** The release `latest` names now, asked of npm (the user's registry). */
export async function latestRelease(env: Record<string, string>): Promise<string> {
  const result = await runCommand("npm", ["view", `${PACKAGE}@latest`, "version"], { env });
  const version = result.stdout.trim();
  if (result.exitCode !== 0 || !isReleaseNumber(version)) {
    throw new Error(`npm could not resolve ${PACKAGE}@latest: ${npmProblem(result.stderr, result.exitCode)}`);
  }
  return version;
}

/** True when `dir` holds npm's install of `@openai/codex@<version>`. */
function holdsRelease(dir: string, version: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "node_modules", PACKAGE, "package.json"), "utf8"));
    return pkg.version === version;
  } catch {
    return false;
  }
}

/**
 * The `codex` of `version` in the cache, installed first if missing. npm installs into a fresh directory that
 * is then renamed into place, so a concurrent or interrupted install never leaves a half-installed release.
 * `tempDirs` holds the directory while npm runs, for the caller's Ctrl-C cleanup.
 */
export async function installedRelease(
  version: string,
  opts: { cacheDir: string; env: Record<string, string>; tempDirs: Set<string> },
): Promise<string> {
  const dir = join(opts.cacheDir, version);
  const bin = join(dir, "node_modules", ".bin", "codex");
  // Both, the package and its link: a release folder missing either is a broken install, replaced below.
  const installed = () => holdsRelease(dir, version) && existsSync(bin);
  if (installed()) return bin;
  const staging = mkdtempSync(join(opts.cacheDir, `.install-${version}-`));
  opts.tempDirs.add(staging);
  try {
    writeFileSync(join(staging, "package.json"), '{"private":true}\n');
    const args = [
      "install",
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      `${PACKAGE}@${version}`,
    ];
    const result = await runCommand("npm", args, { cwd: staging, env: opts.env });
    if (result.exitCode !== 0) {
      throw new Error(
        `npm could not install ${PACKAGE}@${version}: ${npmProblem(result.stderr, result.exitCode)}`,
      );
    }
    if (!installed()) {
      rmSync(dir, { recursive: true, force: true }); // a broken earlier install
      try {
        renameSync(staging, dir);
      } catch (error) {
        // Another matrix installed the same release meanwhile: use that one.
        if (!installed()) throw error;
      }
    }
    return bin;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    opts.tempDirs.delete(staging);
  }
}

/** The release number a binary prints with `--version`. */
export async function binaryVersion(bin: string, env: Record<string, string>): Promise<string | null> {
  const result = await runCommand(bin, ["--version"], { env, timeoutMs: 30_000 });
  return parseCodexVersion(result.stdout);
}

/** What one `--codex` entry names, found without installing anything: a path is asked for its version. */
async function namedRelease(
  spec: ReleaseSpec,
  opts: { env: Record<string, string>; latest: () => Promise<string> },
): Promise<{ spec: string; version: string; bin: string | null }> {
  if (spec.kind === "path") {
    if (!existsSync(spec.path)) throw new UsageError(`--codex ${spec.path}: no such file`);
    const version = await binaryVersion(spec.path, opts.env);
    if (version === null) throw new UsageError(`--codex ${spec.path}: \`--version\` names no Codex release`);
    return { spec: spec.path, bin: spec.path, version };
  }
  if (spec.kind === "latest") return { spec: "latest", bin: null, version: await opts.latest() };
  return { spec: spec.version, bin: null, version: spec.version };
}

/**
 * The releases `--codex` names, one per release number in the order first named (entries naming the same release
 * are audited once: two copies of a release cannot differ). The user's own release runs from the user's binary;
 * another release from a path given for it, else from the cache (installed first if missing). `latest` resolves
 * once per matrix (`latest` memoises it).
 */
export async function resolveReleases(
  specs: ReleaseSpec[],
  opts: {
    cacheDir: string;
    env: Record<string, string>;
    tempDirs: Set<string>;
    latest: () => Promise<string>;
    own: { bin: string; version: string } | null;
  },
): Promise<Release[]> {
  const named = await Promise.all(specs.map((spec) => namedRelease(spec, opts)));
  const versions = [...new Set(named.map((entry) => entry.version))];
  return Promise.all(
    versions.map(async (version): Promise<Release> => {
      const entries = named.filter((entry) => entry.version === version);
      const own = opts.own?.version === version;
      const given = entries.find((entry) => entry.bin !== null)?.bin ?? null;
      const bin = own && opts.own ? opts.own.bin : (given ?? (await installedRelease(version, opts)));
      return { specs: entries.map((entry) => entry.spec), bin, version, own };
    }),
  );
}
