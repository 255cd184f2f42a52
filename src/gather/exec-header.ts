// The `codex exec` startup header (stderr, human mode only):
//   OpenAI Codex v0.169.0
//   --------
//   workdir: …
//   approval: never
//   sandbox: workspace-write [workdir] (network access enabled)
//   --------

/** `key: value` lines between the first two `--------` rules, or null when no header was printed. */
export function parseExecHeader(stderr: string): Record<string, string> | null {
  const lines = stderr.replaceAll("\r\n", "\n").split("\n");
  const start = lines.findIndex(
    (line, i) => line.trim() === "--------" && /^OpenAI Codex v/.test(lines[i - 1] ?? ""),
  );
  if (start < 0) return null;
  const header: Record<string, string> = {};
  const version = /^OpenAI Codex v(\S+)/.exec(lines[start - 1] ?? "");
  if (version?.[1]) header.version = version[1];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "--------") return header;
    const match = /^([a-z][a-z ]*):\s?(.*)$/.exec(line);
    if (match?.[1] !== undefined) header[match[1]] = match[2] ?? "";
  }
  return header;
}

/** Codex's own words when it refused to start: the `Error…` line and what follows it (backtraces dropped). */
export function refusalMessage(stderr: string): string | null {
  const lines = stderr.replaceAll("\r\n", "\n").split("\n");
  // Codex's own errors start `Error`, its argument parser's (clap) `error:`.
  const start = lines.findIndex((line) => /^(Error\b|error:)/.test(line));
  if (start < 0) return null;
  const message: string[] = [];
  for (const line of lines.slice(start)) {
    if (/^(Stack backtrace|\s*\d+: 0x|Location:)/.test(line)) break;
    if (line.trim() === "" && message.length > 0) continue;
    message.push(line.trim());
    if (message.length >= 6) break;
  }
  return message.join(" ").trim();
}

/** Exec header lines that differ on every run of the same setup: not evidence. */
const PER_RUN_HEADER_LINES = new Set(["workdir", "session id"]);

/** The exec header as a report keeps it: without its per-run lines. */
export function recordedExecHeader(header: Record<string, string> | null): Record<string, string> | null {
  if (header === null) return null;
  return Object.fromEntries(Object.entries(header).filter(([key]) => !PER_RUN_HEADER_LINES.has(key)));
}
