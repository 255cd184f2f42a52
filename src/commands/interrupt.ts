// Ctrl-C (or SIGTERM) before an audit session (or a matrix) exists has nothing to undo: exit at once with one line.
// Once one runs, it takes the signal over (kills the launches, restores, writes a partial report and says so);
// after it closed, the command is about to end with that report, and further signals are ignored here.
let takenOver = false;

export function takeOverInterrupts(): void {
  takenOver = true;
}

export function exitOnEarlyInterrupt(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (takenOver) return;
      process.stderr.write(
        `codex-smoke: interrupted (${signal}) before the audit started; nothing was changed\n`,
      );
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
}
