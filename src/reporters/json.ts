// The canonical report (contract: `schemaVersion` 1). Built field by field so that nothing outside the
// schema (and so nothing a caller attached at run time) reaches the file.
import type { SettingReading } from "../audit/settings.js";
import type { CheckResult, Report, ReportTarget } from "../core/model.js";
import { jsonText } from "../core/terminal-safe.js";

function resultRecord(r: CheckResult): CheckResult {
  return {
    id: r.id,
    title: r.title,
    claim: r.claim,
    status: r.status,
    expected: r.expected,
    observed: r.observed,
    evidence: [...r.evidence],
    remediation: r.remediation,
    ...(r.docs === undefined ? {} : { docs: r.docs }),
    durationMs: r.durationMs,
    ...(r.evidenceFrom === undefined ? {} : { evidenceFrom: r.evidenceFrom }),
  };
}

function settingsRecord(
  settings: NonNullable<ReportTarget["settings"]>,
): NonNullable<ReportTarget["settings"]> {
  const one = ({ requested, decidedBy, applied, appliedFrom }: SettingReading): SettingReading => ({
    requested,
    decidedBy,
    applied,
    appliedFrom,
  });
  return {
    sandbox: one(settings.sandbox),
    approval: one(settings.approval),
    permissionProfile: one(settings.permissionProfile),
    network: one(settings.network),
  };
}

export function renderJson(report: Report): string {
  const t = report.target;
  const s = report.summary;
  const record: Report = {
    schemaVersion: 1,
    tool: { name: report.tool.name, version: report.tool.version },
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    target: {
      launcher: t.launcher,
      project: t.project,
      codexHome: t.codexHome,
      profile: t.profile,
      codexVersion: t.codexVersion,
      codexPath: t.codexPath,
      ...(t.execHeader === undefined ? {} : { execHeader: t.execHeader }),
      ...(t.codexHomeCopy === undefined ? {} : { codexHomeCopy: t.codexHomeCopy }),
      ...(t.settings === undefined ? {} : { settings: settingsRecord(t.settings) }),
    },
    summary: { pass: s.pass, fail: s.fail, warn: s.warn, skip: s.skip, error: s.error },
    incomplete: report.incomplete,
    results: report.results.map(resultRecord),
  };
  // Control characters stay JSON escapes, U+0080–U+009F and U+2028/9 too (JSON.stringify leaves those raw).
  return `${jsonText(record, 2)}\n`;
}
