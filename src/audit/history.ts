// Leave Codex's history as it was (issue 14): exec runs with `--ephemeral`; the interactive session has no such flag
// and leaves a thread reference and a writer lock named after its session id (a UUIDv7: its first 48 bits are the
// creation time in ms). Only the audit's own are removed: the id `/status` showed, else the one entry created while
// the audit's session ran, if exactly one was (an interrupted session never reached `/status`).
import { existsSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const REFERENCES = "tui-thread-reference-capabilities";
const LOCKS = "thread-writer-locks";
const COORDINATION_LOCK = ".coordination.lock";
const UUID_V7 = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SESSION_LINE = /^\s*│?\s*Session:\s+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/m;

/** The session id `/status` showed, or null. */
export function sessionIdOf(statusScreen: string): string | null {
  return SESSION_LINE.exec(statusScreen)?.[1] ?? null;
}

/** Creation time (ms) of a UUIDv7, or null for any other name. */
export function uuidV7Time(id: string): number | null {
  const match = UUID_V7.exec(id);
  return match ? Number.parseInt(`${match[1]}${match[2]}`, 16) : null;
}

function listing(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
}

export interface SessionWatch {
  /** Removes the audit's own session traces; returns the ids removed. */
  forget(opts: { sessionId: string | null; startedAt: number; endedAt: number }): string[];
}

/** Call right before the interactive session starts. */
/** Session ids that have a thread reference or a writer lock in `codexHome`. */
function sessionIds(codexHome: string): Set<string> {
  const locks = [...listing(join(codexHome, LOCKS))].filter((name) => name.endsWith(".lock"));
  return new Set([
    ...listing(join(codexHome, REFERENCES)),
    ...locks.map((name) => name.slice(0, -".lock".length)),
  ]);
}

export function watchSessions(codexHome: string): SessionWatch {
  const before = sessionIds(codexHome);
  // Folders Codex creates for the first session ever are the audit's too, if they end up empty.
  const foldersBefore = new Map([REFERENCES, LOCKS].map((name) => [name, existsSync(join(codexHome, name))]));
  return {
    forget({ sessionId, startedAt, endedAt }) {
      // An interrupted session may have left its lock but not yet its reference: both name the session.
      const created = [...sessionIds(codexHome)].filter((id) => !before.has(id));
      const during = created.filter((id) => {
        const time = uuidV7Time(id);
        return time !== null && time >= startedAt - 1_000 && time <= endedAt + 1_000;
      });
      const ours = sessionId ? created.filter((id) => id === sessionId) : during.length === 1 ? during : [];
      for (const id of ours) {
        rmSync(join(codexHome, REFERENCES, id), { recursive: true, force: true });
        rmSync(join(codexHome, LOCKS, `${id}.lock`), { force: true });
      }
      for (const [name, existed] of foldersBefore) {
        if (existed) continue;
        const folder = join(codexHome, name);
        // Codex's shared coordination lock came with the folder; with no other entry, no other session used it.
        if ([...listing(folder)].every((entry) => entry === COORDINATION_LOCK))
          rmSync(join(folder, COORDINATION_LOCK), { force: true });
        try {
          rmdirSync(folder);
        } catch {
          // not empty (someone else's session), or not created
        }
      }
      return ours;
    },
  };
}
