// Every process the harness starts carries MARKER_VAR=<nonce> in its environment. bwrap's children run in a
// new session and escape a process-group kill, so cleanup finds them by that marker instead.
import { readdirSync, readFileSync } from "node:fs";

export const MARKER_VAR = "CODEX_SMOKE_RUN";

/** Pids (other than this process) whose environment carries `MARKER_VAR=<nonce>`. */
export function markedPids(nonce: string): number[] {
  const needle = Buffer.from(`${MARKER_VAR}=${nonce}\0`);
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`);
      if (env.includes(needle)) pids.push(pid);
    } catch {
      // gone already, or not ours to read
    }
  }
  return pids;
}

/** SIGKILLs every marked process until none is left (bounded); returns how many were killed. */
export async function killMarked(nonce: string): Promise<number> {
  let killed = 0;
  for (let round = 0; round < 20; round++) {
    const pids = markedPids(nonce);
    if (pids.length === 0) return killed;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
        killed++;
      } catch {
        // exited meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return killed;
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
  ppid: number;
  session: number;
  startTime: string;
}

/** ppid and start time from /proc/<pid>/stat (fields after the parenthesised command name). */
function procStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), session: Number(fields[3]), startTime: fields[19] ?? "" };
  } catch {
    return null;
  }
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
      if (procStat(pid)?.startTime !== startTime) continue;
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
 * SIGKILLs every process of session `sid` (a launch started with `detached: true` leads its own session, and
 * bwrap's fs helpers stay in it even when orphaned), until a scan finds none.
 */
export async function killSession(sid: number | undefined): Promise<void> {
  if (sid === undefined) return;
  for (let round = 0; round < 20; round++) {
    const members = readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
      .filter((pid) => pid !== process.pid && procStat(pid)?.session === sid);
    if (members.length === 0) return;
    for (const pid of members) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // exited meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
