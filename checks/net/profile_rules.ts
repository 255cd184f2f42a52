import type { PlannedDomain } from "../../src/audit/domain-plan.js";
import { domainRules, proxyFeatureOn } from "../../src/audit/domain-plan.js";
import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { DomainRuleFacts } from "../../src/core/model.js";
import { type ClassifyContext, classify } from "./_classify.js";
import { networkMode } from "./_network-mode.js";

/** `holds`, `broken` (the rule does not hold), `unreached` (allowed, but not reached: the network's, classified),
 * `unknown` (the probe left no trace). */
type Verdict = { kind: "holds" | "broken" | "unreached" | "unknown"; line: string; remediation?: string };

const PROXY_OFF =
  "no command inside sees Codex's managed proxy (CODEX_NETWORK_PROXY_ACTIVE unset): the profile's domain rules are not enforced";

function verdictOf(facts: DomainRuleFacts, index: number, context: ClassifyContext): Verdict {
  const probe = facts.plan.probes[index] as PlannedDomain;
  const kill = facts.kills[index] ?? null;
  const result = facts.results[index] ?? null;
  if (probe.expect === "allowed" && kill)
    return { kind: "broken", line: `blocked although allowed: ${kill.sentence}` };
  if (kill) return { kind: "holds", line: `refused by the proxy: ${kill.sentence}` };
  if (result && !result.proxyActive) return { kind: "broken", line: PROXY_OFF };
  if (!result?.attempt)
    return {
      kind: "unknown",
      line: facts.finished[index] ? "the probe recorded nothing" : "the probe's command left no trace",
    };
  const verdict = classify(result.attempt, context);
  if (probe.expect === "blocked") {
    return verdict.class === "proxy-blocked"
      ? { kind: "holds", line: `refused by the proxy: ${verdict.description}` }
      : { kind: "broken", line: `${probe.host} was not refused by the proxy: ${verdict.description}` };
  }
  if (verdict.class === "proxy-blocked")
    return { kind: "broken", line: `blocked although allowed: ${verdict.description}` };
  if (verdict.class === "ok" || verdict.class === "http-status")
    return { kind: "holds", line: `reachable: ${verdict.description}` };
  return {
    kind: "unreached",
    line: `allowed, not reached: ${verdict.description}`,
    remediation: verdict.remediation,
  };
}

export default defineCheck({
  id: "net.profile_rules",
  title: "The profile's domain rules hold",
  claim:
    "With Codex's managed network proxy, each denied domain and a domain on no allowlist are refused, and each allowed domain is reachable (or why not is classified).",
  needs: ["domainRules"],
  uses: ["network", "config", "launcher"],
  run({ domainRules: facts, network, config, launcher }, _ctx) {
    const expected =
      "through Codex's managed proxy: denied and unlisted domains refused before any connection, allowed domains reached";
    const listed = config.ok ? domainRules(config.value.effective) : [];
    const proxyOn = config.ok && proxyFeatureOn(config.value.effective);
    const mode = network.ok ? networkMode(network.value, config, launcher) : [];
    if (facts.plan.probes.length === 0) {
      if (listed.length === 0 && !proxyOn)
        return outcome(
          "skip",
          expected,
          "no network rules to prove: Codex's managed proxy is off and the profile lists no domains",
          mode,
        );
      return outcome("skip", expected, "no network rules to prove: the profile's network is off", [
        ...mode,
        ...facts.plan.untested,
      ]);
    }
    const context: ClassifyContext = {
      environment: network.ok ? network.value.report.environment : null,
      profile: config.ok
        ? ((config.value.effective.default_permissions as string | undefined) ?? null)
        : null,
    };
    const verdicts = facts.plan.probes.map((probe, index) => ({
      probe,
      verdict: verdictOf(facts, index, context),
    }));
    const evidence = [
      ...verdicts.map(({ probe, verdict }) => `${probe.rule} (${probe.host}): ${verdict.line}`),
      ...facts.plan.untested.map((line) => `not probed: ${line}`),
      ...mode,
    ];
    const line = (kind: Verdict["kind"]) => verdicts.find((v) => v.verdict.kind === kind);
    const broken = line("broken");
    if (broken) {
      const remediation =
        broken.verdict.line === PROXY_OFF
          ? "Turn Codex's managed proxy on: `[features] network_proxy = true` with the profile's `network.enabled = true`, and no legacy sandbox flag; without it the domains table is not enforced."
          : undefined;
      const result = outcome("fail", expected, `${broken.probe.rule}: ${broken.verdict.line}`, evidence);
      return remediation ? { ...result, remediation } : result;
    }
    const unknown = line("unknown");
    if (unknown)
      return outcome(
        "error",
        expected,
        `could not test ${unknown.probe.rule}: ${unknown.verdict.line}`,
        evidence,
      );
    const unreached = line("unreached");
    if (unreached) {
      const result = outcome(
        "warn",
        expected,
        `${unreached.probe.rule}: ${unreached.verdict.line}`,
        evidence,
      );
      return unreached.verdict.remediation
        ? { ...result, remediation: unreached.verdict.remediation }
        : result;
    }
    return outcome("pass", expected, `all ${verdicts.length} domain rules probed hold`, evidence);
  },
  remediation:
    'Keep the domain rules under `[permissions.<name>.network.domains]` (`"host" = "allow" | "deny"`, deny wins) with `[features] network_proxy = true`; a domain the proxy must let through needs an allow entry (and `allow_local_binding = true` for a private address).',
});
