// Cleanup on real processes: a recorded pid whose process was replaced (pid reuse, made real with the kernel's
// ns_last_pid) is never signalled, and launch trees are frozen before they are killed. Each test is named for the bug
// it kills (issue 20). The tree that forks while it is killed is processes-fork-tree.test.ts: the slowest test of
// the src/core mutation scope, which runs it last.

import { type ChildProcess, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  DescendantTracker,
  killGroup,
  killLaunches,
  killSession,
  LaunchedTree,
} from "../../src/core/processes.js";
import { killTagged, signal, start, tagged, until, watchdog } from "../helpers/tagged-processes.js";
import { tempDirs } from "../helpers/temp-dirs.js";

afterEach(killTagged);
const { tempDir } = tempDirs("tracker-reuse-");

/** Trees that ignore SIGTERM (their children inherit it), so only a SIGKILL ends them: what the cleanup must send. */
const NO_TERM = "trap '' TERM;";

/** Start time (clock ticks since boot) of `pid`, or null once it is gone or a zombie. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] === "Z" ? null : (fields[19] ?? null);
  } catch {
    return null;
  }
}

const LAST_PID = "/proc/sys/kernel/ns_last_pid";

/** Whether this host lets the test choose the next pid (CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE over its pid ns). */
function canChoosePids(): boolean {
  try {
    accessSync(LAST_PID, constants.W_OK);
    writeFileSync(LAST_PID, readFileSync(LAST_PID, "utf8").trim());
    return true;
  } catch {
    return false;
  }
}

/** Starts `sleep 30` (not a descendant of anything the test tracks) under `pid`, which must be free; null if taken. */
async function startUnderPid(pid: number, tag: string): Promise<ChildProcess | null> {
  for (let attempt = 0; attempt < 20; attempt++) {
    writeFileSync(LAST_PID, String(pid - 1));
    const child = start("exec sleep 30", tag, false);
    if (child.pid === pid) return child;
    child.kill("SIGKILL");
    if (startTime(pid) !== null) return null; // another process took it
  }
  return null;
}

describe("DescendantTracker", () => {
  it.skipIf(!canChoosePids())(
    "a recorded pid now held by another process is not killed (kills: no start-time check before a kill)",
    async () => {
      const tag = randomBytes(6).toString("hex");
      watchdog(tag, 60);
      let replacement: ChildProcess | null = null;
      let tracker: DescendantTracker | null = null;
      for (let attempt = 0; attempt < 5 && replacement === null; attempt++) {
        const root = start("sleep 30 & echo $!; wait; exec sleep 60", tag, false);
        const child = await new Promise<number>((resolve) =>
          root.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
        );
        await until(() => startTime(child) !== null);
        tracker = new DescendantTracker(root.pid as number, 60_000);
        tracker.scan();
        // The recorded child dies and is reaped by the root; the kernel hands its pid to a new process.
        const recordedStart = startTime(child);
        signal(child, "SIGKILL");
        await until(() => !existsSync(`/proc/${child}`));
        replacement = await startUnderPid(child, tag);
        // Start times count clock ticks (10 ms): a replacement started in the recorded child's tick is the same
        // process to any check (the kernel offers nothing finer), so it is no case of reuse to test.
        if (replacement && startTime(replacement.pid as number) === recordedStart) replacement = null;
      }
      if (!replacement || !tracker) throw new Error("could not reuse a pid in 5 attempts");
      const pid = replacement.pid as number;
      await until(() => startTime(pid) !== null);

      expect(tracker.killAll()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(startTime(pid), "the process now holding the recorded pid").not.toBeNull();
      expect(replacement.signalCode).toBeNull();
    },
  );
});

describe("DescendantTracker follows a reused pid under its root", () => {
  it.skipIf(!canChoosePids())(
    "a pid reused by a new descendant is killed: the tracker keeps the latest start time seen, not the first",
    async () => {
      const tag = randomBytes(6).toString("hex");
      watchdog(tag, 60);
      const dir = tempDir();
      const fifo = join(dir, "go");
      execFileSync("mkfifo", [fifo]);
      for (let attempt = 0; attempt < 5; attempt++) {
        // The root reaps its first child, then waits on the fifo (a builtin read: no fork takes a pid meanwhile)
        // before it starts the second one.
        const root = start(
          `sleep 30 & echo $!; wait; read go < '${fifo}'; sleep 30 & echo $!; wait`,
          tag,
          false,
        );
        const pids: number[] = [];
        root.stdout?.on("data", (chunk: Buffer) =>
          pids.push(...chunk.toString().trim().split(/\s+/).map(Number)),
        );
        await until(() => pids.length === 1 && startTime(pids[0] as number) !== null);
        const first = pids[0] as number;
        const tracker = new DescendantTracker(root.pid as number, 60_000);
        tracker.scan();
        const firstStart = startTime(first);
        signal(first, "SIGKILL");
        await until(() => !existsSync(`/proc/${first}`));
        writeFileSync(LAST_PID, String(first - 1));
        writeFileSync(fifo, "go\n");
        await until(() => pids.length === 2);
        const second = pids[1] as number;
        await until(() => startTime(second) !== null);
        // Another process took the pid first, or the new one started in the old one's clock tick (no reuse to
        // tell apart): try again.
        if (second !== first || startTime(second) === firstStart) {
          root.kill("SIGKILL");
          signal(second, "SIGKILL");
          continue;
        }
        tracker.scan();
        expect(tracker.killAll()).toBe(1);
        await until(() => startTime(second) === null);
        return;
      }
      throw new Error("could not reuse a pid in 5 attempts");
    },
  );
});

describe("DescendantTracker counts what it killed", () => {
  it("a recorded child that died unreaped (a zombie) is not counted, a living one is", async () => {
    const tag = randomBytes(6).toString("hex");
    watchdog(tag, 60);
    // `exec sleep` never waits: the short sleep, once it exits, stays a zombie of the root.
    const root = start(`${NO_TERM} sleep 30 & echo $!; sleep 0.3 & echo $!; exec sleep 60`, tag, false);
    const pids: number[] = [];
    root.stdout?.on("data", (chunk: Buffer) =>
      pids.push(...chunk.toString().trim().split(/\s+/).map(Number)),
    );
    await until(() => pids.length === 2);
    const [living, dying] = pids as [number, number];
    await until(() => startTime(living) !== null && startTime(dying) !== null);
    const tracker = new DescendantTracker(root.pid as number, 60_000);
    tracker.scan();
    await until(() => readFileSync(`/proc/${dying}/stat`, "utf8").split(") ")[1]?.startsWith("Z") === true);
    expect(tracker.killAll()).toBe(1);
    await until(() => startTime(living) === null);
  });
});

describe("killGroup, LaunchedTree and killLaunches", () => {
  it("killGroup kills the whole group; a group already gone is no error", async () => {
    const tag = randomBytes(6).toString("hex");
    watchdog(tag, 60);
    const leader = start(`${NO_TERM} sleep 30 & sleep 30 & wait`, tag, true);
    await until(() => tagged(tag).length === 3);
    killGroup(leader.pid as number);
    await until(() => tagged(tag).length === 0);
    killGroup(leader.pid as number);
  });

  it("killLaunches kills every registered launch tree, a child in a session of its own forked since the last scan too (kills: the group killed before the session is frozen)", async () => {
    const tag = randomBytes(6).toString("hex");
    watchdog(tag, 60);
    const leaders = [1, 2].map(() =>
      start(`${NO_TERM} sleep 30 & (setsid sleep 30 & wait) & wait`, tag, true),
    );
    await until(() => tagged(tag).length === 8);
    for (const leader of leaders) new LaunchedTree(leader.pid as number);
    const began = Date.now();
    expect(await killLaunches()).toBe(2);
    expect(Date.now() - began).toBeLessThan(1500);
    expect(tagged(tag)).toEqual([]);
    expect(await killLaunches(), "a killed tree is no longer registered").toBe(0);
  });
});

describe("killSession returns once the tree is gone", () => {
  it("a small tree is frozen, killed and waited for well inside the 2 s its wait loop allows", async () => {
    const tag = randomBytes(6).toString("hex");
    watchdog(tag, 60);
    const leader = start(`${NO_TERM} for i in 1 2 3 4; do (setsid sleep 30 & wait) & done; wait`, tag, true);
    await until(() => tagged(tag).length === 9);
    const began = Date.now();
    await killSession(leader.pid as number);
    expect(Date.now() - began).toBeLessThan(1_500);
    expect(tagged(tag)).toEqual([]);
  });
});
