// The last word of a run: the one-line outcome on stderr (when the console report is off, and with --quiet),
// and for an internal error the one line that points at its log file (the stack trace goes only there).
import { mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative } from "node:path";
import type { CheckResult, Report, Status } from "../core/model.js";
import { Redactor, secretValues } from "../core/redact.js";
import { terminalSafeLine } from "../core/terminal-safe.js";
import { INTERNAL_ERROR_LOG, openReportDir } from "../reporters/report-dir.js";

/** Ids named in the outcome line before it says how many more there are. */
const IDS_SHOWN = 5;

function idList(ids: readonly string[]): string {
  const shown = ids.slice(0, IDS_SHOWN);
  const more = ids.length - shown.length;
  return `(${shown.join(", ")}${more > 0 ? `, +${more} more` : ""})`;
}

/** A path as the user would type it: relative to the working directory when it lies below it. */
function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/**
 * `2 failed (fs.auth_json, net.registry), 1 could not be tested; report: reports/codex-smoke.json`.
 * Failures and warnings name their checks; "could not be tested" only counts them, because one missing fact
 * (no runner report) makes a dozen checks `error` at once and their list would drown the line.
 */
export function outcomeText(
  report: Report,
  opts: { regressions: readonly string[]; reportFile: string },
): string {
  const ids = (status: Status) =>
    report.results.filter((r: CheckResult) => r.status === status).map((r) => r.id);
  const failed = ids("fail");
  const warned = ids("warn");
  const errors = report.summary.error;
  const parts: string[] = [];
  if (opts.regressions.length > 0) {
    const noun = opts.regressions.length === 1 ? "regression" : "regressions";
    parts.push(`${opts.regressions.length} ${noun} against the baseline ${idList(opts.regressions)}`);
  }
  if (failed.length > 0) parts.push(`${failed.length} failed ${idList(failed)}`);
  if (errors > 0) parts.push(`${errors} could not be tested`);
  if (warned.length > 0) parts.push(`${warned.length} warned ${idList(warned)}`);
  if (failed.length === 0 && errors === 0) {
    parts.unshift(`${report.summary.pass} passed`);
    if (report.summary.skip > 0) parts.push(`${report.summary.skip} skipped`);
  }
  return terminalSafeLine(`codex-smoke: ${parts.join(", ")}; report: ${displayPath(opts.reportFile)}`);
}

/** Where an internal error's details go when no report directory is known yet. */
const FALLBACK_LOG = join(homedir(), ".cache", "codex-smoke", "internal-error.log");

function redactor(): (text: string) => string {
  const redactor = new Redactor(secretValues(process.env));
  return (text) => redactor.redact(text);
}

/** A usage error's one line, redacted like everything else codex-smoke prints (it may echo a value given). */
export function usageErrorLine(message: string): string {
  return terminalSafeLine(`codex-smoke: ${redactor()(message.split("\n")[0] ?? "")}`);
}

function details(error: unknown, argv: readonly string[], version: string): string {
  const lines = [
    `codex-smoke ${version} internal error at ${new Date().toISOString()}`,
    `node ${process.version} on ${process.platform}-${process.arch}`,
    `argv: ${JSON.stringify(argv)}`,
    "",
  ];
  for (let cause: unknown = error, depth = 0; cause !== undefined && depth < 5; depth++) {
    lines.push(
      depth === 0 ? "" : "caused by:",
      cause instanceof Error ? (cause.stack ?? String(cause)) : String(cause),
    );
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Writes the details (stack trace included, secrets redacted) into `dir`'s log, else the fallback log, and returns
 * the one line for stderr: `codex-smoke: internal error: <message>; details in <log file>`.
 */
export async function reportInternalError(
  error: unknown,
  opts: { dir: string | undefined; argv: readonly string[]; version: string },
): Promise<string> {
  const redact = redactor();
  const message = redact((error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "");
  const file = opts.dir ? join(opts.dir, INTERNAL_ERROR_LOG) : FALLBACK_LOG;
  const text = redact(details(error, opts.argv, opts.version));
  try {
    if (opts.dir) {
      // --out may lie in the project the agent shapes: written like the reports, never through a symlink.
      const dir = openReportDir(opts.dir);
      try {
        dir.writeFile(INTERNAL_ERROR_LOG, text);
      } finally {
        dir.close();
      }
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  } catch (writeError) {
    const code = (writeError as NodeJS.ErrnoException).code ?? String(writeError);
    return terminalSafeLine(
      `codex-smoke: internal error: ${message}; details could not be saved to ${file} (${code})`,
    );
  }
  return terminalSafeLine(
    `codex-smoke: internal error: ${message}; details in ${opts.dir ? displayPath(file) : file}`,
  );
}
