// The `matrix` verdict and its console table: one check × release table, releases from the earliest to the
// latest, rows that differ marked, and exit 1 when a check that passed with an earlier release does not pass
// with a later one.
import { compareVersions } from "../codex/version.js";
import type { CheckResult, Report, Status } from "../core/model.js";
import { terminalSafeLine } from "../core/terminal-safe.js";
import { bold, plain, statusTag } from "../reporters/console.js";
import { exitCode } from "./execute.js";

export interface MatrixColumn {
  /** The column heading: the release number. */
  label: string;
  version: string;
  report: Report;
}

interface MatrixRow {
  id: string;
  title: string;
  /** One per column; undefined when that release's report has no such check. */
  cells: Array<CheckResult | undefined>;
  /** Not every release gives the same status. */
  differs: boolean;
  /** Passed with an earlier release and does not pass with a later one. */
  lostPass: boolean;
}

export interface Matrix {
  columns: MatrixColumn[];
  rows: MatrixRow[];
}

/** True when `statuses[later]` no longer passes what `statuses[earlier]` passed, for some earlier release. */
export function losesPass(statuses: Array<Status | undefined>, versions: string[]): boolean {
  return statuses.some(
    (status, earlier) =>
      status === "pass" &&
      statuses.some(
        (other, later) =>
          other !== "pass" && compareVersions(versions[earlier] as string, versions[later] as string) < 0,
      ),
  );
}

/** The table: columns sorted by release (equal releases keep their order), rows in the reports' check order. */
export function buildMatrix(columns: MatrixColumn[]): Matrix {
  const sorted = [...columns].sort((a, b) => compareVersions(a.version, b.version));
  const titles = new Map<string, string>();
  for (const column of sorted)
    for (const r of column.report.results) if (!titles.has(r.id)) titles.set(r.id, r.title);
  const versions = sorted.map((column) => column.version);
  const rows = [...titles].map(([id, title]): MatrixRow => {
    const cells = sorted.map((column) => column.report.results.find((r) => r.id === id));
    const statuses = cells.map((cell) => cell?.status);
    return {
      id,
      title,
      cells,
      differs: new Set(statuses).size > 1,
      lostPass: losesPass(statuses, versions),
    };
  });
  return { columns: sorted, rows };
}

/** 1 when a later release loses a pass; else the most severe of the releases' own exit codes (1, then 3). */
export function matrixExitCode(matrix: Matrix, failOn: "fail" | "warn"): number {
  if (matrix.rows.some((row) => row.lostPass)) return 1;
  const codes = matrix.columns.map((column) => exitCode(column.report, { failOn, regressions: false }));
  return [1, 3].find((code) => codes.includes(code)) ?? 0;
}

const MARK_DIFFERS = "≠";
const MARK_LOST = "✗";
const DETAIL_WIDTH = 140;

function cellText(cell: CheckResult | undefined, width: number, color: boolean): string {
  const text = cell ? statusTag(cell.status, color) : "-   ";
  return text + " ".repeat(Math.max(0, width - 4));
}

/** For a row that differs: what each release observed, one line each. */
function detailLines(row: MatrixRow, labels: string[], labelWidth: number): string[] {
  return row.cells.map((cell, i) => {
    const observed = plain(cell?.observed ?? "(not in this report)").replace(/\s*\n\s*/g, " ⏎ ");
    const line = `      ${(labels[i] ?? "").padEnd(labelWidth)}  ${observed}`;
    return line.length > DETAIL_WIDTH ? `${line.slice(0, DETAIL_WIDTH - 1)}…` : line;
  });
}

export function renderMatrix(matrix: Matrix, opts: { color: boolean; notes?: string[] }): string {
  const { color } = opts;
  const labels = matrix.columns.map((column) => terminalSafeLine(column.label));
  const width = Math.max(4, ...labels.map((label) => label.length)) + 2;
  const id = (row: MatrixRow) => terminalSafeLine(row.id);
  const idWidth = Math.max(5, ...matrix.rows.map((row) => id(row).length)) + 2;
  const differing = matrix.rows.filter((row) => row.differs);
  const lost = matrix.rows.filter((row) => row.lostPass).length;
  const releases = `${labels.length} ${labels.length === 1 ? "release" : "releases"}`;
  const heading = `codex-smoke matrix: ${matrix.rows.length} checks × ${releases}, ${differing.length} differ, ${lost === 0 ? "no" : lost} lost ${lost === 1 ? "pass" : "passes"}`;
  const mark = (row: MatrixRow) => (row.lostPass ? MARK_LOST : row.differs ? MARK_DIFFERS : " ");
  const lines = [
    bold(heading, color),
    "",
    `    ${"check".padEnd(idWidth)}${labels.map((label) => label.padEnd(width)).join("")}`.trimEnd(),
    ...matrix.rows.map((row) =>
      `  ${mark(row)} ${id(row).padEnd(idWidth)}${row.cells.map((cell) => cellText(cell, width, color)).join("")}`.trimEnd(),
    ),
  ];
  const labelWidth = Math.max(...labels.map((label) => label.length));
  for (const row of differing)
    lines.push("", `  ${mark(row)} ${id(row)}  ${plain(row.title)}`, ...detailLines(row, labels, labelWidth));
  lines.push(
    "",
    `  ${MARK_DIFFERS} differs between releases   ${MARK_LOST} passed with an earlier release, not with a later one`,
  );
  for (const note of opts.notes ?? []) lines.push(`  ${terminalSafeLine(note)}`);
  return `${lines.join("\n")}\n`;
}
