// Cleanup on real processes: a tree that forks while it is being killed loses no child to init (the tree is frozen
// before anything is killed), and a recorded pid whose process was replaced (pid reuse, made real with the
// kernel's ns_last_pid) is never signalled. Each test is named for the bug it kills (issue 20).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  DescendantTracker,
  killGroup,
  killLaunches,
  killSession,
  LaunchedTree,
} from "../../src/core/processes.js";

/** A variable only this file's processes carry: how a test finds what survived, wherever it was reparented. */
const TAG = "CODEX_SMOKE_GUARD_TEST";
const started: ChildProcess[] = [];
const tags: string[] = [];
const watchdogs: number[] = [];

afterEach(() => {
  for (const child of started.splice(0)) child.kill("SIGKILL");
  for (const tag of tags.splice(0)) for (const pid of tagged(tag)) signal(pid, "SIGKILL");
  for (const pid of watchdogs.splice(0)) signal(-pid, "SIGKILL");
});

/**
 * Kills whatever still carries `tag` after `seconds`, even when this test's process is gone: under mutation testing
 * a mutant that hangs gets the worker killed before afterEach runs, and a frozen tree would stay stopped forever.
 */
function watchdog(tag: string, seconds: number): void {
  const kill = `grep -qsxz '${TAG}=${tag}' "$e" && kill -9 "$(basename "$(dirname "$e")")"`;
  const script = `sleep ${seconds}; for e in /proc/[0-9]*/environ; do ${kill}; done`;
  const child = spawn("sh", ["-c", script], { detached: true, stdio: "ignore" });
  child.unref();
  if (child.pid !== undefined) watchdogs.push(child.pid);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone
  }
}

/** Living (not zombie) processes whose environment carries TAG=`tag`; a zombie's environment is unreadable. */
function tagged(tag: string): number[] {
  const needle = Buffer.from(`${TAG}=${tag}\0`);
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/environ`).includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function start(script: string, tag: string, detached: boolean): ChildProcess {
  tags.push(tag);
  const child = spawn("sh", ["-c", script], {
    env: { ...process.env, [TAG]: tag },
    stdio: ["ignore", "pipe", "ignore"],
    detached,
  });
  started.push(child);
  return child;
}

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

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("killSession", () => {
  it("a tree that forks while it is being killed leaves no survivor (kills: killing at once instead of freezing first)", async () => {
    // The leader (its own session, as the pty child is) has 300 children in its session, then two forkers, each
    // in a session of its own (as bwrap --new-session makes), that fork without pause. A forker and its children
    // are found only as descendants of a living parent, after everything in the leader's session: killed at once,
    // what a forker forks between the scan and its own death is orphaned to init in another session, out of
    // reach; frozen first, a forker cannot fork, and its children are found under it.
    const tag = randomBytes(6).toString("hex");
    watchdog(tag, 60);
    // Forking for 20 s at most (a child each 5 ms, each living 30 s), and only while this test's process lives: still
    // forking when the kill comes however loaded the machine is (a count-bounded forker can finish first, and its
    // children then escaped before any kill), and a mutant that breaks the kill leaves no fork loop running.
    const forker = `end=$(($(date +%s) + 20)); while [ $(date +%s) -lt $end ] && kill -0 ${process.pid}; do setsid sleep 30 & sleep 0.005; done`;
    const leader = start(
      `for i in $(seq 300); do sleep 30 & done; setsid sh -c '${forker}' & setsid sh -c '${forker}' & wait`,
      tag,
      true,
    );
    await until(() => tagged(tag).length > 310, 30_000);

    await killSession(leader.pid);

    // killSession's wait is bounded (2 s): on a loaded machine (the whole suite on 2 cores) a thousand killed
    // processes may still be going. A grace of 15 s more lets them go; what the kill missed lives on (`sleep 30`,
    // orphaned at the kill), so the grace cannot hide a survivor.
    await until(() => tagged(tag).length === 0, 15_000).catch(() => undefined);
    const survivors = tagged(tag);
    expect(survivors, `${survivors.length} processes survived`).toEqual([]);
  });
});

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
        signal(child, "SIGKILL");
        await until(() => !existsSync(`/proc/${child}`));
        replacement = await startUnderPid(child, tag);
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

describe("killGroup, LaunchedTree and killLaunches", () => {
  it("killGroup kills the whole group; nothing, or a group already gone, is no error", async () => {
    const tag = randomBytes(6).toString("hex");
    watchdog(tag, 60);
    const leader = start("sleep 30 & sleep 30 & wait", tag, true);
    await until(() => tagged(tag).length === 3);
    killGroup(leader.pid);
    await until(() => tagged(tag).length === 0);
    killGroup(leader.pid);
    killGroup(undefined);
  });

  it("killLaunches kills every registered launch tree, a child in a session of its own forked since the last scan too (kills: the group killed before the session is frozen)", async () => {
    const tag = randomBytes(6).toString("hex");
    watchdog(tag, 60);
    const leaders = [1, 2].map(() => start("sleep 30 & (setsid sleep 30 & wait) & wait", tag, true));
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
    const leader = start("for i in 1 2 3 4; do (setsid sleep 30 & wait) & done; wait", tag, true);
    await until(() => tagged(tag).length === 9);
    const began = Date.now();
    await killSession(leader.pid);
    expect(Date.now() - began).toBeLessThan(1_500);
    expect(tagged(tag)).toEqual([]);
  });

  it("no leader (a launch that never started): nothing to do", async () => {
    await killSession(undefined);
  });
});
