// The audit's interactive session leaves a thread reference and a writer lock in CODEX_HOME; only the audit's own
// go, found by the id /status showed or by the time window, and folders that existed before stay. Real folders;
// each test is named for the bug it kills (issue 20).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sessionIdOf, uuidV7Time, watchSessions } from "../../src/audit/history.js";

const REFS = "tui-thread-reference-capabilities";
const LOCKS = "thread-writer-locks";
/** When the audit's interactive session started and ended. */
const STARTED = 1_800_000_000_000;
const ENDED = STARTED + 5_000;

/** A UUIDv7 created at `ms`, as Codex names a session. */
function uuidV7(ms: number, tail: string): string {
  const hex = ms.toString(16).padStart(12, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8)}-7${tail.slice(0, 3)}-8${tail.slice(3, 6)}-${tail.slice(6).padEnd(12, "0")}`;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function codexHome(): string {
  const parent = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, "test-guard-history-"));
  dirs.push(dir);
  return dir;
}

/** What a TUI session leaves: its thread reference folder and its writer lock. */
function session(home: string, id: string): void {
  mkdirSync(join(home, REFS, id), { recursive: true });
  writeFileSync(join(home, REFS, id, "capabilities.json"), "{}\n");
  mkdirSync(join(home, LOCKS), { recursive: true });
  writeFileSync(join(home, LOCKS, `${id}.lock`), "");
}

const sessionsIn = (home: string) => ({
  refs: existsSync(join(home, REFS)) ? readdirSync(join(home, REFS)).sort() : null,
  locks: existsSync(join(home, LOCKS)) ? readdirSync(join(home, LOCKS)).sort() : null,
});

describe("Codex's history after the audit's session", () => {
  it("without /status, the session inside the window goes and the one outside stays (kills: dropping the window)", () => {
    const home = codexHome();
    const watch = watchSessions(home);
    const ours = uuidV7(STARTED + 200, "aaaaaa");
    const users = uuidV7(ENDED + 60_000, "bbbbbb");
    session(home, ours);
    session(home, users);
    expect(watch.forget({ sessionIds: [null], startedAt: STARTED, endedAt: ENDED })).toEqual([ours]);
    expect(sessionsIn(home)).toEqual({ refs: [users], locks: [`${users}.lock`] });
  });

  it("a session created outside the window alone is never removed", () => {
    const home = codexHome();
    const watch = watchSessions(home);
    const before = uuidV7(STARTED - 30_000, "cccccc");
    session(home, before);
    expect(watch.forget({ sessionIds: [null], startedAt: STARTED, endedAt: ENDED })).toEqual([]);
    expect(sessionsIn(home)).toEqual({ refs: [before], locks: [`${before}.lock`] });
  });

  it("the window is the session's time with one second of slack on each side", () => {
    for (const [created, removed] of [
      [STARTED - 1_000, true],
      [STARTED - 1_001, false],
      [ENDED + 1_000, true],
      [ENDED + 1_001, false],
    ] as const) {
      const home = codexHome();
      const watch = watchSessions(home);
      const id = uuidV7(created, "dddddd");
      session(home, id);
      const forgotten = watch.forget({ sessionIds: [null], startedAt: STARTED, endedAt: ENDED });
      expect(forgotten, `created at ${created - STARTED} ms`).toEqual(removed ? [id] : []);
    }
  });

  it("folders that existed before stay, even emptied, with their coordination lock (kills: cleaning them)", () => {
    const home = codexHome();
    mkdirSync(join(home, REFS));
    mkdirSync(join(home, LOCKS));
    writeFileSync(join(home, LOCKS, ".coordination.lock"), "");
    const watch = watchSessions(home);
    const ours = uuidV7(STARTED + 100, "eeeeee");
    session(home, ours);
    expect(watch.forget({ sessionIds: [ours], startedAt: STARTED, endedAt: ENDED })).toEqual([ours]);
    expect(sessionsIn(home)).toEqual({ refs: [], locks: [".coordination.lock"] });
  });

  it("with the audit's id seen, a user's session started during the audit stays (kills: the window fallback used when every id was seen)", () => {
    const home = codexHome();
    mkdirSync(join(home, REFS));
    mkdirSync(join(home, LOCKS));
    const watch = watchSessions(home);
    const ours = uuidV7(STARTED + 100, "abcdef");
    const users = uuidV7(STARTED + 200, "fedcba");
    session(home, ours);
    session(home, users);
    expect(watch.forget({ sessionIds: [ours], startedAt: STARTED, endedAt: ENDED })).toEqual([ours]);
    expect(sessionsIn(home)).toEqual({ refs: [users], locks: [`${users}.lock`] });
  });

  it("folders the audit's session created go with it, their coordination lock too", () => {
    const home = codexHome();
    const watch = watchSessions(home);
    const ours = uuidV7(STARTED + 100, "ffffff");
    session(home, ours);
    writeFileSync(join(home, LOCKS, ".coordination.lock"), "");
    expect(watch.forget({ sessionIds: [ours], startedAt: STARTED, endedAt: ENDED })).toEqual([ours]);
    expect(sessionsIn(home)).toEqual({ refs: null, locks: null });
  });

  it("a folder created during the audit that holds a user's session stays, with the lock they share", () => {
    const home = codexHome();
    const watch = watchSessions(home);
    const ours = uuidV7(STARTED + 100, "111111");
    const users = uuidV7(STARTED + 300, "222222");
    session(home, ours);
    session(home, users);
    writeFileSync(join(home, LOCKS, ".coordination.lock"), "");
    expect(watch.forget({ sessionIds: [ours], startedAt: STARTED, endedAt: ENDED })).toEqual([ours]);
    expect(sessionsIn(home)).toEqual({ refs: [users], locks: [".coordination.lock", `${users}.lock`] });
  });

  it("the id /status showed is removed only if the session is new: a resumed user session stays", () => {
    const home = codexHome();
    const users = uuidV7(STARTED + 100, "333333");
    session(home, users);
    const watch = watchSessions(home);
    expect(watch.forget({ sessionIds: [users], startedAt: STARTED, endedAt: ENDED })).toEqual([]);
    expect(sessionsIn(home)).toEqual({ refs: [users], locks: [`${users}.lock`] });
  });

  it("a session with a thread reference and no writer lock is removed without an error", () => {
    const home = codexHome();
    const watch = watchSessions(home);
    const ours = uuidV7(STARTED + 100, "444444");
    mkdirSync(join(home, REFS, ours), { recursive: true });
    expect(watch.forget({ sessionIds: [ours], startedAt: STARTED, endedAt: ENDED })).toEqual([ours]);
    expect(existsSync(join(home, REFS))).toBe(false);
  });
});

describe("session ids", () => {
  const id = "01a22cec-01d2-7ff2-b96d-a056c049bf0a";

  it("a UUIDv7 only as the whole name", () => {
    expect(uuidV7Time(id)).toBe(0x01a22cec01d2);
    expect(uuidV7Time(`x${id}`)).toBeNull();
    expect(uuidV7Time(`${id}.lock`)).toBeNull();
  });

  it("the id from /status's own Session line only", () => {
    expect(sessionIdOf(`│  Session:   ${id}  │`)).toBe(id);
    expect(sessionIdOf(`  Resumed Session: ${id}`)).toBeNull();
    expect(sessionIdOf(`OldSession: ${id}`)).toBeNull();
    expect(sessionIdOf("  Model: mock-model")).toBeNull();
  });
});
