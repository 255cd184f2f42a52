import { defineCheck, outcome } from "../../src/core/define-check.js";
import type {
  CheckOutcome,
  ConfigFacts,
  Fact,
  LauncherFacts,
  NetworkFacts,
  RegistryFacts,
} from "../../src/core/model.js";
import type { HttpAttempt } from "../../src/runner/net-types.js";
import { legacyFlagFix, networkOffFix } from "../_in-effect.js";
import { type ClassifyContext, classify, classifyKill, type NetClassification } from "./_classify.js";
import { networkMode } from "./_network-mode.js";

export default defineCheck({
  id: "net.registry",
  title: "Registry reachable from inside",
  claim: (expect) =>
    `\`curl -fsS <npm registry>/${expect.registryPackage}\` succeeds inside the sandbox (registry from npm's config).`,
  needs: ["network"],
  // The host's own retrieval tells a registry that is down from a sandbox that blocks it; the config and the
  // launcher's argv say whether Codex's managed proxy is meant to be on.
  uses: ["registry", "config", "launcher"],
  owns: ["registry"],
  run({ network, registry, config, launcher }, { expect }) {
    const url = registry.ok
      ? registry.value.url
      : (network.report.registry[0]?.url ?? `<registry>/${expect.registryPackage}`);
    const expected = `curl -fsS ${url} exits 0 inside the sandbox`;
    const context: ClassifyContext = {
      environment: network.report.environment,
      kill: network.killedBy,
      profile: config.ok
        ? ((config.value.effective.default_permissions as string | undefined) ?? null)
        : null,
    };
    const attempts = network.report.registry.map((attempt) => ({
      attempt,
      verdict: classify(attempt, context),
    }));
    const curl = attempts.find((a) => a.attempt.client === "curl");
    const inside = curl?.verdict ?? (network.killedBy ? classifyKill(network.killedBy, context) : null);
    const evidence = [
      url,
      ...networkMode(network, config, launcher),
      ...attempts.map((a) => a.verdict.description),
      ...killEvidence(network),
      hostControl(registry, inside),
    ];
    if (!curl) {
      if (!inside) return notRun(network, expected, evidence);
      return judgeFailure(observedNetworkFix(inside, launcher, config), registry, expected, evidence);
    }
    if (curl.verdict.class === "ok") {
      // The README's claim is curl's; another client failing is a risk worth knowing, with its own fix.
      const other = attempts.find((a) => a.attempt.client === "fetch" && a.verdict.class !== "ok");
      if (!other) return outcome("pass", expected, curl.verdict.description, evidence);
      return {
        ...outcome("warn", expected, `curl works, but ${other.verdict.description}`, evidence),
        remediation: other.verdict.remediation,
      };
    }
    // The proxy's own answer words the refusal better than curl's exit 22.
    const proxy = attempts.find(
      (a) => a.attempt.client === "proxy" && a.verdict.class === curl.verdict.class,
    );
    const verdict = observedNetworkFix(proxy?.verdict ?? curl.verdict, launcher, config);
    return judgeFailure(verdict, registry, expected, evidence);
  },
  remediation:
    "Enable network in the profile: `[permissions.<name>.network] enabled = true`, no legacy sandbox flags, and with Codex's managed proxy allow the registry's host under `[permissions.<name>.network.domains]`.",
});

/**
 * No network at all inside: the legacy flag that replaced the profile, or the profile's own switch when it is off,
 * is what to change; only when the setup shows neither does the classification's general wording stand.
 */
function observedNetworkFix(
  verdict: NetClassification,
  launcher: Fact<LauncherFacts>,
  config: Fact<ConfigFacts>,
): NetClassification {
  if (verdict.class !== "network-disabled") return verdict;
  const fix = legacyFlagFix(launcher) ?? networkOffFix(config) ?? verdict.remediation;
  return { ...verdict, remediation: fix };
}

/**
 * A failure inside is the sandbox's, unless the host cannot retrieve the URL either. A policy refusal or a disabled
 * network is always the sandbox's, except Codex's "local/private address" for a name that resolves nowhere: its
 * proxy says that too when it cannot resolve the name (verified with an allowed `.invalid` host).
 */
function judgeFailure(
  inside: NetClassification,
  registry: Fact<RegistryFacts>,
  expected: string,
  evidence: string[],
): CheckOutcome {
  const host = registry.ok ? classify(registry.value.host) : null;
  const policy = inside.class === "proxy-blocked" || inside.class === "network-disabled";
  const unresolvable = inside.qualifier === "private-address" && host?.class === "dns";
  if (host !== null && host.class !== "ok" && (!policy || unresolvable)) {
    return {
      ...outcome("error", expected, "could not test: the host cannot retrieve it either", evidence),
      remediation: host.remediation,
    };
  }
  return { ...outcome("fail", expected, inside.description, evidence), remediation: inside.remediation };
}

/**
 * No curl attempt and no kill message (a live session's probe report: the host never saw what the agent saw). A
 * report the runner never finished, behind Codex's proxy, is what a blocked request leaves: Codex killed it.
 */
function notRun(network: NetworkFacts, expected: string, evidence: string[]): CheckOutcome {
  const { complete, environment } = network.report;
  if (complete || !environment?.codexProxyActive)
    return outcome("error", expected, "could not test: the curl probe did not run", evidence);
  return {
    ...outcome(
      "error",
      expected,
      "could not test: the runner's network part stopped before curl reported, as when Codex kills a command whose request its proxy blocked",
      evidence,
    ),
    remediation:
      "Read what the agent received for the runner's network command (Codex's `Network access to … was blocked` names the rule), or allow the registry's host under `[permissions.<name>.network.domains]`.",
  };
}

/** Where Codex killed the runner's network command, and what the runner had recorded by then (it writes as it goes). */
function killEvidence(network: NetworkFacts): string[] {
  if (!network.killedBy) return [];
  const { environment, tlsControl, registry } = network.report;
  const done = registry.map((a: HttpAttempt) => a.client);
  const at = done.length === 0 ? "at its first registry request (curl)" : `after ${done.join(", ")}`;
  const kept = [environment ? "environment" : null, tlsControl ? "TLS control" : null, ...done].filter(
    (part) => part !== null,
  );
  return [`Codex killed the runner's network command ${at}; kept: ${kept.join(", ") || "nothing"}`];
}

/** The host's own retrieval of the same URL, worded against what happened inside. */
function hostControl(registry: Fact<RegistryFacts>, inside: NetClassification | null): string {
  if (!registry.ok) return `host control: ${registry.error}`;
  const host = classify(registry.value.host);
  const insideOk = inside?.class === "ok";
  if (host.class !== "ok")
    return `host control: fails on the host${insideOk || inside === null ? "" : " too"}: ${host.description}`;
  if (inside === null || insideOk) return `host control: fine on the host too (${host.description})`;
  const policy = inside.class === "proxy-blocked" || inside.class === "network-disabled";
  return `host control: ${policy ? "blocked" : "fails"} in the sandbox, fine on the host (${host.description})`;
}
