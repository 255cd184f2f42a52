// snapshotHost / verifyAndRestore in a real temp git repo: a broken sandbox's probes landed (written here the way the
// runner writes them), a correct one left nothing.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { markerPaths, snapshotHost, verifyAndRestore } from "../src/gather/side-effects.js";

const NONCE = "t3st0nce";
let root: string;
let project: string;
let home: string;
let outside: string;
let opts: {
  nonce: string;
  project: string;
  home: string;
  readonlyPaths: string[];
  outsideWriteDirs: string[];
};

const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", ...args], {
    cwd: project,
    encoding: "utf8",
  }).trim();

beforeEach(() => {
  const cache = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(cache, { recursive: true });
  root = mkdtempSync(join(cache, "test-side-effects-"));
  project = join(root, "proj");
  home = join(root, "home");
  outside = join(root, "outside");
  for (const dir of [project, home, outside, join(project, ".codex")]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(project, "a.txt"), "one\n");
  writeFileSync(join(project, ".codex", "keep"), "");
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "initial");
  // The user's own work in progress: staged before the audit, must stay staged.
  writeFileSync(join(project, "a.txt"), "two\n");
  git("add", "a.txt");
  // "docs" is a read-only path that does not exist yet.
  opts = { nonce: NONCE, project, home, readonlyPaths: [".codex", "docs"], outsideWriteDirs: [outside] };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const staged = () => git("diff", "--cached", "--name-only").split("\n").filter(Boolean);

describe("markerPaths", () => {
  it("names the markers the runner writes", () => {
    const m = markerPaths(NONCE, opts);
    expect(m).toEqual({
      project: join(project, `codex-smoke-${NONCE}.txt`),
      git: join(project, ".git", `codex-smoke-${NONCE}`),
      home: join(home, `.codex-smoke-${NONCE}`),
      readonly: [
        join(project, ".codex", `codex-smoke-${NONCE}`),
        join(project, "docs", `codex-smoke-${NONCE}`),
      ],
      outside: [join(outside, `.codex-smoke-${NONCE}`)],
    });
  });
});

describe("verifyAndRestore", () => {
  it("reports and restores what a broken sandbox let through", async () => {
    const headBefore = git("rev-parse", "HEAD");
    const before = await snapshotHost(project, opts.readonlyPaths);
    expect(before.head).toBe(headBefore);

    // What the runner does when nothing stops it.
    const m = markerPaths(NONCE, opts);
    writeFileSync(m.project, "marker\n");
    writeFileSync(m.git, "marker\n");
    git("add", "--", `codex-smoke-${NONCE}.txt`);
    git("commit", "-q", "--no-verify", "--allow-empty", "-m", "probe");
    const probeHead = git("rev-parse", "HEAD");
    expect(probeHead).not.toBe(headBefore);
    writeFileSync(m.readonly[0] as string, "marker\n");
    mkdirSync(join(project, "docs"));
    writeFileSync(m.readonly[1] as string, "marker\n");
    writeFileSync(m.home, "marker\n");
    writeFileSync(m.outside[0] as string, "marker\n");

    const facts = await verifyAndRestore(before, opts);

    expect(facts.persisted).toEqual([m.home, m.outside[0]]);
    expect(facts.gitNew).toContain(`codex-smoke-${NONCE}`);
    expect(facts.headBefore).toBe(headBefore);
    expect(facts.headAfter).toBe(probeHead);
    expect(facts.readonlyNew.sort()).toEqual(
      [join(".codex", `codex-smoke-${NONCE}`), join("docs", `codex-smoke-${NONCE}`), "docs"].sort(),
    );
    expect(facts.projectMarkerLeft).toBe(true);
    expect(facts.restored).toEqual(
      expect.arrayContaining([
        `removed ${m.home}`,
        `removed ${m.outside[0]}`,
        `undid the probe commit (git reset --soft ${headBefore.slice(0, 12)})`,
        `unstaged codex-smoke-${NONCE}.txt`,
        `removed codex-smoke-${NONCE}.txt`,
        "removed 3 new entries from read-only paths",
      ]),
    );

    // Restored: HEAD, index (marker not staged, the user's change still staged), markers gone.
    expect(git("rev-parse", "HEAD")).toBe(headBefore);
    expect(staged()).toEqual(["a.txt"]);
    expect(git("show", ":a.txt")).toBe("two");
    expect(git("status", "--porcelain")).toBe("M  a.txt");
    for (const path of [m.project, m.git, m.home, ...m.outside, ...m.readonly])
      expect(existsSync(path)).toBe(false);
    expect(existsSync(join(project, "docs"))).toBe(false);
    expect(readdirSync(join(project, ".codex"))).toEqual(["keep"]);
    expect(readFileSync(join(project, "a.txt"), "utf8")).toBe("two\n");
    expect(facts.restored.some((line) => /^removed \d+ new entries from \.git$/.test(line))).toBe(true);
    // The repo is intact after the new .git entries were removed (the reflog still names the probe commit).
    expect(() => git("fsck", "--no-progress")).not.toThrow();
  });

  it("reports nothing and changes nothing on a correct sandbox", async () => {
    const headBefore = git("rev-parse", "HEAD");
    const before = await snapshotHost(project, opts.readonlyPaths);
    const facts = await verifyAndRestore(before, opts);
    expect(facts).toEqual({
      persisted: [],
      gitNew: [],
      headBefore,
      headAfter: headBefore,
      readonlyNew: [],
      projectMarkerLeft: false,
      restored: [],
    });
    expect(staged()).toEqual(["a.txt"]);
    expect(git("rev-parse", "HEAD")).toBe(headBefore);
  });

  it("unstages a marker staged (but not committed) in a repo without commits", async () => {
    rmSync(join(project, ".git"), { recursive: true, force: true });
    git("init", "-q");
    const before = await snapshotHost(project, []);
    expect(before.head).toBeNull();
    const m = markerPaths(NONCE, opts);
    writeFileSync(m.project, "marker\n");
    git("add", "--", `codex-smoke-${NONCE}.txt`);
    const facts = await verifyAndRestore(before, { ...opts, readonlyPaths: [] });
    expect(facts.headBefore).toBeNull();
    expect(facts.headAfter).toBeNull();
    expect(facts.restored).toContain(`unstaged codex-smoke-${NONCE}.txt`);
    expect(git("ls-files", "--cached")).toBe("");
    expect(existsSync(m.project)).toBe(false);
  });
});
