// Tests that start Codex themselves (not through an audit) mark those processes with a variable of their own and
// kill them by it afterwards. The product never does this: a variable would let a launcher tell an audit apart.
import { readdirSync, readFileSync } from "node:fs";

export const MARKER_VAR = "CODEX_SMOKE_TEST_RUN";

/** Pids (other than this process) whose environment carries `MARKER_VAR=<nonce>`. */
export function markedPids(nonce: string): number[] {
  const needle = Buffer.from(`${MARKER_VAR}=${nonce}\0`);
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`).includes(needle)) pids.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return pids;
}

/** SIGKILLs every marked process until none is left (bounded). */
export async function killMarked(nonce: string): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const pids = markedPids(nonce);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // exited meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
