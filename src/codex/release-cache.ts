// The release cache `matrix` fills (~/.cache/codex-smoke/codex/<version>, one npm install each, 200–450 MB): what
// it holds and how big it is (matrix prints it after its table), and `codex-smoke cache clean`, which empties it.
import { lstatSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { compareVersions, isReleaseNumber } from "./version.js";

interface CachedRelease {
  version: string;
  /** Disk usage (allocated blocks), each file counted once. */
  bytes: number;
}

/** Disk usage of a tree, symlinks not followed, a hard-linked file counted once (`seen`). */
function diskUsage(path: string, seen: Set<string>): number {
  const stat = lstatSync(path, { bigint: true });
  const id = `${stat.dev}:${stat.ino}`;
  if (seen.has(id)) return 0;
  seen.add(id);
  const own = Number(stat.blocks) * 512;
  if (!stat.isDirectory()) return own;
  return readdirSync(path).reduce((sum, name) => sum + diskUsage(join(path, name), seen), own);
}

/** The releases in the cache, oldest first; an install in progress (`.install-*`) is not one of them. */
export function cachedReleases(cacheDir: string): CachedRelease[] {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return []; // no cache yet
  }
  const seen = new Set<string>();
  return names
    .filter(isReleaseNumber)
    .sort(compareVersions)
    .map((version) => ({ version, bytes: diskUsage(join(cacheDir, version), seen) }));
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return `${Math.round(bytes / 1e6)} MB`;
}

/** `<dir>: 3 releases (0.150.0, 0.160.0, 0.171.0), 1.1 GB` */
export function describeCache(cacheDir: string, releases: CachedRelease[]): string {
  if (releases.length === 0) return `${cacheDir}: empty`;
  const total = releases.reduce((sum, release) => sum + release.bytes, 0);
  const versions = releases.map((release) => release.version).join(", ");
  return `${cacheDir}: ${releases.length} ${releases.length === 1 ? "release" : "releases"} (${versions}), ${formatBytes(total)}`;
}

/** Removes every cached release (an install another matrix has in progress is left to it); returns what went. */
export function cleanReleaseCache(cacheDir: string): CachedRelease[] {
  const releases = cachedReleases(cacheDir);
  for (const release of releases) rmSync(join(cacheDir, release.version), { recursive: true, force: true });
  return releases;
}
