// Human report for a terminal: grouped by area, details only where a claim does not plainly hold.
import { type CheckResult, NOTE_PREFIX, type Report, type Status } from "../core/model.js";
import { terminalSafe } from "../core/terminal-safe.js";

const TAGS: Record<Status, string> = {
  pass: "PASS",
  fail: "FAIL",
  warn: "WARN",
  skip: "SKIP",
  error: "ERR ",
};
/** SGR colour codes per status. */
const COLOURS: Record<Status, string> = { pass: "32", fail: "31", warn: "33", skip: "90", error: "35" };
const BOLD = "1";
const DIM = "2";
/** The console shows a taste of the evidence; the JSON report keeps all of it. */
const EVIDENCE_LINES = 3;
const DETAIL_INDENT = "        ";

function paint(text: string, sgr: string, color: boolean): string {
  return color ? `\x1b[${sgr}m${text}\x1b[0m` : text;
}

export function bold(text: string, color: boolean): string {
  return paint(text, BOLD, color);
}

export function statusTag(status: Status, color: boolean): string {
  return paint(TAGS[status], COLOURS[status], color);
}

/** The area of a check is its id's prefix before the first dot (`fs.auth_json` → `fs`). */
export function areaOf(id: string): string {
  return id.split(".", 1)[0] ?? id;
}

/** Results grouped by area, areas in the order they first appear (the registry's order). */
function groupByArea(results: readonly CheckResult[]): Map<string, CheckResult[]> {
  const groups = new Map<string, CheckResult[]>();
  for (const result of results) {
    const area = areaOf(result.id);
    const group = groups.get(area);
    if (group) group.push(result);
    else groups.set(area, [result]);
  }
  return groups;
}

/**
 * A report completed from a live session (`--probe-report`) says where its evidence came from (decisions §24):
 * one line, or null for any other report.
 */
export function evidenceSourceText(report: Report): string | null {
  const labelled = report.results.filter((r) => r.evidenceFrom !== undefined);
  if (labelled.length === 0) return null;
  const inside = labelled.filter((r) => r.evidenceFrom === "inside").length;
  return `live session: ${inside} result${inside === 1 ? "" : "s"} as reported from inside the session (an agent there could have invented them), ${labelled.length - inside} verified on the host`;
}

export function summaryText(report: Report): string {
  const s = report.summary;
  const seconds = (report.durationMs / 1000).toFixed(1);
  return `${s.pass} passed, ${s.fail} failed, ${s.warn} warned, ${s.skip} skipped, ${s.error} errors in ${seconds}s`;
}

/**
 * Report text comes from input (Codex's output, the sandbox's reports, files the user names): its control
 * characters and bidi controls are escaped (decisions §28), so they can neither drive the reader's terminal nor
 * break a report file.
 */
export function plain(text: string): string {
  return terminalSafe(text);
}

/** `label: text`, continuation lines aligned under the text. */
function labelled(label: string, text: string, color: boolean): string[] {
  const [first = "", ...rest] = plain(text).split("\n");
  const pad = " ".repeat(label.length + 2);
  return [
    `${DETAIL_INDENT}${paint(`${label}:`, DIM, color)} ${first}`,
    ...rest.map((line) => `${DETAIL_INDENT}${pad}${line}`),
  ];
}

const isNote = (entry: string): boolean => entry.startsWith(NOTE_PREFIX);

function evidenceLines(evidence: readonly string[], color: boolean): string[] {
  const lines = evidence.filter((entry) => !isNote(entry)).flatMap((entry) => plain(entry).split("\n"));
  if (lines.length === 0) return [];
  const shown = lines.slice(0, EVIDENCE_LINES);
  const hidden = lines.length - shown.length;
  if (hidden > 0) shown.push(`… ${hidden} more line${hidden === 1 ? "" : "s"} in the JSON report`);
  return labelled("evidence", shown.join("\n"), color);
}

/** Evidence notes are risks worth seeing whatever the status: never cut, never hidden. */
function noteLines(evidence: readonly string[], color: boolean): string[] {
  return evidence.filter(isNote).flatMap((note) => labelled("note", note.slice(NOTE_PREFIX.length), color));
}

function resultLines(result: CheckResult, idWidth: number, color: boolean): string[] {
  const head = `  ${statusTag(result.status, color)}  ${plain(result.id).padEnd(idWidth)}  ${plain(result.title)}`;
  const notes = noteLines(result.evidence, color);
  if (result.status === "pass") return [head, ...notes];
  // A skip is one line: why it was not run says everything (it has nothing expected or observed).
  if (result.status === "skip")
    return [`${head} ${paint(`— ${oneLine(result.observed)}${seeDocs(result)}`, DIM, color)}`, ...notes];
  const lines = [
    head,
    ...labelled("expected", result.expected, color),
    ...labelled("observed", result.observed, color),
    ...evidenceLines(result.evidence, color),
    ...notes,
  ];
  // A remediation fixes a broken claim; for "could not test" it would send the reader the wrong way.
  if (result.status === "fail" || result.status === "warn")
    lines.push(...labelled("fix", result.remediation, color));
  if (result.docs !== undefined) lines.push(...labelled("docs", result.docs, color));
  return lines;
}

/** `; see <page>` for a one-line result, when the result names its check's page. */
export function seeDocs(result: CheckResult): string {
  return result.docs === undefined ? "" : `; see ${result.docs}`;
}

const oneLine = (text: string): string =>
  plain(text)
    .replace(/\s*\n\s*/g, " ")
    .trim();

export function renderConsole(report: Report, opts: { color: boolean }): string {
  const { color } = opts;
  const t = report.target;
  const lines = [
    bold(`${report.tool.name} ${report.tool.version}`, color),
    `  launcher  ${oneLine(t.launcher)}`,
    `  project   ${oneLine(t.project)}`,
    `  codex     ${oneLine(t.codexVersion)}`,
    `  profile   ${oneLine(t.profile)}`,
  ];
  const sources = evidenceSourceText(report);
  if (sources) lines.push(`  evidence  ${sources}`);
  const idWidth = Math.max(0, ...report.results.map((r) => plain(r.id).length));
  for (const [area, results] of groupByArea(report.results)) {
    lines.push("", bold(area, color));
    for (const result of results) lines.push(...resultLines(result, idWidth, color));
  }
  lines.push("", bold(summaryText(report), color));
  return `${lines.join("\n")}\n`;
}
