import type { CheckDefinition, CheckOutcome, FactName } from "./model.js";

/** Declares a check; `needs` narrows the facts `run` may read. */
export function defineCheck<const N extends FactName>(def: CheckDefinition<N>): CheckDefinition<N> {
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
