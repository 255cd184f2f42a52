// Cleanup by session and by ancestry, on real processes.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { DescendantTracker, killLaunches, killSession, LaunchedTree } from "../src/core/processes.js";

const started: ChildProcess[] = [];
const extraPids: number[] = [];

afterEach(() => {
  for (const child of started.splice(0)) child.kill("SIGKILL");
  for (const pid of extraPids.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
});

function start(command: string, args: string[], env: NodeJS.ProcessEnv, detached = false): ChildProcess {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "ignore"], detached });
  started.push(child);
  return child;
}

/** State letter and ppid from /proc/<pid>/stat, or null once the pid is gone. */
function stat(pid: number): { state: string; ppid: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "", ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}

const alive = (pid: number) => {
  const s = stat(pid);
  return s !== null && s.state !== "Z" && s.state !== "X";
};

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode);
    else child.once("exit", (_code, signal) => resolve(signal));
  });

describe("killLaunches", () => {
  it("kills every running launch tree (leader and children), not an unrelated process, and forgets them", async () => {
    const leader = start("sh", ["-c", "sleep 30 & sleep 30; wait"], { ...process.env }, true);
    const unrelated = start("sleep", ["30"], { ...process.env });
    const tree = new LaunchedTree(leader.pid as number);
    const children = () => childrenOf(leader.pid as number);
    await until(() => children().length === 2);
    const [first, second] = children();

    expect(tree.leader).toBe(leader.pid);
    expect(await killLaunches()).toBe(1);
    expect(await exited(leader)).toBe("SIGKILL");
    await until(() => !alive(first as number) && !alive(second as number));
    expect(alive(unrelated.pid as number)).toBe(true);
    expect(await killLaunches()).toBe(0);
  });
});

/** Live children of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((child) => stat(child)?.ppid === pid && alive(child));
}

describe("DescendantTracker", () => {
  it("records a grandchild and kills it after its parent exited and it was orphaned", async () => {
    // root: starts an intermediate shell that starts `sleep 30` in the background, prints its pid, and exits
    // after 1 s; the root itself stays alive.
    const root = start("sh", ["-c", `sh -c 'sleep 30 & echo $!; sleep 1'; exec sleep 60`], process.env);
    const tracker = new DescendantTracker(root.pid as number, 50);
    const grandchild = await new Promise<number>((resolve) =>
      root.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    extraPids.push(grandchild);
    const intermediate = stat(grandchild)?.ppid as number;
    expect(intermediate).not.toBe(root.pid);
    expect(stat(intermediate)?.ppid).toBe(root.pid);

    // Orphaned: the intermediate shell is gone, the sleep now belongs to pid 1 (or a subreaper), not to the root.
    await until(() => !alive(intermediate));
    const orphanParent = stat(grandchild)?.ppid;
    expect(orphanParent).not.toBe(intermediate);
    expect(orphanParent).not.toBe(root.pid);
    expect(alive(grandchild)).toBe(true);

    expect(tracker.killAll()).toBe(1);
    await until(() => !alive(grandchild));
    // The root is not a descendant of itself: it is left to its owner.
    expect(alive(root.pid as number)).toBe(true);
  });

  it("kills nothing when the root had no children", () => {
    const lone = start("sleep", ["30"], process.env);
    const tracker = new DescendantTracker(lone.pid as number, 50);
    expect(tracker.killAll()).toBe(0);
    expect(alive(lone.pid as number)).toBe(true);
  });
});

describe("killSession", () => {
  it("kills children that left the session before their parents are killed (no orphan survives)", async () => {
    // The leader (its own session, as a pty child is) starts shells that each start `sleep` in a new session, as
    // Codex starts its stdio MCP servers and bwrap its sandboxed command: these are found only as children of a
    // living parent, never by session. Killing the parents first orphans them to init at once.
    const script = "for i in 1 2 3 4 5 6 7 8; do (setsid sleep 30 & echo $!; wait) & done; wait";
    const leader = start("sh", ["-c", script], process.env, true);
    const children: number[] = [];
    leader.stdout?.on("data", (chunk: Buffer) => {
      for (const pid of chunk.toString().trim().split(/\s+/)) children.push(Number(pid));
    });
    await until(() => children.length === 8);
    extraPids.push(...children);
    await until(() =>
      children.every((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("sleep")),
    );

    await killSession(leader.pid as number);
    expect(children.filter(alive)).toEqual([]);
    expect(await exited(leader)).toBe("SIGKILL");
  });
});
