import type { CheckDefinition, CheckOutcome, FactName } from "./model.js";

/** Declares a check; `needs` and `uses` narrow the facts `run` may read. */
export function defineCheck<const N extends FactName, const U extends FactName = never>(
  def: CheckDefinition<N, U>,
): CheckDefinition<N, U> {
  return def;
}

export function outcome(
  status: CheckOutcome["status"],
  expected: string,
  observed: string,
  evidence: string[] = [],
): CheckOutcome {
  return { status, expected, observed, evidence };
}
