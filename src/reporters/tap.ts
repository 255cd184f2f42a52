// TAP version 14: one test point per check, YAML diagnostics for everything that is not a plain pass.
import type { CheckResult, Report } from "../core/model.js";
import { evidenceSourceText, plain, seeDocs, summaryText } from "./console.js";

/** TAP 14: `#` and `\` in a description must be escaped, and a test point is one line. */
function description(text: string): string {
  return plain(text)
    .replace(/\s*\n\s*/g, " ")
    .replace(/[\\#]/g, (c) => `\\${c}`);
}

/** Directive text (after `# SKIP`) is free text up to the end of the line. */
function oneLine(text: string): string {
  return plain(text)
    .replace(/\s*\n\s*/g, " ")
    .trim();
}

/** JSON strings are valid YAML double-quoted scalars, which keeps any content safe inside the block. */
const yamlString = (text: string): string => JSON.stringify(plain(text));

function yamlBlock(r: CheckResult): string[] {
  const lines = [
    "  ---",
    `  status: ${r.status}`,
    `  claim: ${yamlString(r.claim)}`,
    `  expected: ${yamlString(r.expected)}`,
    `  observed: ${yamlString(r.observed)}`,
  ];
  if (r.evidence.length > 0) lines.push("  evidence:", ...r.evidence.map((e) => `    - ${yamlString(e)}`));
  if (r.status !== "skip") lines.push(`  fix: ${yamlString(r.remediation)}`);
  if (r.docs !== undefined) lines.push(`  docs: ${yamlString(r.docs)}`);
  if (r.evidenceFrom !== undefined) lines.push(`  evidence_from: ${r.evidenceFrom}`);
  lines.push(`  duration_ms: ${r.durationMs}`, "  ...");
  return lines;
}

function testPoint(r: CheckResult, n: number): string[] {
  const desc = `${n} - ${description(`${r.id}: ${r.title}`)}`;
  switch (r.status) {
    case "pass":
      return [`ok ${desc}`];
    case "skip":
      return [`ok ${desc} # SKIP ${oneLine(`${r.observed}${seeDocs(r)}`)}`];
    case "warn":
      return [`ok ${desc}`, ...yamlBlock(r)];
    case "fail":
      return [`not ok ${desc}`, ...yamlBlock(r)];
    case "error":
      return [`not ok ${desc} # error`, ...yamlBlock(r)];
  }
}

export function renderTap(report: Report): string {
  const t = report.target;
  const lines = [
    "TAP version 14",
    `# ${report.tool.name} ${report.tool.version}: profile ${oneLine(t.profile)}, codex ${oneLine(t.codexVersion)}`,
    ...[evidenceSourceText(report)].filter((line) => line !== null).map((line) => `# ${line}`),
    `1..${report.results.length}`,
    ...report.results.flatMap((r, i) => testPoint(r, i + 1)),
    `# ${summaryText(report)}`,
  ];
  return `${lines.join("\n")}\n`;
}
