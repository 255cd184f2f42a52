import { defineCheck, outcome } from "../../src/define-check.js";
import type { HttpAttempt } from "../../src/runner/net-interim.js";

function describe(attempt: HttpAttempt): string {
  const verify = attempt.sslVerifyResult === null ? "" : `, ssl_verify_result ${attempt.sslVerifyResult}`;
  if (attempt.ok) return `${attempt.client}: ok, http ${attempt.httpStatus ?? "?"}${verify}`;
  const parts = [
    attempt.errorCode,
    attempt.httpStatus === null ? null : `http ${attempt.httpStatus}`,
    attempt.message,
  ];
  return `${attempt.client}: ${parts.filter(Boolean).join(", ")}`;
}

export default defineCheck({
  id: "net.registry",
  title: "Registry reachable from inside",
  claim: "`curl -fsS <npm registry>/astro` succeeds inside the sandbox (registry from npm's config).",
  needs: ["network"],
  // The host's own retrieval (the control) tells a registry that is down from a sandbox that blocks it.
  uses: ["registry"],
  run({ network, registry }, { expect }) {
    const url = registry.ok
      ? registry.value.url
      : (network.report.registry[0]?.url ?? `<registry>/${expect.registryPackage}`);
    const expected = `curl -fsS ${url} exits 0 inside the sandbox`;
    const attempts = network.report.registry;
    const curl = attempts.find((a) => a.client === "curl");
    const evidence = [
      url,
      ...attempts.map(describe),
      registry.ok ? `host control: ${describe(registry.value.host)}` : `host control: ${registry.error}`,
      ...(network.killedBy ? [`Codex killed the command: ${network.killedBy}`] : []),
    ];
    if (!curl) {
      if (network.killedBy) return outcome("fail", expected, network.killedBy, evidence);
      return outcome("error", expected, "could not test: the curl probe did not run", evidence);
    }
    if (curl.ok) return outcome("pass", expected, `curl exit 0, http ${curl.httpStatus ?? "?"}`, evidence);
    // The host cannot retrieve it either: the registry is down or unreachable, which is not the sandbox's doing.
    if (registry.ok && !registry.value.host.ok) {
      return outcome("error", expected, "could not test: the host cannot retrieve it either", evidence);
    }
    return outcome("fail", expected, describe(curl), evidence);
  },
  remediation:
    "Enable network in the profile: `[permissions.<name>.network] enabled = true`, and no legacy sandbox flags.",
});
