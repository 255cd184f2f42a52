// `codex-smoke cache [clean]`: where the Codex releases `matrix` installed are kept and how much room they take;
// `clean` removes them (the next matrix installs again what it needs).
import { cachedReleases, cleanReleaseCache, describeCache, formatBytes } from "../codex/release-cache.js";
import { releaseCacheDir } from "../codex/releases.js";
import { UsageError } from "../core/errors.js";

export function cacheCommand(args: string[]): number {
  const [action, extra] = args;
  if (extra !== undefined || (action !== undefined && action !== "clean")) {
    const got = extra ?? action;
    throw new UsageError(
      `cache: expected no argument or "clean", got "${got}" (see codex-smoke cache --help)`,
    );
  }
  const dir = releaseCacheDir();
  if (action === undefined) {
    console.log(`Codex releases installed by matrix: ${describeCache(dir, cachedReleases(dir))}`);
    return 0;
  }
  const removed = cleanReleaseCache(dir);
  const bytes = removed.reduce((sum, release) => sum + release.bytes, 0);
  console.log(
    removed.length === 0
      ? `${dir}: no cached Codex release to remove`
      : `removed ${removed.length} cached Codex ${removed.length === 1 ? "release" : "releases"} (${removed.map((r) => r.version).join(", ")}), ${formatBytes(bytes)}, from ${dir}`,
  );
  return 0;
}
