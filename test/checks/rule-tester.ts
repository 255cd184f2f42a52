// ESLint-RuleTester-like tables: each case mutates a copy of the healthy facts and states the status.
import { describe, expect, it } from "vitest";
import { DEFAULT_EXPECTATIONS } from "../../src/expectations.js";
import type { CheckDefinition, Expectations, FactName, FactValues, Status } from "../../src/model.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";

export interface CheckCase {
  name: string;
  /** Mutates the healthy facts into the setup under test. */
  facts?: (facts: FactValues) => void;
  expect?: Partial<Expectations>;
  status: Status;
  /** Substring of `observed`. */
  observed?: string;
  /** Substring that some evidence line contains. */
  evidence?: string;
}

export function testCheck<N extends FactName>(
  check: CheckDefinition<N>,
  cases: { valid: CheckCase[]; invalid: CheckCase[] },
): void {
  describe(check.id, () => {
    for (const [kind, list] of Object.entries(cases)) {
      for (const testCase of list) {
        it(`${kind}: ${testCase.name}`, () => {
          const facts = healthyFacts();
          testCase.facts?.(facts);
          const result = check.run(facts, { expect: { ...DEFAULT_EXPECTATIONS, ...testCase.expect } });
          expect(result.status, JSON.stringify(result, null, 1)).toBe(testCase.status);
          if (testCase.observed !== undefined) expect(result.observed).toContain(testCase.observed);
          if (testCase.evidence !== undefined) {
            expect(
              result.evidence.some((line) => line.includes(testCase.evidence as string)),
              result.evidence.join("\n"),
            ).toBe(true);
          }
          expect(result.expected).not.toBe("");
          expect(result.observed).not.toBe("");
        });
      }
    }
  });
}
