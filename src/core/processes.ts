// Every Codex launch runs as the leader of its own session; its tree is found by session and by ancestry, never by a
// variable in its environment: a launcher must not be able to tell an audit's start from the user's own (a fixed
// marker name would let it pass the sandbox-bypass flags everywhere but in the audit).
import { readdirSync, readFileSync } from "node:fs";

/** The launch trees running now: an interrupt or the end of an audit stops every one of them at once. */
const running = new Set<LaunchedTree>();

/**
 * One launched process tree: its leader (a session of its own), and its descendants recorded while it runs.
 * Registered until it is killed, so `killLaunches` reaches it from a signal handler.
 */
export class LaunchedTree {
  private readonly descendants: DescendantTracker;

  constructor(readonly leader: number) {
    this.descendants = new DescendantTracker(leader);
    running.add(this);
  }

  /** The session (frozen first), the group and every recorded descendant that is still the same process. The group
   * is not killed first: that would orphan to init, out of reach, a child in a session of its own (bwrap's) that
   * was forked since the tracker's last scan; frozen, the session's tree keeps it under a living parent. */
  async kill(): Promise<void> {
    await killSession(this.leader);
    killGroup(this.leader);
    this.descendants.killAll();
    running.delete(this);
  }
}

/** Kills every launch tree still running (an interrupt, the end of an audit); returns how many there were. */
export async function killLaunches(): Promise<number> {
  const trees = [...running];
  await Promise.all(trees.map((tree) => tree.kill()));
  return trees.length;
}

/** Kills a process group, ignoring one that is already gone. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

interface ProcStat {
  state: string;
  ppid: number;
  startTime: string;
}

/** State, ppid and start time from /proc/<pid>/stat; null once the pid is gone. */
function procStat(pid: number): ProcStat | null {
  const fields = statFields(pid);
  return fields && { state: fields[0] ?? "", ppid: Number(fields[1]), startTime: fields[19] ?? "" };
}

/**
 * Records every descendant of a launched process while it runs. Codex's sandbox fs helpers (bwrap
 * `--codex-run-as-fs-helper`) start with an empty environment (no marker) and are orphaned to pid 1 when Codex
 * exits, so they are found by ancestry while Codex is alive and killed by pid (start time checked) at the end.
 */
export class DescendantTracker {
  private readonly seen = new Map<number, string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly root: number,
    intervalMs = 200,
  ) {
    this.timer = setInterval(() => this.scan(), intervalMs);
    this.timer.unref();
  }

  scan(): void {
    const children = new Map<number, number[]>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = procStat(Number(entry));
      if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
    }
    const queue = [this.root];
    while (queue.length > 0) {
      const pid = queue.pop() as number;
      for (const child of children.get(pid) ?? []) {
        const stat = procStat(child);
        if (stat && !this.seen.has(child)) this.seen.set(child, stat.startTime);
        queue.push(child);
      }
    }
  }

  /** Stops tracking and SIGKILLs every recorded descendant that is still the same process. */
  killAll(): number {
    clearInterval(this.timer);
    this.scan();
    let killed = 0;
    for (const [pid, startTime] of this.seen) {
      // A zombie is dead already (its parent has not reaped it yet): nothing to kill, not counted.
      const now = procStat(pid);
      if (now?.startTime !== startTime || now.state === "Z") continue;
      try {
        process.kill(pid, "SIGKILL");
        killed++;
      } catch {
        // exited meanwhile
      }
    }
    return killed;
  }
}

/**
 * Kills everything the session started, then waits until it is gone, so the caller's leftover check sees a
 * settled state. The pty child leads its own session (node-pty calls setsid; execa's `detached: true` too): processes
 * that Codex put in other groups, or that were reparented to init when Codex exited (its sandboxed helpers; bwrap
 * clears their environment, so the marker variable does not find them), still carry that session id. Their
 * descendants in new sessions (bwrap `--new-session`, the stdio MCP servers Codex starts) are found only by parent,
 * so the tree is frozen (SIGSTOP) before anything is killed: killing a parent first would orphan such a child to
 * init before it was seen, and a stopped process can neither fork nor exit, so the frozen set is complete once a
 * scan finds nothing new.
 */
export async function killSession(leader: number | undefined): Promise<void> {
  if (leader === undefined) return;
  // pid → start time, so a pid reused after its process died is never signalled.
  const frozen = new Map<number, string>();
  for (let round = 0; round < 40; round++) {
    const fresh = sessionTree(leader).filter((pid) => alive(pid) && !frozen.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      signal(pid, "SIGSTOP");
      frozen.set(pid, statFields(pid)?.[19] ?? "");
    }
  }
  const stillFrozen = () =>
    [...frozen].filter(([pid, start]) => alive(pid) && statFields(pid)?.[19] === start);
  for (const [pid] of stillFrozen()) signal(pid, "SIGKILL");
  // Until all are gone: an orphan of the kill no longer shows in the tree, so the frozen set is waited for too;
  // a process that slipped through (a bounded freeze) is killed on sight.
  for (let round = 0; round < 40; round++) {
    const members = [
      ...new Set([...sessionTree(leader).filter(alive), ...stillFrozen().map(([pid]) => pid)]),
    ];
    if (members.length === 0) return;
    for (const member of members) signal(member, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

/** Pids in `leader`'s session and all their descendants, from /proc (Linux). */
function sessionTree(leader: number): number[] {
  const children = new Map<number, number[]>();
  const found = new Set<number>(alive(leader) ? [leader] : []);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const fields = statFields(pid);
    if (!fields) continue;
    const [, ppid, , session] = fields.map(Number);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: `true` or `!==` puts every visible process in
    // the session, and killSession would freeze and kill them all, the test runner with them: not a mutant to run.
    if (session === leader) found.add(pid);
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const queue = [...found];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return [...found];
}

/** Fields of /proc/<pid>/stat after the parenthesised command name: state, ppid, pgrp, session, … */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** A zombie has released everything; only its parent's wait is missing. */
function alive(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== null && fields[0] !== "Z";
}
