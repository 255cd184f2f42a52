// Pure readers of what the Codex TUI draws, by structure rather than by one release's hint text (0.139 → 0.171):
// the composer, the session footer, the `/status` card (boxed up to 0.150), the `/mcp verbose` block (without
// statuses in 0.139), and the startup warnings (history lines up to 0.150, the F2 overlay from 0.160).
// Input is rendered screen text (a terminal emulator's view, not the raw byte stream), where lines may be wrapped
// by the terminal (no indent) or by the TUI itself (indented).
import type { McpFailure, McpServerStatus } from "../core/model.js";

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** A line of a boxed card (`│  Permissions: … │`, 0.139–0.150) without its border; other lines unchanged. */
export function unbox(line: string): string {
  const boxed = /^(\s*)│(.*?)│\s*$/.exec(line);
  return boxed ? `${boxed[1]}${boxed[2]}`.trimEnd() : line;
}

const lines = (screen: string): string[] => screen.replace(/\r\n?/g, "\n").split("\n").map(unbox);

/**
 * Codex's own state signal (0.169 on), `ESC ] 7501 ; state=working|idle|done|clear … (BEL | ESC \\)`, read from
 * the raw stream (the screen does not show it). A sequence may be split across chunks: `rest` is the unconsumed
 * tail to prepend to the next one.
 */
export function readOscStates(text: string): { states: string[]; rest: string } {
  const states: string[] = [];
  let consumed = 0;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: an OSC sequence is made of control characters
  for (const match of text.matchAll(/\x1b\]7501;state=(\w+)[^\x07\x1b]*(?:\x07|\x1b\\)/g)) {
    states.push(match[1] ?? "");
    consumed = (match.index ?? 0) + match[0].length;
  }
  return { states, rest: text.slice(Math.max(consumed, text.length - 64)) };
}

/** Index of the composer (the last line starting `› `; every release draws it), or -1. */
function composerIndex(all: string[]): number {
  for (let i = all.length - 1; i >= 0; i--) if ((all[i] ?? "").startsWith("› ")) return i;
  return -1;
}

/** Text of the composer, or null when none is on screen. */
export function composerText(screen: string): string | null {
  const all = lines(screen);
  const index = composerIndex(all);
  return index < 0 ? null : (all[index] ?? "").slice(2).trim();
}

/**
 * The session is configured: under the composer the footer shows its session line (`<model> … · <directory>`,
 * with `← for agents · …` from 0.169 and `⚠ N warnings · f2 to view` from 0.160). Before that every release
 * draws only `? for shortcuts`, or nothing (0.160).
 */
export function sessionConfigured(screen: string): boolean {
  const all = lines(screen);
  const index = composerIndex(all);
  return index >= 0 && all.slice(index + 1).some((line) => line.includes(" · "));
}

/**
 * MCP startup is still shown as running: 0.139 and 0.150 draw `• Starting MCP servers (1/3): …` (or `Booting MCP
 * server: …`) above the composer until the last server is up or timed out. Later releases draw nothing (0.160) or
 * signal it with OSC 7501 `working` → `idle` (0.169 on), which the driver reads from the raw stream.
 */
export function mcpStartupShown(screen: string): boolean {
  const all = lines(screen);
  const index = composerIndex(all);
  const live = all.slice(Math.max(0, index - 4), index < 0 ? all.length : index);
  return live.some((line) => /^\S\s+(Starting MCP servers|Booting MCP server)\b/.test(line));
}

/** A `/status` field line such as `  Agents.md:           <none>` (the key ends at the first colon). */
const STATUS_FIELD = /^\s{0,2}[A-Z][\w.]*(?: [\w.]+)*:\s/;

/**
 * The value after `Permissions:` on the last `/status` card, e.g.
 * `Profile azi4a2-autonomous (workspace with network access, never)`; wrapped continuation lines are joined.
 */
export function parseStatusPermissions(screen: string): string | null {
  const all = lines(screen);
  let start = -1;
  for (let i = all.length - 1; i >= 0; i--) {
    if (/^\s*Permissions:\s/.test(all[i] ?? "")) {
      start = i;
      break;
    }
  }
  if (start < 0) return null;
  const parts = [(all[start] ?? "").replace(/^\s*Permissions:\s+/, "").trim()];
  for (const line of all.slice(start + 1)) {
    if (line.trim() === "" || STATUS_FIELD.test(line)) break;
    parts.push(line.trim());
  }
  const value = parts.join(" ").trim();
  return value === "" ? null : value;
}

/**
 * Splits a Permissions value into sandbox access and approval policy. The last parenthesis holds
 * `<access>, <approval>` (`Profile x (workspace with network access, never)`), or only the approval when the
 * access is the prefix (`Workspace (Ask for approval)`, `Read Only (never)`). `Full Access` (shown for
 * `--dangerously-bypass-approvals-and-sandbox`) has none: it is the access, with an empty approval, so it can
 * never be read as a workspace sandbox. Null only for an empty value.
 */
export function permissionsParenthesis(value: string): { access: string; approval: string } | null {
  const trimmed = value.trim();
  if (trimmed === "") return null;
  const paren = /\(([^()]*)\)\s*$/.exec(trimmed);
  if (!paren) return { access: trimmed, approval: "" };
  const inner = (paren[1] ?? "").trim();
  const comma = inner.lastIndexOf(",");
  if (comma < 0) return { access: trimmed.slice(0, paren.index).trim(), approval: inner };
  return { access: inner.slice(0, comma).trim(), approval: inner.slice(comma + 1).trim() };
}

/** The `/status` card of the screen, unboxed: from its last `Permissions:`-bearing card heading to `Limits:`. */
export function statusCard(screen: string): string | null {
  const all = lines(screen);
  let perm = -1;
  for (let i = all.length - 1; i >= 0; i--) {
    if (/^\s*Permissions:\s/.test(all[i] ?? "")) {
      perm = i;
      break;
    }
  }
  if (perm < 0) return null;
  let start = perm;
  while (start > 0 && !/OpenAI Codex \(v/.test(all[start] ?? "")) start--;
  let end = perm;
  while (end < all.length - 1 && !/^\s*Limits:/.test(all[end] ?? "")) end++;
  return all
    .slice(start, end + 1)
    .map((line) => line.trimEnd())
    .join("\n");
}

/** Index of the last `MCP Tools` heading (the emoji before it renders with varying widths, so it is ignored). */
function lastMcpHeading(all: string[]): number {
  for (let i = all.length - 1; i >= 0; i--) if (/^\S*\s*MCP Tools\s*$/.test(all[i] ?? "")) return i;
  return -1;
}

/** How many `/mcp verbose` blocks the screen holds: a new one is drawn below the last each time it is asked. */
export function mcpBlockCount(screen: string): number {
  return lines(screen).filter((line) => /^\S*\s*MCP Tools\s*$/.test(line)).length;
}

/** `  • name: connected (2 tools)`; 0.139 shows the name alone. */
const SERVER_LINE = /^ {2}•\s+([^\s:]+)(?::\s+(\w+)\s+\((\d+) tools?\))?\s*$/;
const DETAIL_LINE = /^\s{3,}•\s+([A-Za-z][\w ]*?):\s?(.*)$/;

/** The text of the last `/mcp verbose` block: the `MCP Tools` heading up to the first line that is not part of it. */
export function mcpBlock(screen: string): string | null {
  const all = lines(screen);
  const head = lastMcpHeading(all);
  if (head < 0) return null;
  let end = head + 1;
  for (let i = head + 1; i < all.length; i++) {
    const line = all[i] ?? "";
    if (line.trim() === "") continue;
    // The block is bullets, their wrapped continuations (indented by the TUI, or at column 0 after a line
    // ending in a comma when the terminal wrapped them) and blank separators; anything else ends it.
    const wrappedList = (all[end - 1] ?? "").trimEnd().endsWith(",") && end === i;
    if (/^\s*•/.test(line) || indentOf(line) >= 4 || wrappedList) end = i + 1;
    else break;
  }
  return all.slice(head, end).join("\n");
}

/** Tool names of a `• Tools:` value (`(none)` is none). */
const toolList = (text: string): string[] =>
  text.trim() === "(none)"
    ? []
    : text
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean);

/**
 * Servers of the last `/mcp verbose` block: `• name: connected (N tools)` with its `• Auth:` and `• Tools:`
 * details; tool lists may continue on following lines (indented or, when the terminal wrapped them, not).
 * 0.139 shows no status: a server that lists tools answered `tools/list` (`connected`); one without is `unknown`
 * until a startup warning says why (the driver adds that).
 */
export function parseMcpVerbose(screen: string): Record<string, McpServerStatus> {
  const block = mcpBlock(screen);
  const servers: Record<string, McpServerStatus> = {};
  if (block === null) return servers;
  let current: { server: McpServerStatus; shown: boolean } | null = null;
  let toolsText: string | null = null;
  const flushTools = () => {
    if (current && toolsText !== null) {
      current.server.toolNames = toolList(toolsText);
      if (!current.shown) {
        current.server.tools = current.server.toolNames.length;
        current.server.status = current.server.tools > 0 ? "connected" : "unknown";
      }
    }
    toolsText = null;
  };
  for (const line of lines(block).slice(1)) {
    const entry = SERVER_LINE.exec(line);
    if (entry) {
      flushTools();
      const shown = entry[2] !== undefined;
      const server = {
        status: entry[2] ?? "unknown",
        tools: Number(entry[3] ?? 0),
        toolNames: [],
        auth: null,
      };
      current = { server: { ...server, failure: null }, shown };
      servers[entry[1] ?? ""] = current.server;
      continue;
    }
    const detail = DETAIL_LINE.exec(line);
    if (detail && current) {
      flushTools();
      const [, key, value = ""] = detail;
      if (key === "Auth") current.server.auth = value.trim();
      else if (key === "Tools") toolsText = value;
      continue;
    }
    if (line.trim() === "") flushTools();
    else if (toolsText !== null) toolsText += ` ${line.trim()}`;
  }
  flushTools();
  return servers;
}

/** True once the last `/mcp verbose` block lists every expected server and each entry is complete. */
export function mcpVerboseComplete(screen: string, expected: readonly string[]): boolean {
  const block = mcpBlock(screen);
  if (block === null) return false;
  const names = Object.keys(parseMcpVerbose(block));
  if (names.length === 0 || !expected.every((name) => names.includes(name))) return false;
  // `Resource templates:` is the last detail of each entry; one per server means the block is drawn in full.
  const closers = lines(block).filter((line) => /^\s{3,}•\s+Resource templates:/.test(line)).length;
  return closers >= names.length;
}

/** The `(i, n)` of a warnings overlay page (`Warnings · 2 of 6 · MCP · playwright`), if one is on screen. */
export function warningsPage(screen: string): { index: number; count: number } | null {
  let page: { index: number; count: number } | null = null;
  for (const line of lines(screen)) {
    const match = /^\s*Warnings · (\d+) of (\d+)\b/.exec(line);
    if (match) page = { index: Number(match[1]), count: Number(match[2]) };
  }
  return page;
}

/** The footer offers the warnings overlay (`⚠ N warnings · f2 to view`, 0.160 on). */
export const warningsOffered = (screen: string): boolean => /\bf2 to view\b/.test(screen);

/**
 * The warnings shown by the F2 / `/warnings` overlay on this screen text (one per page seen): each is its
 * heading's topic and body, e.g. `MCP · playwright: MCP client for \`playwright\` failed to start: …`.
 * Lines of a paragraph are joined with a space, paragraphs with a newline.
 */
export function parseWarnings(screen: string): string[] {
  const warnings: string[] = [];
  let topic: string | null = null;
  let paragraphs: string[][] = [];
  const finish = () => {
    if (topic === null) return;
    const body = paragraphs
      .map((paragraph) => paragraph.join(" "))
      .filter(Boolean)
      .join("\n");
    warnings.push(`${topic}: ${body}`);
    topic = null;
  };
  for (const line of lines(screen)) {
    const heading = /^\s*Warnings · \d+ of \d+ · (.+?)\s*$/.exec(line);
    if (heading) {
      finish();
      topic = heading[1] ?? "";
      paragraphs = [[]];
      continue;
    }
    if (topic === null) continue;
    if (/^\s*k keep & next\b/.test(line) || /^\s*esc dismiss\b/.test(line)) {
      finish();
      continue;
    }
    if (line.trim() === "") {
      if ((paragraphs.at(-1) ?? []).length > 0) paragraphs.push([]);
    } else paragraphs.at(-1)?.push(line.trim());
  }
  finish();
  return [...new Set(warnings)];
}

/** The overlay's topic for a warning text: `MCP · <server>` for a server's own warning, as 0.160+ heads it. */
function warningTopic(text: string): string {
  const server = /^MCP client for `([^`]+)`/.exec(text);
  if (server) return `MCP · ${server[1]}`;
  return /^MCP\b/.test(text) ? "MCP" : "Startup";
}

/**
 * Warnings printed into the history as `⚠ …` paragraphs (0.139, 0.150; continuation lines indented by two),
 * in the overlay's `topic: body` form.
 */
export function historyWarnings(screen: string): string[] {
  const warnings: string[] = [];
  let current: string[] | null = null;
  const finish = () => {
    if (current === null) return;
    const text = current.join(" ");
    warnings.push(`${warningTopic(text)}: ${text}`);
    current = null;
  };
  for (const line of lines(screen)) {
    const start = /^⚠ (.*)$/.exec(line);
    if (start) {
      finish();
      current = [(start[1] ?? "").trim()];
    } else if (current !== null && /^ {2}\S/.test(line)) current.push(line.trim());
    else finish();
  }
  finish();
  return [...new Set(warnings)];
}

/** Rust type names in brackets (`[codex_rmcp_client::…<…>]`), possibly broken by a wrap into `a b`. */
const RUST_TYPES = /\s*\[[\w:<>, ]*::[\w:<>, ]*\]/g;

/**
 * A warning's text without Rust type names and without the repetition Codex appends (`X, when send initialize
 * request: X, when send initialize request`): the first statement of the error chain, for reports.
 */
export function plainWarning(text: string): string {
  const plain = text.replace(RUST_TYPES, "").replace(/\s+/g, " ").trim();
  const repeat = plain.indexOf(", when send initialize request");
  return repeat < 0 ? plain : plain.slice(0, repeat);
}

/**
 * What a server's startup warning says went wrong, classified from Codex's words (the same on 0.139–0.171).
 * Codex prints no cause for a request that could not be sent (refused, DNS and TLS all read `error sending
 * request for url (…)`): that is `unreachable` with the URL, for the driver to refine from the host.
 */
export function classifyMcpWarning(text: string): McpFailure {
  const failure = (
    cause: McpFailure["cause"],
    detail: string,
    extra: Partial<McpFailure> = {},
  ): McpFailure => ({
    cause,
    detail,
    url: null,
    timeoutSec: null,
    httpStatus: null,
    ...extra,
  });
  const plain = plainWarning(text);
  const timeout = /timed out after (\d+) seconds?/.exec(plain);
  if (timeout) return failure("startup-timeout", "", { timeoutSec: Number(timeout[1]) });
  const status = /unexpected server response: HTTP (\d{3})/.exec(plain);
  if (status) return failure("http-status", `HTTP ${status[1]}`, { httpStatus: Number(status[1]) });
  if (/Unexpected content type/.test(plain))
    return failure("not-mcp", "the answer has no MCP (JSON or event-stream) content type");
  const url = /error sending request for url \(([^)]*)\)/.exec(plain);
  if (url) return failure("unreachable", "", { url: (url[1] ?? "").replace(/\s+/g, "") });
  if (/connection closed: initialize response|Broken pipe \(os error 32\)/.test(plain))
    return failure("exited", "");
  const spawn = /MCP startup failed: ([^:]*?) \(os error (\d+)\)$/.exec(plain);
  if (spawn) return failure(spawn[2] === "2" ? "command-not-found" : "spawn-failed", spawn[1] ?? "");
  const sentence = plain.replace(/^MCP client for `[^`]+` /, "");
  return failure("other", sentence.length > 200 ? `${sentence.slice(0, 199)}…` : sentence);
}

/** Each server's failure from the startup warnings (`MCP · <server>: …`), classified. */
export function mcpFailures(warnings: readonly string[]): Record<string, McpFailure> {
  const failures: Record<string, McpFailure> = {};
  for (const warning of warnings) {
    const match = /^MCP · ([^:]+): (MCP client for `[^`]+`[^\n]*)/.exec(warning);
    if (match?.[1] && match[2] && !failures[match[1]]) failures[match[1]] = classifyMcpWarning(match[2]);
  }
  return failures;
}
