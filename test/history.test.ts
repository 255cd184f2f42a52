// Codex's history is left as it was: only the audit's own interactive session's traces go, never a user's.
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
import { sessionIdOf, uuidV7Time, watchSessions } from "../src/audit/history.js";

/** A UUIDv7 whose first 48 bits are `ms`, as Codex names sessions. */
const uuidV7 = (ms: number, tail = "7abc-8def-0123456789ab") =>
  `${ms
    .toString(16)
    .padStart(12, "0")
    .replace(/^(.{8})(.{4})$/, "$1-$2")}-${tail}`;

let home: string;
const refs = () => join(home, "tui-thread-reference-capabilities");
const locks = () => join(home, "thread-writer-locks");
const session = (id: string, { ref = true, lock = true } = {}) => {
  mkdirSync(refs(), { recursive: true });
  mkdirSync(locks(), { recursive: true });
  if (ref) writeFileSync(join(refs(), id), "");
  if (lock) writeFileSync(join(locks(), `${id}.lock`), "");
};

beforeEach(() => {
  home = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-history-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("uuidV7Time and sessionIdOf", () => {
  it("reads the creation time of a UUIDv7 and the id /status shows", () => {
    expect(uuidV7Time("01a22cec-01d2-7ff2-b96d-a056c049bf0a")).toBe(0x01a22cec01d2);
    expect(uuidV7Time("01a22cec-01d2-4ff2-b96d-a056c049bf0a")).toBeNull(); // v4
    expect(uuidV7Time(".coordination")).toBeNull();
    expect(sessionIdOf("  Session:             01a212c5-5e78-7ae0-8d5c-7f6fdf51b193\n")).toBe(
      "01a212c5-5e78-7ae0-8d5c-7f6fdf51b193",
    );
    expect(sessionIdOf("│  Session:  01a212c5-5e78-7ae0-8d5c-7f6fdf51b193  │")).toBe(
      "01a212c5-5e78-7ae0-8d5c-7f6fdf51b193",
    );
  });
});

describe("watchSessions", () => {
  const t0 = 1_800_000_000_000;

  it("removes the session /status named, and leaves a user's session alone", () => {
    const users = uuidV7(t0 - 60_000, "7aaa-8aaa-aaaaaaaaaaaa");
    session(users);
    const watch = watchSessions(home);
    const ours = uuidV7(t0 + 100);
    const concurrent = uuidV7(t0 + 200, "7bbb-8bbb-bbbbbbbbbbbb");
    session(ours);
    session(concurrent);
    expect(watch.forget({ sessionIds: [ours], startedAt: t0, endedAt: t0 + 3_000 })).toEqual([ours]);
    expect(readdirSync(refs()).sort()).toEqual([users, concurrent].sort());
    expect(readdirSync(locks()).sort()).toEqual([`${users}.lock`, `${concurrent}.lock`].sort());
  });

  it("without /status, removes the one session created while the audit's ran — a lock alone counts", () => {
    const watch = watchSessions(home);
    const ours = uuidV7(t0 + 100);
    session(ours, { ref: false });
    writeFileSync(join(locks(), ".coordination.lock"), "");
    expect(watch.forget({ sessionIds: [null], startedAt: t0, endedAt: t0 + 3_000 })).toEqual([ours]);
    // The folders did not exist before the audit and hold nothing else: they go too.
    expect([existsSync(refs()), existsSync(locks())]).toEqual([false, false]);
  });

  it("without /status, two sessions in the window or one outside it: nothing is removed", () => {
    const watch = watchSessions(home);
    session(uuidV7(t0 + 100));
    session(uuidV7(t0 + 200, "7bbb-8bbb-bbbbbbbbbbbb"));
    session(uuidV7(t0 + 60_000, "7ccc-8ccc-cccccccccccc"));
    expect(watch.forget({ sessionIds: [null], startedAt: t0, endedAt: t0 + 3_000 })).toEqual([]);
    expect(readdirSync(refs())).toHaveLength(3);
  });

  it("two sessions: the id seen and the one created besides it are the audit's, a third is left alone", () => {
    const watch = watchSessions(home);
    const seen = uuidV7(t0 + 100);
    const unseen = uuidV7(t0 + 200, "7bbb-8bbb-bbbbbbbbbbbb");
    session(seen);
    session(unseen);
    expect(watch.forget({ sessionIds: [seen, null], startedAt: t0, endedAt: t0 + 3_000 }).sort()).toEqual(
      [seen, unseen].sort(),
    );
    const users = uuidV7(t0 + 300, "7ccc-8ccc-cccccccccccc");
    const watchAgain = watchSessions(home);
    session(uuidV7(t0 + 400, "7ddd-8ddd-dddddddddddd"));
    session(users);
    // Two unseen candidates for one unseen session: nothing is guessed.
    expect(watchAgain.forget({ sessionIds: [null], startedAt: t0, endedAt: t0 + 3_000 })).toEqual([]);
  });

  it("no interactive session: nothing is removed, not even the one session created meanwhile", () => {
    const watch = watchSessions(home);
    session(uuidV7(t0 + 100));
    expect(watch.forget({ sessionIds: [], startedAt: t0, endedAt: t0 + 3_000 })).toEqual([]);
    expect(readdirSync(refs())).toHaveLength(1);
  });

  it("removes a session's rollout, shell snapshot and the day folders it created; a user's stay", () => {
    const day = join(home, "sessions", "2026", "12", "06");
    mkdirSync(day, { recursive: true });
    const users = uuidV7(t0 - 60_000, "7aaa-8aaa-aaaaaaaaaaaa");
    writeFileSync(join(day, `rollout-2026-12-06T07-00-00-${users}.jsonl`), "{}\n");
    // An empty folder that was there before is not the audit's to remove.
    mkdirSync(join(home, "sessions", "2026", "12", "05"));
    const watch = watchSessions(home);
    const ours = uuidV7(t0 + 100);
    const tomorrow = join(home, "sessions", "2026", "12", "07");
    mkdirSync(tomorrow, { recursive: true });
    writeFileSync(join(day, `rollout-2026-12-06T07-27-16-${ours}.jsonl`), "{}\n");
    writeFileSync(join(tomorrow, `rollout-2026-12-07T00-00-01-${ours}.jsonl`), "{}\n");
    mkdirSync(join(home, "shell_snapshots"));
    writeFileSync(join(home, "shell_snapshots", `${ours}.1796542036867392715.sh`), "");
    writeFileSync(join(home, "shell_snapshots", `${users}.1.sh`), "");
    session(ours);
    expect(watch.forget({ sessionIds: [ours], startedAt: t0, endedAt: t0 + 3_000 })).toEqual([ours]);
    expect(readdirSync(day)).toEqual([`rollout-2026-12-06T07-00-00-${users}.jsonl`]);
    expect(existsSync(join(home, "sessions", "2026", "12", "07"))).toBe(false);
    expect(existsSync(join(home, "sessions", "2026", "12", "05"))).toBe(true);
    expect(readdirSync(join(home, "shell_snapshots"))).toEqual([`${users}.1.sh`]);
  });

  it("a seen id goes even without a thread reference or lock (0.139); an id that is no UUID is never a path", () => {
    const watch = watchSessions(home);
    const ours = uuidV7(t0 + 100);
    mkdirSync(join(home, "shell_snapshots"));
    writeFileSync(join(home, "shell_snapshots", `${ours}.1.sh`), "");
    writeFileSync(join(home, "keep.1.sh"), "");
    expect(watch.forget({ sessionIds: [ours, "../keep"], startedAt: t0, endedAt: t0 + 3_000 })).toEqual([
      ours,
    ]);
    expect(readdirSync(home)).toEqual(["keep.1.sh"]);
  });

  it("folders Codex created for the audit's sessions go when they end up empty", () => {
    const watch = watchSessions(home);
    const ours = uuidV7(t0 + 100);
    mkdirSync(join(home, "sessions", "2026", "12", "06"), { recursive: true });
    writeFileSync(join(home, "sessions", "2026", "12", "06", `rollout-x-${ours}.jsonl`), "");
    mkdirSync(join(home, "shell_snapshots"));
    writeFileSync(join(home, "shell_snapshots", `${ours}.1.sh`), "");
    session(ours);
    watch.forget({ sessionIds: [ours], startedAt: t0, endedAt: t0 + 3_000 });
    expect(readdirSync(home)).toEqual([]);
  });

  it("takes back only the audit's own lines of session_index.jsonl (0.150)", () => {
    const index = join(home, "session_index.jsonl");
    const line = (id: string) => `${JSON.stringify({ id, thread_name: "t", updated_at: "2026-12-06" })}\n`;
    const users = uuidV7(t0 - 60_000, "7aaa-8aaa-aaaaaaaaaaaa");
    const ours = uuidV7(t0 + 100);
    // A new index that holds only the audit's session: removed.
    let watch = watchSessions(home);
    session(ours);
    writeFileSync(index, line(ours));
    watch.forget({ sessionIds: [ours], startedAt: t0, endedAt: t0 + 3_000 });
    expect(existsSync(index)).toBe(false);
    // An index the user had: cut back to its size before.
    writeFileSync(index, line(users));
    watch = watchSessions(home);
    session(ours);
    writeFileSync(index, line(users) + line(ours));
    watch.forget({ sessionIds: [ours], startedAt: t0, endedAt: t0 + 3_000 });
    expect(readFileSync(index, "utf8")).toBe(line(users));
    // Someone else appended too: the file is left as it is.
    watch = watchSessions(home);
    session(ours);
    const other = uuidV7(t0 + 200, "7bbb-8bbb-bbbbbbbbbbbb");
    writeFileSync(index, line(users) + line(ours) + line(other));
    watch.forget({ sessionIds: [ours], startedAt: t0, endedAt: t0 + 3_000 });
    expect(readFileSync(index, "utf8")).toBe(line(users) + line(ours) + line(other));
  });
});
