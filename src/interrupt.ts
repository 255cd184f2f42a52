// Ctrl-C (or SIGTERM) before an audit session exists has nothing to undo: exit at once with one line. Once a session
// runs, it handles the signal itself (kills the launches, restores, writes a partial report and says so); after it
// closed, the command is about to end with that report, and further signals are ignored.
let auditStarted = false;

export function markAuditStarted(): void {
  auditStarted = true;
}

export function exitOnEarlyInterrupt(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (auditStarted) return;
      process.stderr.write(
        `codex-smoke: interrupted (${signal}) before the audit started; nothing was changed\n`,
      );
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
}
