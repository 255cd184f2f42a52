// What the host plans to prove each filesystem entry of the profile (src/audit/rule-plan.ts), on a real temporary
// tree: the whole plan of each entry (probe, note and whether a file is made after launch), the samples each kind
// of entry takes and skips, the files a deny glob's new match may be, and the folders write entries make writable.

import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { type PlannedRule, planRuleProbes, writableRoots } from "../../src/audit/rule-plan.js";
import { activeProfile, type ProfileRule } from "../../src/gather/profile-rules.js";
import { tempDirs } from "../helpers/temp-dirs.js";

const NONCE = "0123456789ab";
const { tempDir } = tempDirs("test-guard-rule-plan-");

let root: string;
let project: string;
beforeEach(() => {
  root = tempDir();
  project = join(root, "proj");
  mkdirSync(project);
});

/** An entry over these paths, as profile-rules.ts makes it (a workspace-root entry has one path per root). */
function entry(
  access: ProfileRule["access"],
  paths: string[],
  kind: ProfileRule["kind"] = "path",
): ProfileRule {
  return { text: `${JSON.stringify(paths[0] ?? "")} = ${JSON.stringify(access)}`, access, kind, paths };
}

const planOf = (...rules: ProfileRule[]): PlannedRule[] =>
  planRuleProbes({ name: "p", rules, globScanMaxDepth: null }, { project, nonce: NONCE });

/** A folder under the temp root holding these (empty) files. */
function folderWith(name: string, ...files: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, file), "x\n");
  return dir;
}

const marker = (dir: string, index: number) => join(dir, `.codex-smoke-rule-${NONCE}-${index}`);

describe("path entries", () => {
  it("a write entry on a folder with files gets a new file made there, none of its files opened or appended to", () => {
    const dir = folderWith("shared", "notes.txt");
    const rule = entry("write", [dir]);
    expect(planOf(rule)).toEqual([
      {
        text: rule.text,
        access: "write",
        probe: { read: [], append: null, create: marker(dir, 0) },
        note: null,
        createdAfterLaunch: false,
      },
    ]);
  });

  it("a write entry on a file is proved by appending to it (nothing to make)", () => {
    const file = join(folderWith("shared", "notes.txt"), "notes.txt");
    const rule = entry("write", [file]);
    expect(planOf(rule)).toEqual([
      {
        text: rule.text,
        access: "write",
        probe: { read: [], append: file, create: null },
        note: null,
        createdAfterLaunch: false,
      },
    ]);
  });

  it("a deny entry opens up to three governed files and appends to none; a read entry opens two and appends to the first", () => {
    const dir = folderWith("shared", "a.txt", "b.txt", "c.txt", "d.txt");
    const [deny, read] = [entry("none", [dir]), entry("read", [dir])];
    const file = (name: string) => join(dir, name);
    expect(planOf(deny)).toEqual([
      {
        text: deny.text,
        access: "none",
        probe: { read: [file("a.txt"), file("b.txt"), file("c.txt")], append: null, create: null },
        note: null,
        createdAfterLaunch: false,
      },
    ]);
    expect(planOf(read)).toEqual([
      {
        text: read.text,
        access: "read",
        probe: { read: [file("a.txt"), file("b.txt")], append: file("a.txt"), create: null },
        note: null,
        createdAfterLaunch: false,
      },
    ]);
  });

  it("an entry with nothing to try says why: a deny entry on an empty folder, any entry on a missing path", () => {
    const empty = folderWith("empty");
    const missing = join(root, "nowhere");
    const rules = [entry("none", [empty]), entry("write", [missing]), entry("read", [missing])];
    const notes = {
      emptyFolder: "nothing to test: no file under it on the host",
      absent: "nothing to test: the path does not exist on the host",
    };
    expect(planOf(...rules)).toEqual(
      [notes.emptyFolder, notes.absent, notes.absent].map((note, index) => ({
        text: rules[index]?.text,
        access: rules[index]?.access,
        probe: null,
        note,
        createdAfterLaunch: false,
      })),
    );
  });

  it("over several roots, a symlink in any one is why nothing is tried; else an executable in any one, not the missing rest", () => {
    const tool = join(folderWith("bin", "tool"), "tool");
    chmodSync(tool, 0o755);
    symlinkSync(join(root, "bin"), join(root, "link"));
    const missing = join(root, "nowhere");
    const notes = planOf(entry("read", [missing, join(root, "link")]), entry("read", [missing, tool])).map(
      (rule) => [rule.probe, rule.note],
    );
    expect(notes).toEqual([
      [null, "not tested: the path is a symbolic link on the host (the host never follows links)"],
      [
        null,
        "not tested here: only executable files (one may be running); launcher.integrity probes the launcher's files",
      ],
    ]);
  });

  it("samples skip .git and codex-smoke's own files (an earlier run's marker), not a name that merely ends like one", () => {
    const dir = folderWith("shared", `.codex-smoke-rule-${NONCE}-9`, "notes.codex-smoke", "z.txt");
    mkdirSync(join(dir, ".git"));
    writeFileSync(join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
    const [deny] = planOf(entry("none", [dir]));
    expect(deny?.probe?.read).toEqual([join(dir, "notes.codex-smoke"), join(dir, "z.txt")]);
  });

  it("an entry's samples across its folders stop at its quota: a later folder adds none once it is full, only the rest before", () => {
    // A workspace-root entry names the same subpath in each root: here a folder in the first and a file in the
    // second (a file is a sample by itself, whatever the quota left for it).
    const full = folderWith("one/x", "a.txt", "b.txt");
    mkdirSync(join(root, "two"));
    writeFileSync(join(root, "two", "x"), "x\n");
    const [quotaReached] = planOf(entry("read", [full, join(root, "two", "x")]));
    expect(quotaReached?.probe?.read).toEqual([join(full, "a.txt"), join(full, "b.txt")]);

    const first = folderWith("one/y", "a.txt");
    const second = folderWith("two/y", "a.txt", "b.txt", "c.txt");
    const [quotaLeft] = planOf(entry("read", [first, second]));
    expect(quotaLeft?.probe?.read).toEqual([join(first, "a.txt"), join(second, "a.txt")]);
  });

  it("an entry on / never samples a file under /proc, /sys, /dev or /run", () => {
    // Every other top-level name gets an entry of its own, so "/" governs only what is under the four folders;
    // a file in /dev/shm makes sure /dev holds one (/proc always does, /sys and /run do on most hosts).
    const shm = join("/dev/shm", `codex-smoke-test-${process.pid}-${NONCE}`);
    writeFileSync(shm, "x\n");
    try {
      const system = new Set(["proc", "sys", "dev", "run"]);
      const others = readdirSync("/").filter((name) => !system.has(name));
      const [slash] = planOf(entry("none", ["/"]), ...others.map((name) => entry("read", [`/${name}`])));
      expect([slash?.probe, slash?.note]).toEqual([null, "nothing to test: no file under it on the host"]);
    } finally {
      rmSync(shm, { force: true });
    }
  });

  it("a file whose path is too long to look at (ENAMETOOLONG) is not a sample: the runner could not open it either", () => {
    // The folder's path fits PATH_MAX (4096), a file's path in it does not: the walk lists the file by name, and
    // only the look at its mode fails. Node has no call relative to a folder, so a shell makes and removes it.
    let deep = root;
    while (deep.length < 4000) deep = join(deep, "d".repeat(Math.min(250, 4000 - deep.length)));
    mkdirSync(deep, { recursive: true });
    const name = "f".repeat(250);
    const inDeep = (command: string) =>
      expect(spawnSync("sh", ["-c", `cd "$1" && ${command} "$2"`, "sh", deep, name]).status).toBe(0);
    inDeep(":>");
    try {
      expect(join(deep, name).length).toBeGreaterThan(4096);
      const [deny] = planOf(entry("none", [deep]));
      expect([deny?.probe, deny?.note]).toEqual([null, "nothing to test: no file under it on the host"]);
    } finally {
      inDeep("rm");
    }
  });

  it("an executable file is never a sample (it may be running)", () => {
    const dir = folderWith("bin", "tool", "readme");
    chmodSync(join(dir, "tool"), 0o700);
    const [deny] = planOf(entry("none", [dir]));
    expect(deny?.probe?.read).toEqual([join(dir, "readme")]);
  });
});

describe("other entries", () => {
  it("a special path this Codex does not know grants nothing and is not probed", () => {
    const profile = activeProfile(
      { default_permissions: "p", permissions: { p: { filesystem: { ":bogus": "read" } } } },
      { home: root, workspaceRoots: [project], tmpdir: undefined },
    );
    if (!profile) throw new Error("no profile");
    expect(planRuleProbes(profile, { project, nonce: NONCE })).toEqual([
      {
        text: '":bogus" = "read"',
        access: "read",
        probe: null,
        note: "grants nothing: not a special path this Codex knows",
        createdAfterLaunch: false,
      },
    ]);
  });

  it("a read or write glob is not probed: Codex applies globs to deny reads only", () => {
    writeFileSync(join(project, "a.env"), "X=1\n");
    const rules = [entry("write", [project]), entry("read", [join(project, "*.env")], "glob")];
    expect(planOf(...rules)[1]).toEqual({
      text: rules[1]?.text,
      access: "read",
      probe: null,
      note: "not tested: Codex applies globs to deny reads only",
      createdAfterLaunch: false,
    });
  });
});

describe("deny globs", () => {
  const writable = () => entry("write", [project]);
  const glob = (pattern: string) => entry("none", [pattern], "glob");
  const created = (plan: PlannedRule | undefined) => plan?.probe?.create ?? null;

  it("opens only the files the glob matches, and makes none where the folder is not writable", () => {
    writeFileSync(join(project, "a.env"), "X=1\n");
    writeFileSync(join(project, "notes.txt"), "n\n");
    const rules = [entry("read", [project]), glob(join(project, "*.env"))];
    expect(planOf(...rules)[1]).toEqual({
      text: rules[1]?.text,
      access: "none",
      probe: { read: [join(project, "a.env")], append: null, create: null },
      note: null,
      createdAfterLaunch: false,
    });
  });

  it("with no match on the host, a new nonce-named file the glob matches is made after launch", () => {
    const rules = [writable(), glob(join(project, "*.env"))];
    expect(planOf(...rules)[1]).toEqual({
      text: rules[1]?.text,
      access: "none",
      probe: { read: [], append: null, create: join(project, `codex-smoke-${NONCE}.env`) },
      note: null,
      createdAfterLaunch: true,
    });
  });

  it("the new file's name fills the first * with the nonce, drops the other *, and makes each ? an x", () => {
    mkdirSync(join(project, "vault"));
    const patterns = ["secret*.env", "*-key*.pem", "*.ke?", "vault/**"].map((p) => join(project, p));
    const plan = planOf(writable(), ...patterns.map(glob));
    expect(plan.slice(1).map(created)).toEqual([
      join(project, `secretcodex-smoke-${NONCE}.env`),
      join(project, `codex-smoke-${NONCE}-key.pem`),
      join(project, `codex-smoke-${NONCE}.kex`),
      join(project, "vault", `codex-smoke-${NONCE}`),
    ]);
  });

  it("a glob at the root of the filesystem makes its file in /", () => {
    const pattern = `/*.codex-smoke-test-${NONCE}`;
    const plan = planOf(entry("write", ["/"]), glob(pattern));
    expect(created(plan[1])).toBe(`/codex-smoke-${NONCE}.codex-smoke-test-${NONCE}`);
  });

  it("no new file for a pattern that would not name the nonce, or not match what it names, or has a character class", () => {
    mkdirSync(join(project, "subx"));
    const patterns = [
      // No `*`: the only name is one a user's file may have.
      "secret?.txt",
      // The filled name does not match (the pattern wants a folder below it).
      "x*y/**",
      // A class: `[!x]` left as written happens to match itself, but a class is not filled.
      "sub?/[!x]*.env",
      // The folder does not exist.
      "missing/*.env",
    ].map((p) => join(project, p));
    const plan = planOf(writable(), ...patterns.map(glob));
    expect(plan.slice(1).map((rule) => [rule.probe, rule.note, rule.createdAfterLaunch])).toEqual(
      patterns.map(() => [
        null,
        "nothing to test: no matching file on the host and no writable folder to make one in",
        false,
      ]),
    );
  });

  it("no new file where the folder is read-only, or no entry covers it, or a deny glob covers the folder itself", () => {
    const pattern = join(project, "*.env");
    expect(created(planOf(entry("read", [project]), glob(pattern))[1])).toBeNull();
    expect(created(planOf(glob(pattern))[0])).toBeNull();
    // Only the path entries decide whether the folder is writable: another deny glob matching it changes nothing.
    const folderGlob = glob(`${project.slice(0, -1)}*`);
    expect(created(planOf(writable(), glob(pattern), folderGlob)[1])).toBe(
      join(project, `codex-smoke-${NONCE}.env`),
    );
  });
});

describe("writable roots", () => {
  it("the folders write entries make files in, besides the project: not a read entry's, a glob's or a file's", () => {
    const shared = folderWith("shared");
    const cache = folderWith("cache");
    const file = join(folderWith("files", "notes.txt"), "notes.txt");
    const plan = planOf(
      entry("write", [project]),
      entry("write", [shared]),
      entry("read", [cache]),
      entry("none", [join(project, "*.env")], "glob"),
      entry("write", [file]),
      entry("write", [join(root, "nowhere")]),
    );
    // The read entry on an empty folder is proved by a file it must refuse: planned, but not a writable root.
    expect(plan[2]?.probe?.create).toBe(marker(cache, 2));
    expect(writableRoots(plan, project)).toEqual([shared]);
  });
});
