import { defineCheck, outcome } from "../../src/define-check.js";
import type { ConfigFacts, Fact, NetworkFacts, RegistryFacts } from "../../src/model.js";
import { lookup } from "../_shared.js";
import { type ClassifyContext, classify, classifyKill } from "./_classify.js";

export default defineCheck({
  id: "net.registry",
  title: "Registry reachable from inside",
  claim: (expect) =>
    `\`curl -fsS <npm registry>/${expect.registryPackage}\` succeeds inside the sandbox (registry from npm's config).`,
  needs: ["network"],
  // The host's own retrieval tells a registry that is down from a sandbox that blocks it; the config says whether
  // Codex's managed proxy is meant to be on.
  uses: ["registry", "config"],
  run({ network, registry, config }, { expect }) {
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
    const evidence = [
      url,
      proxyMode(network, config),
      ...attempts.map((a) => a.verdict.description),
      hostControl(registry),
    ];
    const curl = attempts.find((a) => a.attempt.client === "curl");
    if (!curl) {
      if (!network.killedBy)
        return outcome("error", expected, "could not test: the curl probe did not run", evidence);
      const killed = classifyKill(network.killedBy, context);
      return { ...outcome("fail", expected, killed.description, evidence), remediation: killed.remediation };
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
    const sandboxOnly = curl.verdict.class === "proxy-blocked" || curl.verdict.class === "network-disabled";
    if (!sandboxOnly && registry.ok && classify(registry.value.host).class !== "ok") {
      return outcome("error", expected, "could not test: the host cannot retrieve it either", evidence);
    }
    // The proxy's own answer words the refusal better than curl's exit 22.
    const proxy = attempts.find(
      (a) => a.attempt.client === "proxy" && a.verdict.class === curl.verdict.class,
    );
    const verdict = proxy?.verdict ?? curl.verdict;
    return { ...outcome("fail", expected, verdict.description, evidence), remediation: verdict.remediation };
  },
  remediation:
    "Enable network in the profile: `[permissions.<name>.network] enabled = true`, no legacy sandbox flags, and with Codex's managed proxy allow the registry's host under `[permissions.<name>.network.domains]`.",
});

/** Whether Codex's managed proxy fronts the sandbox: seen from inside, and as the config layers ask for it. */
function proxyMode(network: NetworkFacts, config: Fact<ConfigFacts>): string {
  const env = network.report.environment;
  const inside = env?.codexProxyActive
    ? `Codex's managed proxy ${env.proxyVariables.HTTPS_PROXY ?? env.proxyVariables.https_proxy ?? ""}`.trim()
    : env && Object.keys(env.proxyVariables).length > 0
      ? `proxy variables ${Object.keys(env.proxyVariables).join(", ")}`
      : "no proxy";
  const feature = config.ok ? lookup(config.value.effective, ["features", "network_proxy"]) : undefined;
  const enabled = typeof feature === "object" && feature !== null ? lookup(feature, ["enabled"]) : feature;
  return `network: ${inside} inside; config features.network_proxy = ${enabled === undefined ? "not set" : String(enabled)}`;
}

function hostControl(registry: Fact<RegistryFacts>): string {
  if (!registry.ok) return `host control: ${registry.error}`;
  const verdict = classify(registry.value.host);
  return `host control: ${verdict.class === "ok" ? `fine on the host (${verdict.description})` : verdict.description}`;
}
