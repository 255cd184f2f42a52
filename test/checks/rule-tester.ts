// ESLint-RuleTester-like tables: each case mutates a copy of the healthy facts and states the status. Cases run
// through the engine, as an audit does, so a fact marked missing reaches the check as "not gathered".
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../../src/core/expectations.js";
import type {
  CheckDefinition,
  Expectations,
  FactName,
  Facts,
  FactValues,
  Status,
} from "../../src/core/model.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";

export interface CheckCase {
  name: string;
  /** Mutates the healthy facts into the setup under test. */
  facts?: (facts: FactValues) => void;
  /** Facts that could not be gathered, with the reason. */
  missing?: Partial<Record<FactName, string>>;
  expect?: Partial<Expectations>;
  status: Status;
  /** Substring of `observed`. */
  observed?: string;
  /** The whole `observed` line. */
  observedIs?: string;
  /** Substring that some evidence line contains, or the whole evidence, line by line. */
  evidence?: string | string[];
  /** The whole `expected` line. */
  expected?: string;
  /** The fix the outcome gives for what was observed (absent: the check's general remediation). */
  remediation?: string;
}

export function factsOf(values: FactValues, missing: Partial<Record<FactName, string>> = {}): Facts {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      const why = missing[name as FactName];
      return [name, why === undefined ? { ok: true, value } : { ok: false, error: why }];
    }),
  ) as Facts;
}

export function testCheck(check: CheckDefinition, cases: { valid: CheckCase[]; invalid: CheckCase[] }): void {
  describe(check.id, () => {
    for (const [kind, list] of Object.entries(cases)) {
      for (const testCase of list) {
        it(`${kind}: ${testCase.name}`, () => {
          const values = healthyFacts();
          testCase.facts?.(values);
          const result = runCheck(check, factsOf(values, testCase.missing), {
            expect: { ...DEFAULT_EXPECTATIONS, ...testCase.expect },
          });
          expect(result.status, JSON.stringify(result, null, 1)).toBe(testCase.status);
          if (testCase.observed !== undefined) expect(result.observed).toContain(testCase.observed);
          if (testCase.observedIs !== undefined) expect(result.observed).toBe(testCase.observedIs);
          const evidence = testCase.evidence;
          if (Array.isArray(evidence)) expect(result.evidence).toEqual(evidence);
          else if (evidence !== undefined) {
            expect(
              result.evidence.some((line) => line.includes(evidence)),
              result.evidence.join("\n"),
            ).toBe(true);
          }
          if (testCase.expected !== undefined) expect(result.expected).toBe(testCase.expected);
          if (testCase.remediation !== undefined) expect(result.remediation).toBe(testCase.remediation);
          expect(result.expected).not.toBe("");
          expect(result.observed).not.toBe("");
          expect(result.evidence.filter((line) => line.trim() === "")).toEqual([]);
        });
      }
    }
  });
}
