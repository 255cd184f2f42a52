// The launcher's files the host resolves and hashes (launcher-files.ts), on real files: where a path the launcher
// names is looked up, a launcher that is no file, a project name starting with two dots, a missing path's
// absolute form, and that hashing leaves no descriptor open (issue 20).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { hashFiles, launcherFiles, realPathOf } from "../../src/audit/launcher-files.js";
import { tempDirs } from "../helpers/temp-dirs.js";

const { tempDir } = tempDirs("test-guard-launcher-files-");

/** A fresh project holding `files` (paths relative to it, each made with its folders). */
function projectWith(files: string[]): string {
  const project = tempDir();
  for (const file of files) {
    mkdirSync(join(project, file, ".."), { recursive: true });
    writeFileSync(join(project, file), "x\n");
  }
  return project;
}

describe("launcherFiles", () => {
  it("a path the launcher names is found beside the launcher, one it runs from the cwd in the project", () => {
    // Each name exists in one of the two places only, so a lookup in the wrong one finds nothing.
    const project = projectWith(["bin/codex-auto", "bin/env.sh", "settings.sh"]);
    const files = launcherFiles(join(project, "bin/codex-auto"), project, [
      { line: 2, path: "env.sh", from: "launcher" },
      { line: 3, path: "settings.sh", from: "cwd" },
    ]);
    expect(files.map((file) => relative(project, file))).toEqual([
      "bin/codex-auto",
      "bin/env.sh",
      "settings.sh",
    ]);
  });

  it("a launcher that is no file (gone) is not listed: only the project files it runs", () => {
    const project = projectWith(["settings.sh"]);
    const files = launcherFiles(join(project, "codex-auto"), project, [
      { line: 2, path: "settings.sh", from: "cwd" },
    ]);
    expect(files).toEqual([join(project, "settings.sh")]);
  });

  it("a project file whose name starts with two dots is inside the project", () => {
    const project = projectWith(["codex-auto", "..env"]);
    const files = launcherFiles(join(project, "codex-auto"), project, [
      { line: 2, path: "..env", from: "cwd" },
    ]);
    expect(files).toEqual([join(project, "codex-auto"), join(project, "..env")]);
  });
});

describe("realPathOf", () => {
  it("follows a symlink to the real path; a missing path is made absolute", () => {
    const dir = realPathOf(tempDir());
    writeFileSync(join(dir, "real"), "x\n");
    symlinkSync(join(dir, "real"), join(dir, "link"));
    expect(realPathOf(join(dir, "link"))).toBe(join(dir, "real"));
    expect(realPathOf("missing/launcher")).toBe(join(process.cwd(), "missing/launcher"));
  });
});

describe("hashFiles", () => {
  it("leaves no descriptor open on what it hashed, a file or a FIFO", () => {
    const dir = tempDir();
    const file = join(dir, "codex-auto");
    const fifo = join(dir, "fifo");
    writeFileSync(file, "#!/bin/sh\n");
    execFileSync("mkfifo", [fifo]);
    const hashes = hashFiles([file, fifo]);
    expect([hashes[file]?.length, hashes[fifo]]).toEqual([64, null]);
    // This process's open descriptors, by what they lead to (another test's files are elsewhere).
    const open = readdirSync("/proc/self/fd").flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/self/fd/${fd}`)];
      } catch {
        return [];
      }
    });
    expect(open.filter((target) => target.startsWith(dir))).toEqual([]);
  });
});
