// The domain probes' facts (src/audit/rule-facts.ts): each planned probe's result read from its untrusted report,
// Codex's kill message and whether its command ran to the end, from the command outputs in the order the mock ran
// them (the runner's own parts first; an output saying the command still runs is a poll, not an end).
import { describe, expect, it } from "vitest";
import type { DomainPlan } from "../../src/audit/domain-plan.js";
import { domainRuleFacts, partOutputs } from "../../src/audit/rule-facts.js";
import { gathered, notGathered } from "../../src/core/model.js";
import type { RunnerInput } from "../../src/runner/types.js";

const NONCE = "0123456789ab";
const PLAN: DomainPlan = {
  probes: [
    {
      rule: '"denied.example" = "deny"',
      host: "denied.example",
      url: "https://denied.example/",
      expect: "blocked",
    },
    {
      rule: '"allowed.example" = "allow"',
      host: "allowed.example",
      url: "https://allowed.example/",
      expect: "allowed",
    },
  ],
  untested: [],
};
const input = { nonce: NONCE, reports: { domains: "/staged/domains.json" } } as unknown as RunnerInput;
const result = (index: number, host: string) => ({ index, host, proxyActive: true, attempt: null });
const report = (results: unknown[], nonce = NONCE) =>
  JSON.stringify({
    schema: 2,
    tool: "codex-smoke-runner",
    part: "domains",
    nonce,
    startedAt: "t",
    durationMs: 1,
    results,
  });
const source = (text: string) => ({ input, read: () => text });
const exec = (commandOutputs: string[], refused: string | null = null) =>
  gathered({
    exitCode: 0,
    timedOut: false,
    durationMs: 1,
    header: null,
    refused,
    stderrTail: [],
    commandOutputs,
  });
const KILL =
  'exec_command failed: ProcessFailed { message: "Network access to \\"denied.example\\" was blocked: domain is explicitly denied" }';
const POLL = "Process running with session ID 4242";

describe("domainRuleFacts", () => {
  it("without a source or a plan: not needed", () => {
    expect(domainRuleFacts(null, PLAN, exec([]))).toEqual(notGathered("not needed"));
    expect(domainRuleFacts(source(report([])), undefined, exec([]))).toEqual(notGathered("not needed"));
  });

  it("a plan without probes is gathered empty, whatever the launch did", () => {
    const empty = { probes: [], untested: ["*"] };
    expect(domainRuleFacts(source(""), empty, notGathered("no launch"))).toEqual(
      gathered({ plan: empty, results: [], kills: [], finished: [] }),
    );
  });

  it("the exec launch failed or Codex refused: not gathered, because of exec", () => {
    expect(domainRuleFacts(source(""), PLAN, notGathered("timed out"))).toEqual(
      notGathered("timed out", "exec"),
    );
    expect(domainRuleFacts(source(""), PLAN, exec([], "bad config"))).toEqual(
      notGathered("Codex refused to start: bad config", "exec"),
    );
  });

  it("each probe gets its own result, kill and end, after the runner's parts and skipping polls", () => {
    const outputs = [
      "local done",
      POLL,
      "net done",
      KILL,
      POLL,
      "ok part=domains 1 report=/staged/domains.json",
    ];
    const facts = domainRuleFacts(source(report([result(1, "allowed.example")])), PLAN, exec(outputs));
    expect(facts).toEqual(
      gathered({
        plan: PLAN,
        results: [null, result(1, "allowed.example")],
        kills: [
          {
            host: "denied.example",
            rule: "denylist",
            sentence: 'Network access to "denied.example" was blocked: domain is explicitly denied',
          },
          null,
        ],
        finished: [false, true],
      }),
    );
  });

  it("a result is the probe's only with its index and its host; another probe's line does not finish it", () => {
    const results = [result(0, "allowed.example"), result(1, "denied.example")];
    const outputs = ["local", "net", "part=domains 1 report=", "part=domains 0 report="];
    const facts = domainRuleFacts(source(report(results)), PLAN, exec(outputs));
    expect(facts.ok && facts.value.results).toEqual([null, null]);
    expect(facts.ok && facts.value.finished).toEqual([false, false]);
  });

  it("a report that is not this run's (another nonce, not JSON) gives no results; the kills still count", () => {
    for (const text of [report([result(0, "denied.example")], "ba9876543210"), "{"]) {
      const facts = domainRuleFacts(source(text), PLAN, exec(["local", "net", KILL]));
      expect(facts.ok && facts.value.results).toEqual([null, null]);
      expect(facts.ok && facts.value.kills.map((kill) => kill?.host ?? null)).toEqual([
        "denied.example",
        null,
      ]);
    }
  });

  it("an error reading the report other than untrusted input is not swallowed", () => {
    const broken = {
      input,
      read: (): string => {
        throw new Error("EIO");
      },
    };
    expect(() => domainRuleFacts(broken, PLAN, exec(["local", "net"]))).toThrow("EIO");
  });
});

describe("partOutputs", () => {
  it("the outputs that ended the runner's own parts: the first two ends, polls skipped", () => {
    expect(partOutputs([POLL, "local", POLL, "net", KILL])).toEqual(["local", "net"]);
  });
});
