// Codex's history is left as it was: only the audit's own interactive session's traces go, never a user's.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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
    expect(watch.forget({ sessionId: ours, startedAt: t0, endedAt: t0 + 3_000 })).toEqual([ours]);
    expect(readdirSync(refs()).sort()).toEqual([users, concurrent].sort());
    expect(readdirSync(locks()).sort()).toEqual([`${users}.lock`, `${concurrent}.lock`].sort());
  });

  it("without /status, removes the one session created while the audit's ran — a lock alone counts", () => {
    const watch = watchSessions(home);
    const ours = uuidV7(t0 + 100);
    session(ours, { ref: false });
    writeFileSync(join(locks(), ".coordination.lock"), "");
    expect(watch.forget({ sessionId: null, startedAt: t0, endedAt: t0 + 3_000 })).toEqual([ours]);
    // The folders did not exist before the audit and hold nothing else: they go too.
    expect([existsSync(refs()), existsSync(locks())]).toEqual([false, false]);
  });

  it("without /status, two sessions in the window or one outside it: nothing is removed", () => {
    const watch = watchSessions(home);
    session(uuidV7(t0 + 100));
    session(uuidV7(t0 + 200, "7bbb-8bbb-bbbbbbbbbbbb"));
    session(uuidV7(t0 + 60_000, "7ccc-8ccc-cccccccccccc"));
    expect(watch.forget({ sessionId: null, startedAt: t0, endedAt: t0 + 3_000 })).toEqual([]);
    expect(readdirSync(refs())).toHaveLength(3);
  });
});
