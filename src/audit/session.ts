// One audit's lifetime on the host: its nonce, its private run directory, the undo steps every phase registers,
// and what happens on SIGINT/SIGTERM. An interrupt does not exit: it kills every launched process, so the launches
// end at once, and the audit finishes its normal path (restore, evaluate, a report marked incomplete).
import { randomBytes } from "node:crypto";
import { mkdirSync, rmdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { takeOverInterrupts } from "../commands/interrupt.js";
import { killLaunches } from "../core/processes.js";

type Undo = () => Promise<void> | void;

export interface AuditSession {
  nonce: string;
  /** Private scratch space under ~/.cache/codex-smoke, removed at the end. */
  runDir: string;
  /** Registers an undo step; steps run last-in first-out, each once, also after an interrupt. */
  onClose(undo: Undo): void;
  /** The signal that interrupted the audit, if any. */
  interrupted(): NodeJS.Signals | null;
  close(): Promise<void>;
}

/** Where every temporary file of codex-smoke lives (outside /tmp, decisions §5). */
export const CACHE_DIR = join(homedir(), ".cache", "codex-smoke");

export function openSession(): AuditSession {
  const nonce = randomBytes(6).toString("hex");
  // The first directory mkdir creates, if any: removed again at the end when empty, so nothing is left behind.
  const createdCacheRoot = mkdirSync(CACHE_DIR, { recursive: true });
  const runDir = join(CACHE_DIR, `run-${nonce}`);
  mkdirSync(runDir);
  const undos: Undo[] = [];
  let signal: NodeJS.Signals | null = null;
  let closed = false;

  const onSignal = (received: NodeJS.Signals) => {
    // A second Ctrl-C while the audit cleans up must not cut the cleanup short: it is ignored.
    if (signal !== null) return;
    signal = received;
    void killLaunches();
  };
  takeOverInterrupts();
  // `on`, not `once`: a second signal during cleanup must not meet Node's default handler, which exits at once.
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  return {
    nonce,
    runDir,
    onClose: (undo) => undos.push(undo),
    interrupted: () => signal,
    async close() {
      if (closed) return;
      closed = true;
      await killLaunches();
      for (const undo of undos.reverse()) {
        try {
          await undo();
        } catch {
          // one failed undo must not stop the others; what stayed behind is visible in the next audit
        }
      }
      rmSync(runDir, { recursive: true, force: true });
      if (createdCacheRoot) removeEmptyDirs(CACHE_DIR, createdCacheRoot);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/** Removes `dir` and its parents up to and including `top` while they are empty (`top`'s parent is no longer
 * under `top`: the loop ends there). */
function removeEmptyDirs(dir: string, top: string): void {
  for (let current = dir; current.startsWith(top); current = dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return;
    }
  }
}
