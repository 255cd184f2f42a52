// Runs an audit (of the user's setup, or of the bundled reference setup), writes the reports and maps the
// result to the contract's exit code.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { checks } from "../checks/index.js";
import { type AuditResult, type AuditTarget, runAudit } from "./audit.js";
import { callerEnvironment, demoCodex } from "./codex/locate.js";
import type { Report } from "./model.js";
import type { RunOptions } from "./options.js";
import { render, writeReportFiles } from "./reporters/index.js";

export function exitCode(report: Report, opts: { failOn: "fail" | "warn"; regressions: boolean }): number {
  const { summary } = report;
  if (opts.regressions || summary.fail > 0) return 1;
  if (opts.failOn === "warn" && summary.warn > 0) return 1;
  if (summary.error > 0) return 3;
  return 0;
}

export async function executeAudit(
  command: "run" | "demo",
  opts: RunOptions,
  ui: { color: boolean },
): Promise<number> {
  const auditOf = (target: AuditTarget) => runAudit({ ...opts, ...target, checks });

  let result: AuditResult;
  if (command === "demo") {
    const { buildReferenceSetup } = await import("./demo/reference-setup.js");
    const codex = demoCodex(opts.codex);
    const setup = await buildReferenceSetup({ codex });
    try {
      result = await runAudit({ ...opts, ...setup, codex: codex.bin, checks });
    } finally {
      await setup.dispose();
    }
  } else {
    result = await auditOf({
      launcher: opts.launcher,
      project: opts.project,
      codexHome: opts.codexHome,
      home: opts.home,
      env: callerEnvironment(),
    });
  }
  const { report } = result;

  const formats = opts.formats.includes("json") ? opts.formats : [...opts.formats, "json" as const];
  if (opts.formats.includes("console")) process.stdout.write(render("console", report, ui));
  const written = await writeReportFiles(report, formats, opts.out);
  if (result.runnerReport) {
    const runnerFile = join(opts.out, "codex-smoke.runner.json");
    writeFileSync(runnerFile, result.runnerReport);
    written.push(runnerFile);
  }
  let regressions = false;
  if (opts.baseline) {
    const { diffReports, hasRegressions, renderDiff } = await import("./diff.js");
    const diff = diffReports(opts.baseline, report);
    regressions = hasRegressions(diff);
    process.stdout.write(renderDiff(diff, ui));
  }
  if (opts.formats.includes("console")) {
    for (const path of written) process.stdout.write(`report: ${path}\n`);
  }
  // A failed interactive check comes with what the session really showed, as rendered and as raw bytes.
  const tuiFailed = report.results.some(
    (r) => /^(tui|mcp)\./.test(r.id) && r.status !== "pass" && r.status !== "skip",
  );
  if (tuiFailed && result.tuiEvidence) {
    writeFileSync(join(opts.out, "codex-smoke.tui-screen.txt"), result.tuiEvidence.transcript);
    writeFileSync(join(opts.out, "codex-smoke.tui-stream.log"), result.tuiEvidence.rawStream);
  }
  return exitCode(report, { failOn: opts.failOn, regressions });
}
