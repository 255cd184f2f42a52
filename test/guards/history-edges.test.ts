// The edges of what forget (src/audit/history.ts) takes as the audit's own in CODEX_HOME, on real folders: rollouts
// only at Codex's date depth and never through a symlink, only `rollout-` files, only `.lock` files as sessions,
// the session index only when what was appended is the audit's, and a shown id only as a whole UUID.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { watchSessions } from "../../src/audit/history.js";

const STARTED = 1_800_000_000_000;
const window = { startedAt: STARTED, endedAt: STARTED + 5_000 };

/** A UUIDv7 created at `ms`. */
const uuidV7 = (ms: number, tail = "7abc-8def-0123456789ab") =>
  `${ms
    .toString(16)
    .padStart(12, "0")
    .replace(/^(.{8})(.{4})$/, "$1-$2")}-${tail}`;

let root: string;
let home: string;
beforeEach(() => {
  const parent = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(parent, { recursive: true });
  root = mkdtempSync(join(parent, "test-guard-history-edges-"));
  home = join(root, "codex-home");
  mkdirSync(home);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A file at `path` under `base`, its folders made. */
function file(base: string, path: string, content = ""): string {
  const full = join(base, path);
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, content);
  return full;
}

const lock = (id: string) => file(home, `thread-writer-locks/${id}.lock`);

describe("rollouts", () => {
  it("only at Codex's sessions/YYYY/MM/DD depth: a rollout one folder deeper is not the session's", () => {
    const ours = uuidV7(STARTED + 100);
    const day = file(home, `sessions/2026/12/06/rollout-a-${ours}.jsonl`);
    const deeper = file(home, `sessions/2026/12/06/kept/rollout-b-${ours}.jsonl`);
    const watch = watchSessions(home);
    expect(watch.forget({ sessionIds: [ours], ...window })).toEqual([ours]);
    expect([existsSync(day), existsSync(deeper)]).toEqual([false, true]);
  });

  it("never through a symlinked folder under sessions: the rollout it leads to stays", () => {
    const ours = uuidV7(STARTED + 100);
    const elsewhere = file(root, `elsewhere/06/rollout-a-${ours}.jsonl`);
    mkdirSync(join(home, "sessions", "2026", "12"), { recursive: true });
    symlinkSync(join(root, "elsewhere"), join(home, "sessions", "2026", "linked"));
    const watch = watchSessions(home);
    watch.forget({ sessionIds: [ours], ...window });
    expect(readFileSync(elsewhere, "utf8")).toBe("");
  });

  it("only files named rollout-…: another file ending in the session's id stays", () => {
    const ours = uuidV7(STARTED + 100);
    const notes = file(home, `sessions/2026/12/06/notes-${ours}.jsonl`);
    const watch = watchSessions(home);
    watch.forget({ sessionIds: [ours], ...window });
    expect(existsSync(notes)).toBe(true);
  });
});

describe("folders", () => {
  it("an empty sessions or shell_snapshots folder that was there before stays", () => {
    mkdirSync(join(home, "sessions"));
    mkdirSync(join(home, "shell_snapshots"));
    const watch = watchSessions(home);
    const ours = uuidV7(STARTED + 100);
    file(home, `shell_snapshots/${ours}.1.sh`);
    watch.forget({ sessionIds: [ours], ...window });
    expect(readdirSync(home).sort()).toEqual(["sessions", "shell_snapshots"]);
  });
});

describe("the writer locks folder", () => {
  it("only .lock files name sessions: a file <uuid>.json created meanwhile does not make the interrupted session's count two", () => {
    const ours = uuidV7(STARTED + 100);
    const watch = watchSessions(home);
    const stray = file(home, `thread-writer-locks/${uuidV7(STARTED + 200, "7bbb-8bbb-bbbbbbbbbbbb")}.json`);
    const ourLock = lock(ours);
    expect(watch.forget({ sessionIds: [null], ...window })).toEqual([ours]);
    expect([existsSync(ourLock), existsSync(stray)]).toEqual([false, true]);
  });

  it("a session that had a lock before the audit, though created inside the window's slack, is not the audit's", () => {
    const users = uuidV7(STARTED - 500, "7aaa-8aaa-aaaaaaaaaaaa");
    const usersLock = lock(users);
    const watch = watchSessions(home);
    const ours = uuidV7(STARTED + 100);
    const ourLock = lock(ours);
    expect(watch.forget({ sessionIds: [null], ...window })).toEqual([ours]);
    expect([existsSync(usersLock), existsSync(ourLock)]).toEqual([true, false]);
  });
});

describe("a shown id is a file name only as a whole UUID", () => {
  it("an id with a path after the UUID never reaches a folder beside the references", () => {
    const id = `${uuidV7(STARTED + 100)}/../../victim`;
    const victim = file(home, "victim/keep.txt", "k");
    file(home, "tui-thread-reference-capabilities/other", "");
    const watch = watchSessions(home);
    expect(watch.forget({ sessionIds: [id], ...window })).toEqual([]);
    expect(readFileSync(victim, "utf8")).toBe("k");
  });

  it("an id with a path before the UUID never reaches a folder beside the references", () => {
    const uuid = uuidV7(STARTED + 100);
    const victim = file(home, `${uuid}/keep.txt`, "k");
    file(home, "tui-thread-reference-capabilities/other", "");
    const watch = watchSessions(home);
    expect(watch.forget({ sessionIds: [`../${uuid}`], ...window })).toEqual([]);
    expect(readFileSync(victim, "utf8")).toBe("k");
  });
});

describe("session_index.jsonl", () => {
  const INDEX = "session_index.jsonl";
  const line = (id: string) => `${JSON.stringify({ id, thread_name: "t" })}\n`;
  const users = uuidV7(STARTED - 60_000, "7aaa-8aaa-aaaaaaaaaaaa");
  const ours = uuidV7(STARTED + 100);

  it("a line appended that is not JSON is someone else's: the index stays as it is", () => {
    file(home, INDEX, line(users));
    const watch = watchSessions(home);
    file(home, INDEX, `${line(users)}${line(ours)}not json\n`);
    watch.forget({ sessionIds: [ours], ...window });
    expect(readFileSync(join(home, INDEX), "utf8")).toBe(`${line(users)}${line(ours)}not json\n`);
  });

  it("blank lines among the audit's own are no one's: the index is cut back", () => {
    file(home, INDEX, line(users));
    const watch = watchSessions(home);
    file(home, INDEX, `${line(users)}${line(ours)}  \n`);
    watch.forget({ sessionIds: [ours], ...window });
    expect(readFileSync(join(home, INDEX), "utf8")).toBe(line(users));
  });

  it("an index rewritten shorter during the audit is left as it is, never padded back to its old size", () => {
    file(home, INDEX, line(users) + line(users));
    const watch = watchSessions(home);
    file(home, INDEX, line(users));
    watch.forget({ sessionIds: [ours], ...window });
    expect(readFileSync(join(home, INDEX), "utf8")).toBe(line(users));
  });

  it("an index someone created empty during the audit stays", () => {
    const watch = watchSessions(home);
    file(home, INDEX, "\n");
    watch.forget({ sessionIds: [ours], ...window });
    expect(readdirSync(home)).toEqual([INDEX]);
  });
});
