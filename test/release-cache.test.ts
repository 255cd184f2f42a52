// The release cache `matrix` fills and `codex-smoke cache [clean]` reports and empties, on real folders: which
// entries are releases, their disk usage as du(1) counts it (hard links once, symlinks not followed), the one line
// that describes the cache, and what `clean` removes and leaves.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedReleases, cleanReleaseCache, describeCache, formatBytes } from "../src/codex/release-cache.js";

let root: string;
let cacheDir: string;

beforeEach(() => {
  root = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-release-cache-"));
  cacheDir = join(root, "codex");
  mkdirSync(cacheDir);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A cached release: a package dir with a file of `size` bytes (not sparse, so it takes its blocks). */
function release(version: string, size: number): string {
  const dir = join(cacheDir, version, "node_modules", "@openai", "codex");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "codex"), Buffer.alloc(size, 1));
  return join(cacheDir, version);
}

/** du(1)'s disk usage in bytes of the folders together (a hard link met twice is counted once). */
const du = (...dirs: string[]) =>
  execFileSync("du", ["-s", "-B1", "--total", ...dirs], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => Number(line.split("\t")[0]));

describe("cachedReleases", () => {
  it("no cache folder yet is an empty cache", () => {
    expect(cachedReleases(join(root, "missing"))).toEqual([]);
  });

  it("lists release folders oldest first by release number, not an install in progress or another file", () => {
    release("0.150.0", 10);
    release("0.99.0", 10);
    release("0.170.0-alpha.2", 10);
    release("0.170.0", 10);
    mkdirSync(join(cacheDir, ".install-0.171.0-Ab12Cd"));
    writeFileSync(join(cacheDir, "notes.txt"), "mine\n");
    const versions = cachedReleases(cacheDir).map((entry) => entry.version);
    expect(versions).toEqual(["0.99.0", "0.150.0", "0.170.0-alpha.2", "0.170.0"]);
  });

  it("each release's size is its disk usage as du counts it, a hard link shared between two releases once", () => {
    const older = release("0.150.0", 300_000);
    const newer = release("0.160.0", 50_000);
    const shared = join(older, "node_modules", "@openai", "codex", "codex");
    linkSync(shared, join(newer, "node_modules", "shared-binary"));
    // A symlink to a big file outside the cache counts as the link, not as what it points at.
    writeFileSync(join(root, "outside"), Buffer.alloc(2_000_000, 1));
    symlinkSync(join(root, "outside"), join(newer, "node_modules", "link"));
    const [first, second] = du(older, newer);
    expect(cachedReleases(cacheDir)).toEqual([
      { version: "0.150.0", bytes: first },
      { version: "0.160.0", bytes: second },
    ]);
    expect(first).toBeGreaterThan(300_000);
    expect(second).toBeLessThan(300_000);
  });
});

describe("describeCache and formatBytes", () => {
  it("sizes below a gigabyte are whole megabytes, from a gigabyte on tenths of gigabytes", () => {
    expect(formatBytes(0)).toBe("0 MB");
    expect(formatBytes(1_499_999)).toBe("1 MB");
    expect(formatBytes(1_500_000)).toBe("2 MB");
    expect(formatBytes(999_999_999)).toBe("1000 MB");
    expect(formatBytes(1e9)).toBe("1.0 GB");
    expect(formatBytes(1_149_999_999)).toBe("1.1 GB");
  });

  it("an empty cache says so; one release is singular; several are listed with their total", () => {
    expect(describeCache("/c", [])).toBe("/c: empty");
    expect(describeCache("/c", [{ version: "0.150.0", bytes: 420e6 }])).toBe(
      "/c: 1 release (0.150.0), 420 MB",
    );
    expect(
      describeCache("/c", [
        { version: "0.150.0", bytes: 420e6 },
        { version: "0.160.0", bytes: 380e6 },
        { version: "0.171.0", bytes: 300e6 },
      ]),
    ).toBe("/c: 3 releases (0.150.0, 0.160.0, 0.171.0), 1.1 GB");
  });
});

describe("cleanReleaseCache", () => {
  it("removes every cached release and says which went; an install in progress and other files stay", () => {
    release("0.150.0", 10);
    release("0.160.0", 10);
    mkdirSync(join(cacheDir, ".install-0.171.0-Ab12Cd"));
    writeFileSync(join(cacheDir, "notes.txt"), "mine\n");
    const removed = cleanReleaseCache(cacheDir);
    expect(removed.map((entry) => entry.version)).toEqual(["0.150.0", "0.160.0"]);
    expect(removed.every((entry) => entry.bytes > 0)).toBe(true);
    expect(readdirSync(cacheDir).sort()).toEqual([".install-0.171.0-Ab12Cd", "notes.txt"]);
  });

  it("an empty or missing cache removes nothing", () => {
    expect(cleanReleaseCache(cacheDir)).toEqual([]);
    expect(cleanReleaseCache(join(root, "missing"))).toEqual([]);
    expect(existsSync(join(root, "missing"))).toBe(false);
  });
});
