// Restore undoes the probe's own work and nothing else, on a real repository: the probe's commit (its identity
// and nonce subject, its marker staged), a user's commit on top, uncommitted work, the probe's marker in `.git`.
// Each test is named for the one-token bug it kills (issue 20).
import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { HostRecord } from "../../src/audit/record.js";
import { removePlaceholders, restoreHost } from "../../src/audit/restore.js";
import { ownNamespaces } from "../../src/runner/attest.js";
import { markerContent, PROBE_COMMIT, PROBE_MARKERS } from "../../src/runner/markers.js";
import { pinGitNowhere } from "../helpers/git-nowhere.js";
import { tempDirs } from "../helpers/temp-dirs.js";

// git run by the code under test never reaches this checkout (test/helpers/git-nowhere.ts).
pinGitNowhere();

const NONCE = "0123456789ab";
const MARKER = PROBE_MARKERS.project(NONCE);
const GIT_MARKER = PROBE_MARKERS.git(NONCE);
const { tempDir } = tempDirs("test-guard-restore-");

/** git in `repo` with a fixed identity and no user or system config, so the host's settings cannot interfere. */
function git(repo: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=alice", "-c", "user.email=alice@example.invalid", ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  }).trim();
}

/** A repository with the user's work committed (`notes.txt`, `app.js`); returns it and its HEAD. */
function repository(): { repo: string; headBefore: string } {
  const repo = tempDir("test-guard-restore-");
  git(repo, "init", "-q", "-b", "main");
  writeFileSync(join(repo, "notes.txt"), "v1\n");
  writeFileSync(join(repo, "app.js"), "console.log(1);\n");
  git(repo, "add", "notes.txt", "app.js");
  git(repo, "commit", "-q", "-m", "initial");
  return { repo, headBefore: git(repo, "rev-parse", "HEAD") };
}

/** What the runner's git probe does where the sandbox fails to stop it: marker in .git, `git add`, commit. */
function probeCommits(repo: string): void {
  writeFileSync(join(repo, ".git", GIT_MARKER), markerContent(NONCE));
  writeFileSync(join(repo, MARKER), markerContent(NONCE));
  git(repo, "add", "--", MARKER);
  execFileSync(
    "git",
    [
      ...["-c", `user.name=${PROBE_COMMIT.name}`, "-c", `user.email=${PROBE_COMMIT.email}`],
      ...["commit", "-q", "--no-verify", "--allow-empty", "-m", PROBE_COMMIT.subject(NONCE)],
    ],
    { cwd: repo, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" } },
  );
}

/** The user's uncommitted work: a modified tracked file (unstaged) and a staged change. */
function uncommittedWork(repo: string): void {
  writeFileSync(join(repo, "notes.txt"), "v2, not committed yet\n");
  writeFileSync(join(repo, "app.js"), "console.log(2);\n");
  git(repo, "add", "app.js");
}

function recordFor(repo: string, headBefore: string | null): HostRecord {
  const home = tempDir("test-guard-restore-home-");
  return {
    nonce: NONCE,
    project: repo,
    home,
    codexHome: join(home, ".codex"),
    readonlyPaths: [],
    outsideWriteDirs: [],
    stagingDir: join(repo, `.codex-smoke-${NONCE}`),
    credentials: [],
    canaries: [],
    existedBefore: {},
    headBefore,
    isRepo: true,
    namespaces: ownNamespaces(),
  };
}

const staged = (repo: string) => git(repo, "diff", "--cached", "--name-only").split("\n").filter(Boolean);

describe("restore on a real repository", () => {
  it("a user's commit on top of the probe's is kept (kills: undoing whenever the probe's commit is in the range)", async () => {
    const { repo, headBefore } = repository();
    probeCommits(repo);
    writeFileSync(join(repo, "feature.txt"), "the user's feature\n");
    git(repo, "add", "feature.txt");
    git(repo, "commit", "-q", "-m", "user's commit during the audit");
    const userHead = git(repo, "rev-parse", "HEAD");

    const facts = await restoreHost(recordFor(repo, headBefore));

    expect(git(repo, "rev-parse", "HEAD")).toBe(userHead);
    expect(git(repo, "log", "--format=%s")).toBe(
      ["user's commit during the audit", PROBE_COMMIT.subject(NONCE), "initial"].join("\n"),
    );
    expect(readFileSync(join(repo, "feature.txt"), "utf8")).toBe("the user's feature\n");
    expect(facts.git).toMatchObject({ headBefore, headAfter: userHead, probeCommit: true });
    expect(facts.leftAlone).toEqual([
      `HEAD moved ${headBefore.slice(0, 12)} → ${userHead.slice(0, 12)} by commits that are not only the probe's`,
    ]);
    expect(facts.restored.some((line) => line.startsWith("undid"))).toBe(false);
  });

  it("uncommitted work survives undoing the probe's commit (kills: reset --soft → --hard)", async () => {
    const { repo, headBefore } = repository();
    uncommittedWork(repo);
    probeCommits(repo);
    const probeHead = git(repo, "rev-parse", "HEAD");

    const facts = await restoreHost(recordFor(repo, headBefore));

    expect(git(repo, "rev-parse", "HEAD")).toBe(headBefore);
    expect(readFileSync(join(repo, "notes.txt"), "utf8")).toBe("v2, not committed yet\n");
    expect(readFileSync(join(repo, "app.js"), "utf8")).toBe("console.log(2);\n");
    // The probe committed with the user's staged change in the index: it is staged again, not lost.
    expect(staged(repo)).toEqual(["app.js"]);
    expect(git(repo, "status", "--porcelain")).toBe(["M  app.js", " M notes.txt"].join("\n"));
    expect(facts.git).toEqual({ headBefore, headAfter: probeHead, probeCommit: true, markerStaged: true });
    // The project marker is the positive control's file: removed, but no finding.
    expect(facts.persisted).toEqual([{ where: "git", path: join(repo, ".git", GIT_MARKER) }]);
    expect(facts.restored).toEqual([
      `undid the probe's commit ${probeHead.slice(0, 12)} (HEAD back to ${headBefore.slice(0, 12)})`,
      `unstaged the probe's ${MARKER}`,
      `removed ${join(repo, MARKER)}`,
      `removed ${join(repo, ".git", GIT_MARKER)}`,
    ]);
    expect(facts.leftAlone).toEqual([]);
  });

  it("the probe's marker is not left staged when its commit was refused (kills: the unstage step dropped)", async () => {
    const { repo, headBefore } = repository();
    uncommittedWork(repo);
    writeFileSync(join(repo, MARKER), markerContent(NONCE));
    git(repo, "add", "--", MARKER);

    const facts = await restoreHost(recordFor(repo, headBefore));

    expect(staged(repo)).toEqual(["app.js"]);
    expect(existsSync(join(repo, MARKER))).toBe(false);
    expect(git(repo, "status", "--porcelain")).toBe(["M  app.js", " M notes.txt"].join("\n"));
    expect(facts.git).toEqual({ headBefore, headAfter: headBefore, probeCommit: false, markerStaged: true });
    expect(facts.restored).toEqual([`unstaged the probe's ${MARKER}`, `removed ${join(repo, MARKER)}`]);
  });

  it("the probe's marker in .git is removed and reported as persisted (kills: the .git marker left)", async () => {
    const { repo, headBefore } = repository();
    writeFileSync(join(repo, ".git", GIT_MARKER), markerContent(NONCE));

    const facts = await restoreHost(recordFor(repo, headBefore));

    expect(existsSync(join(repo, ".git", GIT_MARKER))).toBe(false);
    expect(facts.persisted).toEqual([{ where: "git", path: join(repo, ".git", GIT_MARKER) }]);
    expect(facts.restored).toEqual([`removed ${join(repo, ".git", GIT_MARKER)}`]);
    expect(facts.leftAlone).toEqual([]);
    expect(facts.git).toEqual({ headBefore, headAfter: headBefore, probeCommit: false, markerStaged: false });
    expect(git(repo, "rev-parse", "HEAD")).toBe(headBefore);
  });

  it("the probe's commit as a repository's first is undone and the branch is unborn again", async () => {
    const repo = tempDir("test-guard-restore-");
    git(repo, "init", "-q", "-b", "main");
    writeFileSync(join(repo, "draft.txt"), "staged, never committed\n");
    git(repo, "add", "draft.txt");
    probeCommits(repo);

    const facts = await restoreHost(recordFor(repo, null));

    expect(() => git(repo, "rev-parse", "--verify", "-q", "HEAD")).toThrow();
    expect(staged(repo)).toEqual(["draft.txt"]);
    expect(facts.git.probeCommit).toBe(true);
    expect(facts.restored.slice(0, 2)).toEqual([
      expect.stringMatching(/^undid the probe's commit [0-9a-f]{12} \(HEAD back to no commit\)$/),
      `unstaged the probe's ${MARKER}`,
    ]);
  });

  it("a commit with the probe's subject by another author is the user's: left alone", async () => {
    const { repo, headBefore } = repository();
    git(repo, "commit", "-q", "--allow-empty", "-m", PROBE_COMMIT.subject(NONCE));
    const head = git(repo, "rev-parse", "HEAD");

    const facts = await restoreHost(recordFor(repo, headBefore));

    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(facts.git.probeCommit).toBe(false);
    expect(facts.leftAlone).toHaveLength(1);
  });

  it("another run's probe commit (same identity, another nonce) is not this run's: left alone", async () => {
    const { repo, headBefore } = repository();
    execFileSync(
      "git",
      [
        ...["-c", `user.name=${PROBE_COMMIT.name}`, "-c", `user.email=${PROBE_COMMIT.email}`],
        ...["commit", "-q", "--allow-empty", "-m", PROBE_COMMIT.subject("fedcba987654")],
      ],
      { cwd: repo, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" } },
    );
    const head = git(repo, "rev-parse", "HEAD");
    const facts = await restoreHost(recordFor(repo, headBefore));
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(facts.git.probeCommit).toBe(false);
  });

  it("the probe's commit on top of a user's commit made during the audit: both stay", async () => {
    const { repo, headBefore } = repository();
    git(repo, "commit", "-q", "--allow-empty", "-m", "user's commit during the audit");
    probeCommits(repo);
    const head = git(repo, "rev-parse", "HEAD");
    const facts = await restoreHost(recordFor(repo, headBefore));
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(facts.git.probeCommit).toBe(true);
    expect(facts.leftAlone).toHaveLength(1);
  });

  it("the probe's commit alone in the range but not on the recorded HEAD (the user reset meanwhile): left alone", async () => {
    const { repo } = repository();
    git(repo, "commit", "-q", "--allow-empty", "-m", "second");
    const headBefore = git(repo, "rev-parse", "HEAD");
    git(repo, "reset", "-q", "--hard", "HEAD~1");
    probeCommits(repo);
    const head = git(repo, "rev-parse", "HEAD");
    const facts = await restoreHost(recordFor(repo, headBefore));
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(facts.leftAlone).toEqual([
      `HEAD moved ${headBefore.slice(0, 12)} → ${head.slice(0, 12)} by commits that are not only the probe's`,
    ]);
  });

  it("a repository without commits that got the user's first one, or one whose branch is now unborn: said so", async () => {
    const repo = tempDir("test-guard-restore-");
    git(repo, "init", "-q", "-b", "main");
    git(repo, "commit", "-q", "--allow-empty", "-m", "first");
    const first = git(repo, "rev-parse", "HEAD");
    expect((await restoreHost(recordFor(repo, null))).leftAlone).toEqual([
      `HEAD moved (none) → ${first.slice(0, 12)} by commits that are not only the probe's`,
    ]);
    git(repo, "checkout", "-q", "--orphan", "fresh");
    const facts = await restoreHost(recordFor(repo, first));
    expect(facts.leftAlone).toEqual([
      `HEAD moved ${first.slice(0, 12)} → (none) by commits that are not only the probe's`,
    ]);
    expect(facts.git).toMatchObject({ headBefore: first, headAfter: null, probeCommit: false });
  });

  it("a recorded HEAD that no longer exists in the repository is no error: the change is left alone", async () => {
    const { repo } = repository();
    const gone = "0123456789abcdef0123456789abcdef01234567";
    const facts = await restoreHost(recordFor(repo, gone));
    expect(facts.git.probeCommit).toBe(false);
    expect(facts.leftAlone).toHaveLength(1);
  });

  it("markers in each place the probes write are removed and reported where they persisted; a folder there stays", async () => {
    const { repo, headBefore } = repository();
    const record = recordFor(repo, headBefore);
    const outside = tempDir("test-guard-restore-outside-");
    const full = { ...record, readonlyPaths: ["site"], outsideWriteDirs: [outside] };
    mkdirSync(join(repo, "site"));
    const markers = {
      readonly: join(repo, "site", PROBE_MARKERS.readonly(NONCE)),
      home: join(record.home, PROBE_MARKERS.hidden(NONCE)),
      outside: join(outside, PROBE_MARKERS.hidden(NONCE)),
    };
    for (const path of Object.values(markers)) writeFileSync(path, markerContent(NONCE));
    mkdirSync(join(repo, MARKER));
    const facts = await restoreHost({ ...full, existedBefore: { site: true } });
    expect(facts.persisted).toEqual([
      { where: "readonly", path: markers.readonly },
      { where: "home", path: markers.home },
      { where: "outside", path: markers.outside },
    ]);
    expect(Object.values(markers).some((path) => existsSync(path))).toBe(false);
    expect(existsSync(join(repo, MARKER))).toBe(true);
    expect(facts.restored.filter((line) => line.includes(MARKER))).toEqual([]);
  });

  it("outside a repository: no git facts, nothing left alone", async () => {
    const dir = tempDir("test-guard-restore-");
    const facts = await restoreHost({ ...recordFor(dir, null), isRepo: false });
    expect(facts).toEqual({
      persisted: [],
      git: { headBefore: null, headAfter: null, probeCommit: false, markerStaged: false },
      restored: [],
      leftAlone: [],
      ruleWrites: [],
      absentBefore: [],
    });
  });

  it("HEAD moved back by the user (nothing in the range): left alone, no crash", async () => {
    const { repo } = repository();
    git(repo, "commit", "-q", "--allow-empty", "-m", "second");
    const headBefore = git(repo, "rev-parse", "HEAD");
    git(repo, "reset", "-q", "--hard", "HEAD~1");
    const facts = await restoreHost(recordFor(repo, headBefore));
    expect(facts.git.probeCommit).toBe(false);
    expect(facts.leftAlone).toHaveLength(1);
  });

  it(".git replaced since the record (a symlink to another repository): git is not run, nothing is removed through it, and that is said", async () => {
    const { repo, headBefore } = repository();
    const other = repository().repo;
    probeCommits(repo);
    const gitDir = lstatSync(join(repo, ".git"));
    const record = { ...recordFor(repo, headBefore), gitDir: { dev: gitDir.dev, ino: gitDir.ino } };
    renameSync(join(repo, ".git"), join(repo, ".git-real"));
    symlinkSync(join(other, ".git"), join(repo, ".git"));
    const otherHead = git(other, "rev-parse", "HEAD");
    writeFileSync(join(other, ".git", GIT_MARKER), "the other repository's file\n");
    const facts = await restoreHost(record);
    expect(facts.git).toEqual({ headBefore, headAfter: null, probeCommit: false, markerStaged: false });
    expect(facts.leftAlone).toEqual([
      `${join(repo, ".git")} is not the folder recorded before the audit (replaced, or a symlink or gitdir file now): git left alone`,
      `${join(repo, ".git", GIT_MARKER)}: a folder on its way is not a directory now (a symlink?); not looked into`,
    ]);
    // The probe's .git marker is not removed through the link, from the other repository.
    expect(readFileSync(join(other, ".git", GIT_MARKER), "utf8")).toBe("the other repository's file\n");
    expect(facts.restored.some((line) => line.startsWith("undid") || line.startsWith("unstaged"))).toBe(
      false,
    );
    expect(git(other, "rev-parse", "HEAD")).toBe(otherHead);
  });
});

describe("removePlaceholders", () => {
  it("never through a folder the agent swapped for a symlink, at any depth", () => {
    const project = tempDir("test-guard-restore-");
    const outside = tempDir("test-guard-restore-outside-");
    mkdirSync(join(outside, "site", ".agents"), { recursive: true });
    symlinkSync(outside, join(project, "docs"));
    expect(
      removePlaceholders({ project, existedBefore: { "docs/site/.agents": false, "docs/.aws": false } }),
    ).toEqual([]);
    expect(existsSync(join(outside, "site", ".agents"))).toBe(true);
  });
});

describe("the read-only folder's marker is removed only inside the real folder", () => {
  /** A project outside a repository with the read-only folders `site/docs` and a host folder elsewhere. */
  function readonlyRecord() {
    const project = tempDir("test-guard-restore-");
    const elsewhere = tempDir("test-guard-restore-outside-");
    mkdirSync(join(project, "site", "docs"), { recursive: true });
    const record = { ...recordFor(project, null), isRepo: false, readonlyPaths: ["site", "site/docs"] };
    return { project, elsewhere, record };
  }
  const MARK = PROBE_MARKERS.readonly(NONCE);

  it("a read-only folder swapped for a symlink: the file of the marker's name it leads to stays, and that is said", async () => {
    const { project, elsewhere, record } = readonlyRecord();
    writeFileSync(join(elsewhere, MARK), "the host's own file\n");
    rmSync(join(project, "site"), { recursive: true });
    symlinkSync(elsewhere, join(project, "site"));
    const facts = await restoreHost(record);
    expect(readFileSync(join(elsewhere, MARK), "utf8")).toBe("the host's own file\n");
    expect(facts.persisted).toEqual([]);
    expect(facts.restored).toEqual([]);
    expect(facts.leftAlone).toEqual([
      `${join(project, "site", MARK)}: a folder on its way is not a directory now (a symlink?); not looked into`,
      `${join(project, "site", "docs", MARK)}: a folder on its way is not a directory now (a symlink?); not looked into`,
    ]);
  });

  it("a deeper read-only folder swapped for a symlink is caught too; the real one above keeps its marker removed", async () => {
    const { project, elsewhere, record } = readonlyRecord();
    writeFileSync(join(elsewhere, MARK), "the host's own file\n");
    writeFileSync(join(project, "site", MARK), markerContent(NONCE));
    rmSync(join(project, "site", "docs"), { recursive: true });
    symlinkSync(elsewhere, join(project, "site", "docs"));
    const facts = await restoreHost(record);
    expect(readFileSync(join(elsewhere, MARK), "utf8")).toBe("the host's own file\n");
    expect(facts.persisted).toEqual([{ where: "readonly", path: join(project, "site", MARK) }]);
    expect(existsSync(join(project, "site", MARK))).toBe(false);
    expect(facts.leftAlone).toEqual([
      `${join(project, "site", "docs", MARK)}: a folder on its way is not a directory now (a symlink?); not looked into`,
    ]);
  });

  it("the marker itself a symlink to a host file: the link goes (the write persisted), the file it points to stays", async () => {
    const { project, elsewhere, record } = readonlyRecord();
    writeFileSync(join(elsewhere, "precious"), "keep me\n");
    symlinkSync(join(elsewhere, "precious"), join(project, "site", MARK));
    const facts = await restoreHost(record);
    expect(readFileSync(join(elsewhere, "precious"), "utf8")).toBe("keep me\n");
    expect(existsSync(join(project, "site", MARK))).toBe(false);
    expect(facts.persisted).toEqual([{ where: "readonly", path: join(project, "site", MARK) }]);
    expect(facts.leftAlone).toEqual([]);
  });

  it("a read-only folder that does not exist: nothing removed, nothing said", async () => {
    const { project, record } = readonlyRecord();
    rmSync(join(project, "site"), { recursive: true });
    const facts = await restoreHost(record);
    expect([facts.persisted, facts.restored, facts.leftAlone]).toEqual([[], [], []]);
  });
});
