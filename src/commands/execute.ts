// Runs an audit (of the user's setup, or of the bundled reference setup), writes the reports and maps the
// result to the contract's exit code. stdout carries the console report; stderr the progress of the launches, the
// one-line outcome (when the console report is off, or with --quiet) and errors.
import { join } from "node:path";
import { checks } from "../../checks/index.js";
import { type AuditResult, type AuditTarget, runAudit } from "../audit/index.js";
import { callerEnvironment, demoCodex } from "../codex/locate.js";
import { UsageError } from "../core/errors.js";
import type { Report } from "../core/model.js";
import { terminalSafeLine } from "../core/terminal-safe.js";
import {
  type ExtraFile,
  ReportWriteError,
  render,
  reportFileName,
  writeReportFiles,
} from "../reporters/index.js";
import { RUNNER_REPORT_FILE, TUI_SCREEN_FILE, TUI_STREAM_FILE } from "../reporters/report-dir.js";
import type { RunOptions } from "./options.js";
import { outcomeText } from "./outcome.js";
import { progressMode, progressView } from "./progress.js";

export function exitCode(report: Report, opts: { failOn: "fail" | "warn"; regressions: boolean }): number {
  const { summary } = report;
  if (opts.regressions || summary.fail > 0) return 1;
  if (opts.failOn === "warn" && summary.warn > 0) return 1;
  if (summary.error > 0) return 3;
  return 0;
}

async function auditWithProgress(command: "run" | "demo", opts: RunOptions): Promise<AuditResult> {
  const mode = progressMode({ quiet: opts.quiet, env: process.env, isTTY: process.stderr.isTTY === true });
  const view = await progressView(mode, process.stderr);
  const auditOf = (target: AuditTarget) =>
    runAudit({ ...opts, ...target, checks, onProgress: view?.onProgress });
  try {
    if (command === "run") return await auditOf({ ...opts, env: callerEnvironment() });
    const { buildReferenceSetup } = await import("../demo/reference-setup.js");
    const codex = demoCodex(opts.codex);
    const setup = await buildReferenceSetup({ codex });
    try {
      return await runAudit({ ...opts, ...setup, codex: codex.bin, checks, onProgress: view?.onProgress });
    } finally {
      await setup.dispose();
    }
  } finally {
    view?.close();
  }
}

/** Every file of this run in `--out`, and nothing left there from an earlier one; returns the written paths. */
async function writeOutputs(result: AuditResult, opts: RunOptions): Promise<string[]> {
  const { report } = result;
  const formats = opts.formats.includes("json") ? opts.formats : [...opts.formats, "json" as const];
  const extras: ExtraFile[] = [];
  if (result.runnerReport) extras.push({ name: RUNNER_REPORT_FILE, text: result.runnerReport });
  // A failed interactive check comes with what the session really showed, as rendered and as raw bytes.
  const tuiFailed = report.results.some(
    (r) => /^(tui|mcp)\./.test(r.id) && r.status !== "pass" && r.status !== "skip",
  );
  if (tuiFailed && result.tuiEvidence) {
    extras.push({ name: TUI_SCREEN_FILE, text: result.tuiEvidence.transcript });
    extras.push({ name: TUI_STREAM_FILE, text: result.tuiEvidence.rawStream });
  }
  try {
    return await writeReportFiles(report, formats, opts.out, extras);
  } catch (error) {
    // --out was checked before the audit; it can still fill up, vanish or be swapped meanwhile. Anything else
    // is a bug.
    if (error instanceof ReportWriteError) throw new UsageError(`--out ${error.message}`);
    throw error;
  }
}

export async function executeAudit(
  command: "run" | "demo",
  opts: RunOptions,
  ui: { color: boolean },
): Promise<number> {
  const result = await auditWithProgress(command, opts);
  const { report } = result;
  const consoleOn = opts.formats.includes("console");
  if (consoleOn) process.stdout.write(render("console", report, ui));
  const written = await writeOutputs(result, opts);
  let regressions: string[] = [];
  if (opts.baseline) {
    const { diffReports, renderDiff } = await import("./diff.js");
    const diff = diffReports(opts.baseline, report);
    regressions = diff.regressions.map((change) => change.id);
    if (consoleOn) process.stdout.write(renderDiff(diff, ui));
  }
  if (result.interrupted) {
    const partial = join(opts.out, reportFileName("json"));
    process.stderr.write(
      `${terminalSafeLine(`codex-smoke: interrupted (${result.interrupted}); partial report: ${partial}`)}\n`,
    );
    return result.interrupted === "SIGINT" ? 130 : 143;
  }
  if (consoleOn) {
    for (const path of written) process.stdout.write(`report: ${terminalSafeLine(path)}\n`);
  } else {
    const reportFile = join(opts.out, reportFileName("json"));
    process.stderr.write(`${outcomeText(report, { regressions, reportFile })}\n`);
  }
  return exitCode(report, { failOn: opts.failOn, regressions: regressions.length > 0 });
}
