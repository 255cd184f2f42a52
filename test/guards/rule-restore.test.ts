// What the host removes after the rule probes (src/audit/rule-restore.ts), on real files: the probe's own file at
// its nonce path and the empty placeholders Codex leaves in an extra writable root, and nothing else — not a file
// with other content, not a symlink planted at the probe's name (nor what it points to), not a folder swapped for
// a link (decisions §27).
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  placeholdersBefore,
  recordRuleWrites,
  removeRootPlaceholders,
  restoreRuleWrites,
} from "../../src/audit/rule-restore.js";
import { markerContent } from "../../src/runner/markers.js";

const NONCE = "0123456789ab";
let root: string;
beforeEach(() => {
  const parent = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(parent, { recursive: true });
  root = mkdtempSync(join(parent, "test-guard-rule-restore-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A folder under the test's root, made now, and the probe's path `name` in it. */
function probePath(folder: string, name = `.codex-smoke-rule-${NONCE}-0`): string {
  mkdirSync(join(root, folder), { recursive: true });
  return join(root, folder, name);
}

describe("restoreRuleWrites", () => {
  it("removes the probe's own file and says it landed", () => {
    const path = probePath("cache");
    const record = recordRuleWrites([path]);
    writeFileSync(path, markerContent(NONCE));
    expect(restoreRuleWrites(record, NONCE)).toEqual({
      outcomes: [{ path, landed: true }],
      restored: [`removed ${path}`],
      leftAlone: [],
    });
    expect(existsSync(path)).toBe(false);
  });

  it("nothing at the probe's path: nothing landed, nothing said", () => {
    const path = probePath("cache");
    expect(restoreRuleWrites(recordRuleWrites([path]), NONCE)).toEqual({
      outcomes: [{ path, landed: false }],
      restored: [],
      leftAlone: [],
    });
  });

  it("a file with other content at the probe's name is not the probe's: it stays, and that is said", () => {
    const path = probePath("cache");
    const record = recordRuleWrites([path]);
    writeFileSync(path, "someone else's\n");
    const restored = restoreRuleWrites(record, NONCE);
    expect(restored.outcomes).toEqual([{ path, landed: false }]);
    expect(restored.leftAlone).toEqual([`${path} is not the probe's file: left as it is`]);
    expect(restored.restored).toEqual([]);
    expect(readFileSync(path, "utf8")).toBe("someone else's\n");
  });

  it("another nonce's marker of the same length is not this run's: it stays", () => {
    const path = probePath("cache");
    const record = recordRuleWrites([path]);
    writeFileSync(path, markerContent("ba9876543210"));
    expect(restoreRuleWrites(record, NONCE).outcomes).toEqual([{ path, landed: false }]);
    expect(existsSync(path)).toBe(true);
  });

  it("a larger file starting with the probe's content stays, and restore does not throw on it", () => {
    const path = probePath("cache");
    const record = recordRuleWrites([path]);
    const larger = `${markerContent(NONCE)}${"x".repeat(4096)}`;
    writeFileSync(path, larger);
    const restored = restoreRuleWrites(record, NONCE);
    expect(restored.outcomes).toEqual([{ path, landed: false }]);
    expect(restored.leftAlone).toEqual([`${path} is not the probe's file: left as it is`]);
    expect(readFileSync(path, "utf8")).toBe(larger);
  });

  it("a symlink planted at the probe's name, to a host file holding the probe's content: link and file stay", () => {
    const path = probePath("cache");
    const hostFile = join(root, "host-file");
    writeFileSync(hostFile, markerContent(NONCE));
    const record = recordRuleWrites([path]);
    symlinkSync(hostFile, path);
    const restored = restoreRuleWrites(record, NONCE);
    expect(restored.outcomes).toEqual([{ path, landed: false }]);
    expect(restored.leftAlone).toEqual([`${path} is not the probe's file: left as it is`]);
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readFileSync(hostFile, "utf8")).toBe(markerContent(NONCE));
  });

  it("a folder at the probe's name stays with its content", () => {
    const path = probePath("cache");
    const record = recordRuleWrites([path]);
    mkdirSync(path);
    writeFileSync(join(path, "kept"), "k");
    const restored = restoreRuleWrites(record, NONCE);
    expect(restored.leftAlone).toEqual([`${path} is not the probe's file: left as it is`]);
    expect(readFileSync(join(path, "kept"), "utf8")).toBe("k");
  });

  it("a folder that did not exist at staging is never looked into afterwards", () => {
    const path = join(root, "later", `.codex-smoke-rule-${NONCE}-0`);
    const record = recordRuleWrites([path]);
    expect(record).toEqual([{ path, folder: null }]);
    mkdirSync(join(root, "later"));
    writeFileSync(path, markerContent(NONCE));
    const restored = restoreRuleWrites(record, NONCE);
    expect(restored.leftAlone).toEqual([`${path}: its folder changed during the audit; left as it is`]);
    expect(existsSync(path)).toBe(true);
  });

  it("each write is judged on its own: one removed, one left, one absent, in the record's order", () => {
    const probe = probePath("a");
    const other = probePath("b");
    const absent = probePath("c");
    const record = recordRuleWrites([probe, other, absent]);
    writeFileSync(probe, markerContent(NONCE));
    writeFileSync(other, "x");
    expect(restoreRuleWrites(record, NONCE)).toEqual({
      outcomes: [
        { path: probe, landed: true },
        { path: other, landed: false },
        { path: absent, landed: false },
      ],
      restored: [`removed ${probe}`],
      leftAlone: [`${other} is not the probe's file: left as it is`],
    });
  });
});

describe("the placeholders Codex leaves in an extra writable root", () => {
  it("records only the protected names absent before, and removes them only while empty", () => {
    const dir = join(root, "shared");
    mkdirSync(join(dir, ".git"), { recursive: true });
    const roots = placeholdersBefore([dir]);
    expect(roots.map((r) => [r.dir, r.absent])).toEqual([[dir, [".agents", ".aws", ".codex"]]]);
    mkdirSync(join(dir, ".agents"));
    writeFileSync(join(dir, ".aws"), "");
    mkdirSync(join(dir, ".codex"));
    writeFileSync(join(dir, ".codex", "config.toml"), "x = 1\n");
    expect(removeRootPlaceholders(roots)).toEqual([
      `removed the empty ${dir}/.agents Codex left`,
      `removed the empty ${dir}/.aws Codex left`,
    ]);
    expect([".agents", ".aws", ".codex", ".git"].map((name) => existsSync(join(dir, name)))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it("a file with content, or a symlink, at a protected name stays", () => {
    const dir = join(root, "shared");
    mkdirSync(dir);
    const roots = placeholdersBefore([dir]);
    writeFileSync(join(dir, ".aws"), "[default]\n");
    symlinkSync(join(root, "nowhere"), join(dir, ".agents"));
    expect(removeRootPlaceholders(roots)).toEqual([]);
    expect(readFileSync(join(dir, ".aws"), "utf8")).toBe("[default]\n");
    expect(lstatSync(join(dir, ".agents")).isSymbolicLink()).toBe(true);
  });

  it("a root swapped for a symlink after staging is not entered: the empty folders it leads to stay", () => {
    const dir = join(root, "shared");
    const elsewhere = join(root, "elsewhere");
    mkdirSync(dir);
    mkdirSync(join(elsewhere, ".agents"), { recursive: true });
    const roots = placeholdersBefore([dir]);
    rmSync(dir, { recursive: true });
    symlinkSync(elsewhere, dir);
    expect(removeRootPlaceholders(roots)).toEqual([]);
    expect(existsSync(join(elsewhere, ".agents"))).toBe(true);
  });

  it("a root absent at staging has nothing recorded and nothing removed", () => {
    const dir = join(root, "absent");
    const roots = placeholdersBefore([dir]);
    expect(roots).toEqual([{ folder: null, dir, absent: [] }]);
    mkdirSync(join(dir, ".agents"), { recursive: true });
    expect(removeRootPlaceholders(roots)).toEqual([]);
    expect(existsSync(join(dir, ".agents"))).toBe(true);
  });
});

describe("the folders the host opens to restore", () => {
  /** The host's open descriptors that lead into the test's tree (another test's files are not counted). */
  const openInRoot = () =>
    readdirSync("/proc/self/fd").filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(root);
      } catch {
        return false; // closed meanwhile (the listing's own descriptor)
      }
    });

  it("are all closed again: recording, restoring and the placeholders leave no descriptor open", () => {
    const path = probePath("cache");
    const record = recordRuleWrites([path]);
    const roots = placeholdersBefore([join(root, "cache")]);
    writeFileSync(path, "someone else's\n");
    restoreRuleWrites(record, NONCE);
    writeFileSync(path, markerContent(NONCE));
    restoreRuleWrites(record, NONCE);
    removeRootPlaceholders(roots);
    expect(openInRoot()).toEqual([]);
  });

  it("a folder removed during the audit is not made again to look into it", () => {
    const path = probePath("gone");
    const record = recordRuleWrites([path]);
    const roots = placeholdersBefore([join(root, "gone")]);
    rmSync(join(root, "gone"), { recursive: true });
    expect(restoreRuleWrites(record, NONCE).leftAlone).toEqual([
      `${path}: its folder changed during the audit; left as it is`,
    ]);
    expect(removeRootPlaceholders(roots)).toEqual([]);
    expect(existsSync(join(root, "gone"))).toBe(false);
  });

  it("a symlink at the probe's name whose target is as long as the probe's content is left, not read", () => {
    const path = probePath("cache");
    const record = recordRuleWrites([path]);
    const target = "t".repeat(Buffer.byteLength(markerContent(NONCE)));
    symlinkSync(target, path);
    expect(restoreRuleWrites(record, NONCE).leftAlone).toEqual([
      `${path} is not the probe's file: left as it is`,
    ]);
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
  });
});
