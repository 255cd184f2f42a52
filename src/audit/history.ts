// Leave Codex's history as it was (issue 14): exec runs with `--ephemeral`; the interactive session has no such
// flag and leaves a thread reference and a writer lock named after its session id, which `/status` shows. Only
// those of the audit's own session are removed.
import { rmSync } from "node:fs";
import { join } from "node:path";

const SESSION_LINE = /^\s*│?\s*Session:\s+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/m;

/** The session id `/status` showed, or null. */
export function sessionIdOf(statusScreen: string): string | null {
  return SESSION_LINE.exec(statusScreen)?.[1] ?? null;
}

/** Removes what Codex keeps for the interactive session `sessionId` in `codexHome`; returns what it removed. */
export function forgetSession(codexHome: string, sessionId: string): string[] {
  const entries = [
    join(codexHome, "tui-thread-reference-capabilities", sessionId),
    join(codexHome, "thread-writer-locks", `${sessionId}.lock`),
  ];
  for (const entry of entries) rmSync(entry, { recursive: true, force: true });
  return entries;
}
