// Leave Codex's history as it was (issue 14): exec runs with `--ephemeral`; the interactive session has no such flag
// and leaves a thread reference and a writer lock named after its session id (a UUIDv7: its first 48 bits are the
// creation time in ms); the MCP runtime session, which has a turn, also a rollout (`sessions/YYYY/MM/DD/rollout-
// <time>-<id>.jsonl`), a shell snapshot (`shell_snapshots/<id>.<n>.sh`) and, up to 0.150, a line naming it in
// `session_index.jsonl` (its thread name). Only the audit's own are removed: the
// ids its sessions showed (`/status`, the runtime turn's requests), else, for a session whose id was not seen (an
// interrupted one), the entries created while the audit's sessions ran, if exactly that many were.
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, truncateSync } from "node:fs";
import { join, relative } from "node:path";

const REFERENCES = "tui-thread-reference-capabilities";
const LOCKS = "thread-writer-locks";
const COORDINATION_LOCK = ".coordination.lock";
const ROLLOUTS = "sessions";
const SNAPSHOTS = "shell_snapshots";
const SESSION_INDEX = "session_index.jsonl";
const UUID_V7 = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
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
  /**
   * Removes the audit's own session traces; returns the ids removed. `sessionIds` has one entry per interactive
   * session the audit ran: its id, or null when it was not seen.
   */
  forget(opts: { sessionIds: Array<string | null>; startedAt: number; endedAt: number }): string[];
}

/** Folders under `dir`, down to `depth` levels, as paths relative to `root` (the rollouts' date folders). */
function folders(root: string, dir: string, depth: number): string[] {
  if (depth === 0) return [];
  let entries: string[];
  try {
    entries = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(dir, entry.name));
  } catch {
    return [];
  }
  return entries.flatMap((sub) => [relative(root, sub), ...folders(root, sub, depth - 1)]);
}

/** Rollout files of one session: `sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl`. */
function rolloutsOf(codexHome: string, id: string): string[] {
  return folders(codexHome, join(codexHome, ROLLOUTS), 3)
    .map((folder) => join(codexHome, folder))
    .flatMap((folder) =>
      [...listing(folder)]
        .filter((name) => name.startsWith("rollout-") && name.endsWith(`-${id}.jsonl`))
        .map((name) => join(folder, name)),
    );
}

/** Removes every trace named after the session id. */
function removeSession(codexHome: string, id: string): void {
  rmSync(join(codexHome, REFERENCES, id), { recursive: true, force: true });
  rmSync(join(codexHome, LOCKS, `${id}.lock`), { force: true });
  for (const name of listing(join(codexHome, SNAPSHOTS)))
    if (name.startsWith(`${id}.`)) rmSync(join(codexHome, SNAPSHOTS, name), { force: true });
  for (const rollout of rolloutsOf(codexHome, id)) rmSync(rollout, { force: true });
}

/** The size of a file, or null when there is none. */
function sizeOf(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

/**
 * Takes back what the audit's sessions appended to Codex's session index: only when every line appended since
 * `sizeBefore` names one of `ids` (a line someone else appended keeps the file as it is).
 */
function restoreSessionIndex(file: string, sizeBefore: number | null, ids: readonly string[]): void {
  let appended: string;
  try {
    appended = readFileSync(file)
      .subarray(sizeBefore ?? 0)
      .toString("utf8");
  } catch {
    return;
  }
  const lines = appended.split("\n").filter((line) => line.trim() !== "");
  const ours = (line: string) => {
    try {
      return ids.includes((JSON.parse(line) as { id?: unknown }).id as string);
    } catch {
      return false;
    }
  };
  if (lines.length === 0 || !lines.every(ours)) return;
  if (sizeBefore === null) rmSync(file, { force: true });
  else truncateSync(file, sizeBefore);
}

/** Removes `folder` if it is empty (someone else's entry, or an existing folder, keeps it). */
function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // not empty (someone else's session), or not created
  }
}

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
  // Folders Codex creates for the first session ever (or day) are the audit's too, if they end up empty.
  const foldersBefore = new Map([REFERENCES, LOCKS].map((name) => [name, existsSync(join(codexHome, name))]));
  const indexSizeBefore = sizeOf(join(codexHome, SESSION_INDEX));
  const traceFoldersBefore = new Set([
    ...[ROLLOUTS, SNAPSHOTS].filter((name) => existsSync(join(codexHome, name))),
    ...folders(codexHome, join(codexHome, ROLLOUTS), 3),
  ]);
  return {
    forget({ sessionIds: seen, startedAt, endedAt }) {
      // An interrupted session may have left its lock but not yet its reference: both name the session.
      const created = [...sessionIds(codexHome)].filter((id) => !before.has(id));
      // Ids are file names here: only the UUIDs Codex names sessions with.
      const shown = seen.filter((id): id is string => id !== null && UUID.test(id));
      const unseen = seen.length - shown.length;
      // A session that had traces before the audit is the user's, resumed (a launcher may `resume`): never removed.
      const known = shown.filter((id) => !before.has(id));
      const during = created.filter((id) => {
        const time = uuidV7Time(id);
        return time !== null && time >= startedAt - 1_000 && time <= endedAt + 1_000 && !known.includes(id);
      });
      // A seen id is the audit's own session even where it left no thread reference or lock (0.139).
      const ours = [...known, ...(unseen > 0 && during.length === unseen ? during : [])];
      for (const id of ours) removeSession(codexHome, id);
      restoreSessionIndex(join(codexHome, SESSION_INDEX), indexSizeBefore, ours);
      for (const [name, existed] of foldersBefore) {
        if (existed) continue;
        const folder = join(codexHome, name);
        // Codex's shared coordination lock came with the folder; with no other entry, no other session used it.
        if ([...listing(folder)].every((entry) => entry === COORDINATION_LOCK))
          rmSync(join(folder, COORDINATION_LOCK), { force: true });
        removeIfEmpty(folder);
      }
      // Deepest first, so a day folder goes before its month and year.
      const createdFolders = [SNAPSHOTS, ROLLOUTS, ...folders(codexHome, join(codexHome, ROLLOUTS), 3)]
        .filter((folder) => !traceFoldersBefore.has(folder))
        .sort((a, b) => b.length - a.length);
      for (const folder of createdFolders) removeIfEmpty(join(codexHome, folder));
      return ours;
    },
  };
}
