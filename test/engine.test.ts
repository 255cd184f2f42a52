import { describe, expect, it, vi } from "vitest";
import { defineCheck, outcome } from "../src/core/define-check.js";
import { matchesSelector, neededFacts, runCheck, summarize } from "../src/core/engine.js";
import type { CheckDefinition, CheckOutcome, FactName, Facts, FactValues } from "../src/core/model.js";
import { brokenSetup, gathered, notGathered } from "../src/core/model.js";

const NAMES: FactName[] = [
  "launcher",
  "registry",
  "config",
  "hostSandbox",
  "exec",
  "runner",
  "sideEffects",
  "tui",
  "mcpGet",
];

/** Every fact not gathered (with a per-fact reason) except the ones given. */
function facts(values: Partial<Record<FactName, unknown>>): Facts {
  return Object.fromEntries(
    NAMES.map((name) => [
      name,
      name in values ? gathered(values[name]) : notGathered(`${name} was not gathered: reason-${name}`),
    ]),
  ) as unknown as Facts;
}

const ctx = { expect: {} as never };

function check<N extends FactName>(
  needs: readonly N[],
  run: (f: Pick<FactValues, N>) => CheckOutcome,
): CheckDefinition {
  return defineCheck({
    id: "test.check",
    title: "Test check",
    claim: "a claim",
    needs,
    run,
    remediation: "fix it",
  }) as unknown as CheckDefinition;
}

describe("runCheck", () => {
  it("takes an outcome's own remediation over the check's general one", () => {
    const specific = check(["exec"], () => ({ ...outcome("fail", "x", "y"), remediation: "fix this cause" }));
    expect(runCheck(specific, facts({ exec: {} }), ctx).remediation).toBe("fix this cause");
    const general = check(["exec"], () => outcome("fail", "x", "y"));
    expect(runCheck(general, facts({ exec: {} }), ctx).remediation).toBe("fix it");
  });

  it("gives error naming the missing fact and does not call run", () => {
    const run = vi.fn(() => outcome("pass", "x", "x"));
    const result = runCheck(check(["exec", "tui"], run), facts({ exec: { exitCode: 0 } }), ctx);
    expect(run).not.toHaveBeenCalled();
    expect(result.status).toBe("error");
    expect(result.observed).toBe("could not test: tui: tui was not gathered: reason-tui");
    expect(result.evidence).toEqual(["tui: tui was not gathered: reason-tui"]);
    expect(result).toMatchObject({
      id: "test.check",
      title: "Test check",
      claim: "a claim",
      remediation: "fix it",
    });
  });

  it("lists every missing fact in the evidence, the first in observed", () => {
    const result = runCheck(
      check(["config", "runner", "sideEffects"], () => outcome("pass", "", "")),
      facts({ runner: {} }),
      ctx,
    );
    expect(result.status).toBe("error");
    expect(result.observed).toBe("could not test: config: config was not gathered: reason-config");
    expect(result.evidence).toEqual([
      "config: config was not gathered: reason-config",
      "sideEffects: sideEffects was not gathered: reason-sideEffects",
    ]);
  });

  it("a fact the setup itself broke fails the check with its cause and fix, and does not call run", () => {
    const run = vi.fn(() => outcome("pass", "x", "x"));
    const broken = brokenSetup("Codex 0.133.0 cannot load permission profiles", {
      expected: "a release that loads them",
      remediation: "Upgrade Codex.",
    });
    const all = { ...facts({ config: {} }), tui: broken };
    const result = runCheck(check(["config", "exec", "tui"], run), all, ctx);
    expect(run).not.toHaveBeenCalled();
    expect(result).toMatchObject({
      status: "fail",
      expected: "a release that loads them",
      observed: "Codex 0.133.0 cannot load permission profiles",
      evidence: ["Codex 0.133.0 cannot load permission profiles"],
      remediation: "Upgrade Codex.",
    });
    // A fact that was merely not gathered stays "could not test".
    expect(runCheck(check(["config", "exec"], run), all, ctx).status).toBe("error");
  });

  it("passes only the needed facts, as values, and the context", () => {
    const run = vi.fn((_f: unknown, _c: unknown) => outcome("fail", "exp", "obs", ["ev"]));
    const def = defineCheck({
      id: "a.b",
      title: "t",
      claim: "c",
      needs: ["exec", "tui"],
      run,
      remediation: "r",
    }) as unknown as CheckDefinition;
    const all = facts({
      exec: { exitCode: 7 },
      tui: { permissions: "p" },
      runner: { secret: 1 },
      config: {},
    });
    const result = runCheck(def, all, ctx);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0]?.[0]).toEqual({ exec: { exitCode: 7 }, tui: { permissions: "p" } });
    expect(run.mock.calls[0]?.[1]).toBe(ctx);
    expect(result).toMatchObject({
      id: "a.b",
      status: "fail",
      expected: "exp",
      observed: "obs",
      evidence: ["ev"],
      remediation: "r",
    });
  });

  it("times the check's run in whole milliseconds", () => {
    const clock = vi.spyOn(performance, "now").mockReturnValueOnce(1000).mockReturnValueOnce(1041.6);
    try {
      const result = runCheck(
        check(["exec"], () => outcome("pass", "e", "o")),
        facts({ exec: {} }),
        ctx,
      );
      expect(result.durationMs).toBe(42);
    } finally {
      clock.mockRestore();
    }
  });

  it("turns a throwing check into error with the message", () => {
    const result = runCheck(
      check(["exec"], () => {
        throw new Error("boom: cannot read 'sandbox'");
      }),
      facts({ exec: {} }),
      ctx,
    );
    expect(result.status).toBe("error");
    expect(result.observed).toBe("check crashed: boom: cannot read 'sandbox'");
    expect(result.evidence).toEqual([]);
  });

  it("turns a thrown non-Error into error too", () => {
    const result = runCheck(
      check(["exec"], () => {
        throw "plain string";
      }),
      facts({ exec: {} }),
      ctx,
    );
    expect(result.status).toBe("error");
    expect(result.observed).toBe("check crashed: plain string");
  });
});

describe("summarize", () => {
  it("counts every status, zero for absent ones", () => {
    expect(
      summarize([
        { status: "pass" },
        { status: "pass" },
        { status: "fail" },
        { status: "error" },
        { status: "pass" },
      ]),
    ).toEqual({ pass: 3, fail: 1, warn: 0, skip: 0, error: 1 });
    expect(summarize([])).toEqual({ pass: 0, fail: 0, warn: 0, skip: 0, error: 0 });
  });
});

describe("matchesSelector", () => {
  it("matches exact ids", () => {
    expect(matchesSelector("fs.auth_json", ["fs.auth_json"])).toBe(true);
    expect(matchesSelector("fs.auth_json", ["fs.auth"])).toBe(false);
    expect(matchesSelector("fs.auth_json", ["fs"])).toBe(false);
  });

  it("matches prefixes ending in a dot", () => {
    expect(matchesSelector("fs.auth_json", ["fs."])).toBe(true);
    expect(matchesSelector("fsx.auth_json", ["fs."])).toBe(false);
    expect(matchesSelector("net.registry", ["fs.", "net.registry"])).toBe(true);
    expect(matchesSelector("net.registry", [])).toBe(false);
  });
});

describe("neededFacts", () => {
  it("is the union of the selected checks' needs", () => {
    const a = check(["exec", "runner"], () => outcome("pass", "", ""));
    const b = check(["runner", "sideEffects"], () => outcome("pass", "", ""));
    expect([...neededFacts([a, b])].sort()).toEqual(["exec", "runner", "sideEffects"]);
    expect(neededFacts([]).size).toBe(0);
    expect(neededFacts([a]).has("tui")).toBe(false);
  });
});
