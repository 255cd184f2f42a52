// Phase 7: the selected checks over the facts (the others are `skip`), every text redacted once more.
import { claimOf, docsPageOf, runCheck } from "../core/engine.js";
import type { CheckDefinition, CheckResult, Expectations, FactName, Facts } from "../core/model.js";

/** Facts that come from inside the sandbox: in a live session, whoever ran there may have written them. */
const INSIDE_FACTS: readonly FactName[] = ["runner", "network"];

/**
 * Live session only (decisions §24): where the result's evidence came from. A check that reads a fact from inside is
 * `inside` unless its verdict says it rests on the host's own observation; any other is `host`.
 */
function labelled(check: CheckDefinition, result: CheckResult, live: boolean): CheckResult {
  const { evidenceFrom, ...rest } = result;
  if (!live) return rest;
  const readsInside = [...check.needs, ...(check.uses ?? [])].some((name) => INSIDE_FACTS.includes(name));
  return { ...rest, evidenceFrom: evidenceFrom ?? (readsInside ? "inside" : "host") };
}

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
  const live = facts.staging.ok && facts.staging.value.flow === "live";
  return checks.map((check) =>
    selected.has(check.id)
      ? labelled(check, redactResult(runCheck(check, facts, { expect }), redact), live)
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
