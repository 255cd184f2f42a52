// Phase 7: the selected checks over the facts (the others are `skip`), every text redacted once more.
import { claimOf, docsPageOf, runCheck } from "../core/engine.js";
import type { CheckDefinition, CheckResult, Expectations, Facts } from "../core/model.js";

function redactResult(result: CheckResult, redact: (s: string) => string): CheckResult {
  return {
    ...result,
    expected: redact(result.expected),
    observed: redact(result.observed),
    evidence: result.evidence.map(redact),
  };
}

export function evaluate(
  checks: readonly CheckDefinition[],
  selected: ReadonlySet<string>,
  facts: Facts,
  expect: Expectations,
  redact: (s: string) => string,
): CheckResult[] {
  return checks.map((check) =>
    selected.has(check.id)
      ? redactResult(runCheck(check, facts, { expect }), redact)
      : {
          id: check.id,
          title: check.title,
          claim: claimOf(check, expect),
          remediation: check.remediation,
          docs: docsPageOf(check.id),
          status: "skip",
          expected: "",
          observed: "not selected (--only/--skip)",
          evidence: [],
          durationMs: 0,
        },
  );
}
