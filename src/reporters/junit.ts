// JUnit XML (the Ant/Jenkins shape GitLab and the GitHub reporter actions read): one suite, one testcase per
// check, classname = area. JUnit has no warning state, so `warn` is a passing testcase with a system-out note.
import type { CheckResult, Report } from "../core/model.js";
import { areaOf, evidenceSourceText, plain, seeDocs } from "./console.js";

/** Characters XML 1.0 does not allow at all, not even as character references (lone surrogates included). */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const XML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escapes text for element content and attribute values; drops escape sequences and invalid characters. */
function escapeXml(text: string): string {
  return plain(text)
    .replace(INVALID_XML_CHARS, "")
    .replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

/** Attribute values are normalised by XML parsers (newline → space), so keep them to one line. */
function attr(text: string): string {
  return escapeXml(text.replace(/\s*\n\s*/g, " ").trim());
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function detailText(r: CheckResult): string {
  const lines = [`claim: ${r.claim}`, `expected: ${r.expected}`, `observed: ${r.observed}`];
  if (r.evidence.length > 0)
    lines.push("evidence:", ...r.evidence.map((e) => `  ${e.replace(/\n/g, "\n  ")}`));
  lines.push(`fix: ${r.remediation}`);
  if (r.evidenceFrom !== undefined) lines.push(`evidence from: ${r.evidenceFrom}`);
  if (r.docs !== undefined) lines.push(`docs: ${r.docs}`);
  return escapeXml(lines.join("\n"));
}

function testcase(r: CheckResult): string {
  const open = `    <testcase classname="${attr(areaOf(r.id))}" name="${attr(r.id)}" time="${seconds(r.durationMs)}">`;
  const message = `${r.title}: ${r.observed}`;
  switch (r.status) {
    case "pass":
      return `${open.slice(0, -1)}/>`;
    case "fail":
      return `${open}\n      <failure message="${attr(message)}" type="fail">${detailText(r)}</failure>\n    </testcase>`;
    case "error":
      return `${open}\n      <error message="${attr(message)}" type="error">${detailText(r)}</error>\n    </testcase>`;
    case "skip":
      return `${open}\n      <skipped message="${attr(`${r.observed}${seeDocs(r)}`)}"/>\n    </testcase>`;
    case "warn":
      return `${open}\n      <system-out>WARNING: ${detailText(r)}</system-out>\n    </testcase>`;
  }
}

export function renderJunit(report: Report): string {
  const results = report.results;
  const count = (status: CheckResult["status"]) => results.filter((r) => r.status === status).length;
  const totals =
    `tests="${results.length}" failures="${count("fail")}" errors="${count("error")}" ` +
    `skipped="${count("skip")}" time="${seconds(report.durationMs)}"`;
  const t = report.target;
  const properties: Array<[string, string]> = [
    ["launcher", t.launcher],
    ["project", t.project],
    ["codexHome", t.codexHome],
    ["profile", t.profile],
    ["codexVersion", t.codexVersion],
    ["toolVersion", report.tool.version],
  ];
  const sources = evidenceSourceText(report);
  if (sources) properties.push(["evidence", sources]);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="codex-smoke" ${totals}>`,
    `  <testsuite name="codex-smoke" ${totals} timestamp="${attr(report.startedAt)}">`,
    "    <properties>",
    ...properties.map(([name, value]) => `      <property name="${name}" value="${attr(value)}"/>`),
    "    </properties>",
    ...results.map(testcase),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
