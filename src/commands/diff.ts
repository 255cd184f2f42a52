// Comparing two JSON reports (`codex-smoke diff`, `run --baseline`): what broke, what was fixed, what moved.
import { parseBoundedJson } from "../core/bounded-json.js";
import { readInputFile } from "../core/json-input.js";
import { type CheckResult, type Report, type ReportTarget, STATUSES, type Status } from "../core/model.js";
import { bold, plain, statusTag } from "../reporters/console.js";

interface StatusChange {
  id: string;
  title: string;
  from: Status;
  to: Status;
  /** What the check observed then and now. */
  before: string;
  after: string;
}

interface CheckRef {
  id: string;
  title: string;
  status: Status;
}

/** A change in what was audited rather than in one check: the Codex release, a line of the exec header. */
interface TargetChange {
  what: string;
  before: string;
  after: string;
}

export interface ReportDiff {
  /** Held or was not tested as broken (pass/warn/skip) and is now fail/error. */
  regressions: StatusChange[];
  /** Was fail/error and now holds (pass/warn). */
  fixes: StatusChange[];
  /** Status changes that are neither, e.g. pass → warn or fail → error. */
  otherStatusChanges: StatusChange[];
  /** Same status, different observation. */
  changedEvidence: StatusChange[];
  /** The Codex release or its exec header changed (shown with the changed evidence). */
  changedTarget: TargetChange[];
  added: CheckRef[];
  removed: CheckRef[];
}

const BROKEN: readonly Status[] = ["fail", "error"];
const HOLDS: readonly Status[] = ["pass", "warn"];

function change(oldR: CheckResult, newR: CheckResult): StatusChange {
  return {
    id: newR.id,
    title: newR.title,
    from: oldR.status,
    to: newR.status,
    before: oldR.observed,
    after: newR.observed,
  };
}

const ref = (r: CheckResult): CheckRef => ({ id: r.id, title: r.title, status: r.status });

export function diffReports(oldR: Report, newR: Report): ReportDiff {
  const before = new Map(oldR.results.map((r) => [r.id, r]));
  const after = new Set(newR.results.map((r) => r.id));
  const diff: ReportDiff = {
    regressions: [],
    fixes: [],
    otherStatusChanges: [],
    changedEvidence: [],
    changedTarget: targetChanges(oldR.target, newR.target),
    added: [],
    removed: oldR.results.filter((r) => !after.has(r.id)).map(ref),
  };
  for (const now of newR.results) {
    const then = before.get(now.id);
    if (!then) diff.added.push(ref(now));
    else if (then.status === now.status) {
      if (then.observed !== now.observed) diff.changedEvidence.push(change(then, now));
    } else if (!BROKEN.includes(then.status) && BROKEN.includes(now.status)) {
      diff.regressions.push(change(then, now));
    } else if (BROKEN.includes(then.status) && HOLDS.includes(now.status)) {
      diff.fixes.push(change(then, now));
    } else diff.otherStatusChanges.push(change(then, now));
  }
  return diff;
}

function headerChanges(
  before: Record<string, string> | null,
  after: Record<string, string> | null,
): TargetChange[] {
  if (before === null || after === null) {
    if (before === after) return [];
    const text = (header: Record<string, string> | null) =>
      header === null
        ? "no header printed"
        : Object.entries(header)
            .map(([k, v]) => `${k}: ${v}`)
            .join(" | ");
    return [{ what: "exec header", before: text(before), after: text(after) }];
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((key) => before[key] !== after[key])
    .map((key) => ({
      what: `exec header ${key}`,
      before: before[key] ?? "(no such line)",
      after: after[key] ?? "(no such line)",
    }));
}

/** Codex version and exec header changes; a report from before the header was recorded compares no header. */
function targetChanges(before: ReportTarget, after: ReportTarget): TargetChange[] {
  const changes: TargetChange[] = [];
  if (before.codexVersion !== after.codexVersion) {
    changes.push({ what: "Codex version", before: before.codexVersion, after: after.codexVersion });
  }
  if (before.execHeader !== undefined && after.execHeader !== undefined) {
    changes.push(...headerChanges(before.execHeader, after.execHeader));
  }
  return changes;
}

export function hasRegressions(diff: ReportDiff): boolean {
  return diff.regressions.length > 0;
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function changeLines(c: StatusChange, color: boolean): string[] {
  const transition =
    c.from === c.to ? statusTag(c.to, color) : `${statusTag(c.from, color)} → ${statusTag(c.to, color)}`;
  const lines = [`  ${transition}  ${oneLine(c.id)}  ${plain(c.title)}`];
  if (c.before !== c.after) {
    lines.push(`      before: ${oneLine(c.before)}`, `      after:  ${oneLine(c.after)}`);
  } else lines.push(`      observed: ${oneLine(c.after)}`);
  return lines;
}

function targetLines(c: TargetChange): string[] {
  return [`  ${plain(c.what)}`, `      before: ${oneLine(c.before)}`, `      after:  ${oneLine(c.after)}`];
}

const oneLine = (text: string): string => plain(text).replace(/\s*\n\s*/g, " ⏎ ");

function section(title: string, body: string[], color: boolean): string[] {
  return body.length === 0 ? [] : ["", bold(title, color), ...body];
}

export function renderDiff(diff: ReportDiff, opts: { color: boolean }): string {
  const { color } = opts;
  const counts = [
    count(diff.regressions.length, "regression", "regressions"),
    count(diff.fixes.length, "fix", "fixes"),
    count(diff.otherStatusChanges.length, "other status change", "other status changes"),
    `${diff.changedEvidence.length + diff.changedTarget.length} changed evidence`,
    `${diff.added.length} added`,
    `${diff.removed.length} removed`,
  ];
  const refLine = (mark: string) => (r: CheckRef) =>
    `  ${mark} ${statusTag(r.status, color)}  ${oneLine(r.id)}  ${plain(r.title)}`;
  const lines = [
    bold(`codex-smoke diff: ${counts.join(", ")}`, color),
    ...section(
      "Regressions",
      diff.regressions.flatMap((c) => changeLines(c, color)),
      color,
    ),
    ...section(
      "Fixes",
      diff.fixes.flatMap((c) => changeLines(c, color)),
      color,
    ),
    ...section(
      "Other status changes",
      diff.otherStatusChanges.flatMap((c) => changeLines(c, color)),
      color,
    ),
    ...section(
      "Changed evidence",
      [
        ...diff.changedTarget.flatMap(targetLines),
        ...diff.changedEvidence.flatMap((c) => changeLines(c, color)),
      ],
      color,
    ),
    ...section("Added", diff.added.map(refLine("+")), color),
    ...section("Removed", diff.removed.map(refLine("-")), color),
  ];
  return `${lines.join("\n")}\n`;
}

/** A report is 4 levels deep; deeper is not a report (and would make every walk over it unbounded). */
const MAX_REPORT_DEPTH = 64;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Why `data` is not a schemaVersion 1 report (the fields `diff` and the renderers read), or null. */
function shapeProblem(data: unknown): string | null {
  if (!isObject(data)) return "not a codex-smoke report (not a JSON object)";
  if (!("schemaVersion" in data)) return "not a codex-smoke report (schemaVersion missing)";
  if (data.schemaVersion !== 1) {
    return `unsupported schemaVersion ${JSON.stringify(data.schemaVersion)} (expected 1)`;
  }
  if (!Array.isArray(data.results)) return "not a codex-smoke report (results missing)";
  for (const [i, r] of data.results.entries()) {
    if (!isObject(r)) return `results[${i}]: not an object`;
    for (const field of ["id", "title", "claim", "expected", "observed", "remediation"]) {
      if (typeof r[field] !== "string") return `results[${i}]: ${field} missing or not a string`;
    }
    if (!STATUSES.includes(r.status as Status)) {
      return `results[${i}] (${r.id}): status ${JSON.stringify(r.status)} is not one of ${STATUSES.join(", ")}`;
    }
    if (!Array.isArray(r.evidence) || !r.evidence.every((e) => typeof e === "string")) {
      return `results[${i}] (${r.id}): evidence is not a list of strings`;
    }
  }
  return null;
}

/** `data` as a report; a foreign shape is a one-line error naming `path`. */
export function reportFrom(data: unknown, path: string): Report {
  const problem = shapeProblem(data);
  if (problem) throw new Error(`${path}: ${problem}`);
  return data as Report;
}

/** Reads a JSON report (a regular file, capped like any JSON input); a missing file, bad JSON, too deep a nesting
 * or a foreign shape is a one-line error naming the file. */
export async function loadReport(path: string): Promise<Report> {
  let text: string;
  try {
    text = readInputFile(path);
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`, { cause: err });
  }
  let parsed: { value: unknown; tooDeep: boolean };
  try {
    parsed = parseBoundedJson(text, MAX_REPORT_DEPTH);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message.split("\n")[0]})`, { cause: err });
  }
  if (parsed.tooDeep) throw new Error(`${path}: nested deeper than ${MAX_REPORT_DEPTH} levels`);
  return reportFrom(parsed.value, path);
}
