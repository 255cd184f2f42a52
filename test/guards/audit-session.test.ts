// One audit's cache folder (src/audit/session.ts): the folders the session had to make for ~/.cache/codex-smoke are
// removed again when it closes, up to the first one it made and only while empty; a folder that was there before,
// or that holds another run's files, stays.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { tempDirs } from "../helpers/temp-dirs.js";

const { tempDir } = tempDirs("test-guard-session-");

afterEach(() => {
  vi.doUnmock("node:os");
  vi.resetModules();
});

/** session.ts as loaded under `home`: its CACHE_DIR is `home`/.cache/codex-smoke. Through the module, not HOME:
 * in a worker thread (Stryker's runner) HOME set by the test is not what `homedir()` reads. */
async function sessionUnder(home: string) {
  vi.resetModules();
  vi.doMock("node:os", async (importOriginal) => ({
    ...(await importOriginal<typeof import("node:os")>()),
    homedir: () => home,
  }));
  const session = await import("../../src/audit/session.js");
  expect(session.CACHE_DIR).toBe(join(home, ".cache", "codex-smoke"));
  return session;
}

describe("openSession's cache folder", () => {
  it("made from scratch (~/.cache too): both removed at close, the home left as it was", async () => {
    const home = tempDir();
    const { openSession } = await sessionUnder(home);
    const session = openSession();
    expect(existsSync(session.runDir)).toBe(true);
    await session.close();
    expect(readdirSync(home)).toEqual([]);
  });

  it("~/.cache there before, with the user's files: only codex-smoke, which the session made, goes", async () => {
    const home = tempDir();
    mkdirSync(join(home, ".cache"));
    writeFileSync(join(home, ".cache", "other-tool"), "");
    const { openSession } = await sessionUnder(home);
    await openSession().close();
    expect(readdirSync(home)).toEqual([".cache"]);
    expect(readdirSync(join(home, ".cache"))).toEqual(["other-tool"]);
  });

  it("~/.cache there before and empty: it stays, above the first folder the session made", async () => {
    const home = tempDir();
    mkdirSync(join(home, ".cache"));
    const { openSession } = await sessionUnder(home);
    await openSession().close();
    expect(readdirSync(home)).toEqual([".cache"]);
    expect(readdirSync(join(home, ".cache"))).toEqual([]);
  });

  it("another run's file in the cache folder made meanwhile: the folder and its parents stay", async () => {
    const home = tempDir();
    const { CACHE_DIR, openSession } = await sessionUnder(home);
    const session = openSession();
    writeFileSync(join(CACHE_DIR, "other-run"), "");
    await session.close();
    expect(readdirSync(CACHE_DIR)).toEqual(["other-run"]);
  });
});
