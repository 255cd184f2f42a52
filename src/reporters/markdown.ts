// Markdown for a CI step summary or an issue body (GitHub-flavoured tables).
import type { CheckResult, Report, Status } from "../core/model.js";
import { evidenceSourceText, plain, summaryText } from "./console.js";

const LABELS: Record<Status, string> = {
  pass: "✅ pass",
  fail: "❌ fail",
  warn: "⚠️ warn",
  skip: "⏭️ skip",
  error: "❗ error",
};

/** Text outside code spans: HTML-escaped so that values like `<none>` are shown, not swallowed as tags; Markdown
 * punctuation escaped so that `*.toml` or a stray backtick stays literal. */
function escapeText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]]/g, "\\$&");
}

/** A code span on one line (`approval: never` in a claim): rendered as code, its content literal. */
const CODE_SPAN = /(`[^`\n]+`)/;

/** Inline text: code spans kept as code, the rest escaped; line breaks kept as `<br>`. */
function inline(text: string): string {
  return plain(text)
    .trim()
    .split(CODE_SPAN)
    .map((part, i) => (i % 2 === 1 ? part : escapeText(part)))
    .join("")
    .replace(/\n/g, "<br>");
}

/** A check id as a code span (an id read from a file may hold a backtick). */
const idSpan = (id: string): string => `\`${plain(id).replace(/[`\n]/g, "")}\``;

/** A table cell: inline text with `|` escaped. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, "\\|");
}

/** A fenced block whose fence is longer than any backtick run in the text. */
function fenced(lines: readonly string[]): string[] {
  const text = plain(lines.join("\n"));
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return [fence, text, fence];
}

function details(r: CheckResult): string[] {
  const lines = [
    `### ${LABELS[r.status]} ${idSpan(r.id)}: ${inline(r.title)}`,
    "",
    `- **claim:** ${inline(r.claim)}`,
    `- **expected:** ${inline(r.expected)}`,
    `- **observed:** ${inline(r.observed)}`,
  ];
  if (r.status !== "skip") lines.push(`- **fix:** ${inline(r.remediation)}`);
  if (r.evidenceFrom !== undefined)
    lines.push(
      `- **evidence:** ${r.evidenceFrom === "host" ? "verified on the host" : "reported from inside the session"}`,
    );
  // A code span keeps the path as written (inline text would escape its underscores).
  if (r.docs !== undefined) lines.push(`- **docs:** \`${plain(r.docs).replace(/[`\n]/g, "")}\``);
  if (r.evidence.length > 0) lines.push("", ...fenced(r.evidence));
  return [...lines, ""];
}

function evidenceRow(report: Report): string[] {
  const sources = evidenceSourceText(report);
  return sources === null ? [] : [`| evidence | ${cell(sources)} |`];
}

export function renderMarkdown(report: Report): string {
  const t = report.target;
  const lines = [
    "# codex-smoke report",
    "",
    "| target | |",
    "|---|---|",
    `| launcher | ${cell(t.launcher)} |`,
    `| project | ${cell(t.project)} |`,
    `| Codex home | ${cell(t.codexHome)} |`,
    `| profile | ${cell(t.profile)} |`,
    `| Codex version | ${cell(t.codexVersion)} |`,
    `| started | ${cell(report.startedAt)} |`,
    `| codex-smoke | ${cell(report.tool.version)} |`,
    ...evidenceRow(report),
    "",
    `**${summaryText(report)}**`,
    "",
    "| status | id | claim | observed |",
    "|---|---|---|---|",
    ...report.results.map(
      (r) =>
        `| ${LABELS[r.status]} | ${idSpan(r.id).replace(/\|/g, "\\|")} | ${cell(r.claim)} | ${cell(r.observed)} |`,
    ),
  ];
  const notPassed = report.results.filter((r) => r.status !== "pass");
  if (notPassed.length > 0) lines.push("", "## Details", "", ...notPassed.flatMap(details));
  return `${lines.join("\n").trimEnd()}\n`;
}
