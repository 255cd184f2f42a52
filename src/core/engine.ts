// Runs checks over gathered facts. A check whose needed fact could not be gathered is `error` with the reason,
// so "could not test" can never turn into a pass or a fail; only a fact that could not be gathered because the
// setup itself cannot work (`brokenSetup`: a Codex release too old for it) fails the checks that need it.
import type {
  CheckContext,
  CheckDefinition,
  CheckFacts,
  CheckResult,
  Expectations,
  FactName,
  Facts,
  Status,
} from "./model.js";

/** The claim as `expect` words it (the README's defaults, or `--expect`'s values). */
export function claimOf(check: CheckDefinition, expect: Expectations): string {
  return typeof check.claim === "function" ? check.claim(expect) : check.claim;
}

/** The page that documents a check: `docs/checks/<id>.md` in the repository and in the installed package. */
export function docsPageOf(id: string): string {
  return `docs/checks/${id}.md`;
}

export function runCheck(check: CheckDefinition, facts: Facts, ctx: CheckContext): CheckResult {
  const started = performance.now();
  const base = {
    id: check.id,
    title: check.title,
    claim: claimOf(check, ctx.expect),
    remediation: check.remediation,
    docs: docsPageOf(check.id),
  };
  const missing = check.needs.filter((name) => !facts[name].ok);
  const broken = missing.map((name) => facts[name]).find((fact) => !fact.ok && fact.breaks !== undefined);
  if (broken && !broken.ok && broken.breaks) {
    return {
      ...base,
      status: "fail",
      expected: broken.breaks.expected,
      observed: broken.error,
      evidence: [broken.error],
      remediation: broken.breaks.remediation,
      durationMs: 0,
    };
  }
  if (missing.length > 0) {
    const reasons = missing.map((name) => {
      const fact = facts[name];
      return `${name}: ${fact.ok ? "" : fact.error}`;
    });
    return {
      ...base,
      status: "error",
      expected: "facts could be gathered",
      observed: `could not test: ${reasons[0]}`,
      evidence: reasons,
      durationMs: 0,
    };
  }
  const values = Object.fromEntries([
    ...check.needs.map((name) => [name, (facts[name] as { ok: true; value: unknown }).value]),
    ...(check.uses ?? []).map((name) => [name, facts[name]]),
  ]) as CheckFacts<FactName, FactName>;
  try {
    const outcome = check.run(values, ctx);
    return {
      ...base,
      ...outcome,
      remediation: outcome.remediation ?? check.remediation,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    return {
      ...base,
      status: "error",
      expected: "the check runs",
      observed: `check crashed: ${error instanceof Error ? error.message : String(error)}`,
      evidence: [],
      durationMs: Math.round(performance.now() - started),
    };
  }
}

export function summarize(results: readonly { status: Status }[]): Record<Status, number> {
  const summary: Record<Status, number> = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const result of results) summary[result.status]++;
  return summary;
}

/** `--only` / `--skip` matching: exact ids or prefixes ending in a dot (`fs.`). */
export function matchesSelector(id: string, selectors: readonly string[]): boolean {
  return selectors.some((s) => (s.endsWith(".") ? id.startsWith(s) : id === s));
}

/** Facts the selected checks need or use: only those are gathered (a skipped TUI check means no TUI launch). */
export function neededFacts(selected: readonly CheckDefinition[]): Set<FactName> {
  return new Set(selected.flatMap((check) => [...check.needs, ...(check.uses ?? [])]));
}
