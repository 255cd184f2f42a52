// The bounded walk that finds sample files on the host by name (src/audit/host-files.ts), on a real tree: breadth
// first in name order, never through a symlink, and stopping at each of its limits.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isDirectory, isRegularFile, regularFilesUnder } from "../../src/audit/host-files.js";

let root: string;
beforeEach(() => {
  const parent = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(parent, { recursive: true });
  root = mkdtempSync(join(parent, "test-guard-host-files-"));
  // root/b.txt, root/a.txt, root/sub/c.txt, root/sub/deeper/d.txt, root/skip/e.txt, root/link -> elsewhere
  for (const dir of ["sub/deeper", "skip", `../elsewhere-${root.split("/").at(-1)}`])
    mkdirSync(join(root, dir), { recursive: true });
  for (const file of ["b.txt", "a.txt", "sub/c.txt", "sub/deeper/d.txt", "skip/e.txt"])
    writeFileSync(join(root, file), "x");
  writeFileSync(join(elsewhere(), "f.txt"), "x");
  symlinkSync(elsewhere(), join(root, "link"));
  symlinkSync(join(root, "a.txt"), join(root, "a-link.txt"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(elsewhere(), { recursive: true, force: true });
});
const elsewhere = () => join(root, "..", `elsewhere-${root.split("/").at(-1)}`);
const rel = (paths: string[]) => paths.map((path) => path.slice(root.length + 1));

describe("regularFilesUnder", () => {
  it("breadth first, in name order, never through a symlink (to a folder or a file)", () => {
    expect(rel(regularFilesUnder(root, { maxFiles: 10, maxDepth: 5 }))).toEqual([
      "a.txt",
      "b.txt",
      "skip/e.txt",
      "sub/c.txt",
      "sub/deeper/d.txt",
    ]);
  });

  it("maxDepth 0 is the start folder only; 1 goes one folder down", () => {
    expect(rel(regularFilesUnder(root, { maxFiles: 10, maxDepth: 0 }))).toEqual(["a.txt", "b.txt"]);
    expect(rel(regularFilesUnder(root, { maxFiles: 10, maxDepth: 1 }))).toEqual([
      "a.txt",
      "b.txt",
      "skip/e.txt",
      "sub/c.txt",
    ]);
  });

  it("stops at maxFiles, and at maxEntries entries looked at", () => {
    expect(rel(regularFilesUnder(root, { maxFiles: 1, maxDepth: 5 }))).toEqual(["a.txt"]);
    // a-link.txt, a.txt, b.txt: the third entry is the last looked at.
    expect(rel(regularFilesUnder(root, { maxFiles: 10, maxDepth: 5, maxEntries: 3 }))).toEqual([
      "a.txt",
      "b.txt",
    ]);
  });

  it("skips the folders and names it is told to, and the files accept refuses", () => {
    const files = regularFilesUnder(root, {
      maxFiles: 10,
      maxDepth: 5,
      skipDirs: new Set([join(root, "skip")]),
      skipName: (name) => name === "deeper",
      accept: (path) => !path.endsWith("b.txt"),
    });
    expect(rel(files)).toEqual(["a.txt", "sub/c.txt"]);
  });

  it("a regular file as the start is itself the one file, unless accept refuses it; nothing there yields none", () => {
    const file = join(root, "a.txt");
    expect(regularFilesUnder(file, { maxFiles: 10, maxDepth: 0 })).toEqual([file]);
    expect(regularFilesUnder(file, { maxFiles: 10, maxDepth: 0, accept: () => false })).toEqual([]);
    expect(regularFilesUnder(join(root, "none"), { maxFiles: 10, maxDepth: 3 })).toEqual([]);
  });
});

describe("isRegularFile and isDirectory", () => {
  it("by the entry itself: a symlink is neither, a missing path is neither", () => {
    expect([isRegularFile(join(root, "a.txt")), isRegularFile(join(root, "a-link.txt"))]).toEqual([
      true,
      false,
    ]);
    expect([isDirectory(join(root, "sub")), isDirectory(join(root, "link"))]).toEqual([true, false]);
    expect([isRegularFile(join(root, "none")), isDirectory(join(root, "none"))]).toEqual([false, false]);
  });
});
