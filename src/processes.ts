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
