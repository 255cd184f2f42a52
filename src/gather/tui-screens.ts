// Pure readers of what the Codex TUI (0.169.0) draws: the `/status` card, the `/mcp verbose` block and the
// warnings overlay. Input is rendered screen text (a terminal emulator's view, not the raw byte stream), where
// lines may be wrapped by the terminal (no indent) or by the TUI itself (indented).
import type { McpServerStatus } from "../model.js";

const lines = (screen: string): string[] => screen.replace(/\r\n?/g, "\n").split("\n");
const indentOf = (line: string): number => line.length - line.trimStart().length;

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

/** Index of the last `MCP Tools` heading (the emoji before it renders with varying widths, so it is ignored). */
function lastMcpHeading(all: string[]): number {
  for (let i = all.length - 1; i >= 0; i--) if (/^\S*\s*MCP Tools\s*$/.test(all[i] ?? "")) return i;
  return -1;
}

const SERVER_LINE = /^ {2}•\s+(.+?):\s+(\w+)\s+\((\d+) tools?\)\s*$/;
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

/**
 * Servers of the last `/mcp verbose` block: `• name: connected (N tools)` with its `• Auth:` and `• Tools:`
 * details; tool lists may continue on following lines (indented or, when the terminal wrapped them, not).
 */
export function parseMcpVerbose(screen: string): Record<string, McpServerStatus> {
  const block = mcpBlock(screen);
  const servers: Record<string, McpServerStatus> = {};
  if (block === null) return servers;
  let current: McpServerStatus | null = null;
  let toolsText: string | null = null;
  const flushTools = () => {
    if (current && toolsText !== null) {
      const text = toolsText.trim();
      current.toolNames =
        text === "(none)" || text === ""
          ? []
          : text
              .split(",")
              .map((name) => name.trim())
              .filter(Boolean);
    }
    toolsText = null;
  };
  for (const line of lines(block).slice(1)) {
    const server = SERVER_LINE.exec(line);
    if (server) {
      flushTools();
      current = { status: server[2] ?? "", tools: Number(server[3]), toolNames: [], auth: null };
      servers[server[1] ?? ""] = current;
      continue;
    }
    const detail = DETAIL_LINE.exec(line);
    if (detail && current) {
      flushTools();
      const [, key, value = ""] = detail;
      if (key === "Auth") current.auth = value.trim();
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
  const servers = parseMcpVerbose(block);
  const names = Object.keys(servers);
  if (names.length === 0 || !expected.every((name) => names.includes(name))) return false;
  // `Resource templates:` is the last detail of each entry; one per server means the block is drawn in full.
  const closers = lines(block).filter((line) => /^\s{3,}•\s+Resource templates:/.test(line)).length;
  return closers >= names.length;
}

/** The `/status` card of the screen: from its last `Permissions:`-bearing card heading to `Limits:`. */
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

/** The `(i, n)` of a warnings overlay page (`Warnings · 2 of 6 · MCP · playwright`), if one is on screen. */
export function warningsPage(screen: string): { index: number; count: number } | null {
  let page: { index: number; count: number } | null = null;
  for (const line of lines(screen)) {
    const match = /^\s*Warnings · (\d+) of (\d+)\b/.exec(line);
    if (match) page = { index: Number(match[1]), count: Number(match[2]) };
  }
  return page;
}

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
