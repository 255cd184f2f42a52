import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { HttpAttempt } from "../../src/runner/net-types.js";
import { classify } from "./_classify.js";
import { networkMode } from "./_network-mode.js";

const TLS_FINDINGS = new Set([
  "NODE_TLS_REJECT_UNAUTHORIZED=0",
  "--insecure",
  "-k",
  "--no-check-certificate",
]);

/** The client reached the untrusted server: verification did not stop it. */
const accepted = (a: HttpAttempt) => a.httpStatus !== null && a.errorCode === null && (a.curlExit ?? 0) === 0;

export default defineCheck({
  id: "net.tls_verify",
  title: "TLS verification on",
  claim: "TLS verification is on: an untrusted certificate is rejected, and nothing disables verification.",
  needs: ["runner", "network"],
  // The launcher's own text can switch verification off for paths the probe did not take; the config says
  // whether Codex's managed proxy is meant to front the sandbox (the control reaches around it either way).
  uses: ["launcher", "config"],
  run({ runner, network, launcher, config }, _ctx) {
    const expected =
      "curl and Node reject a self-signed certificate served inside the sandbox; no NODE_TLS_REJECT_UNAUTHORIZED=0, --insecure or -k";
    const control = network.report.tlsControl;
    const attempts = control?.attempts ?? [];
    const descriptions = attempts.map((a) => classify(a).description);
    const evidence = [...descriptions, ...networkMode(network, config, launcher)];
    const problems: string[] = [];
    /** Only the switches found are named in the fix. */
    const fixes: string[] = [];
    for (const [name, value] of Object.entries(runner.env.insecureSwitches)) {
      problems.push(`${name}=${value} visible inside`);
      fixes.push(`unset \`${name}\` in the environment the launches get`);
    }
    if (launcher.ok) {
      for (const finding of launcher.value.static.findings) {
        if (!TLS_FINDINGS.has(finding.flag)) continue;
        problems.push(`${launcher.value.path}:${finding.line}: ${finding.text}`);
        fixes.push(`remove \`${finding.flag}\` from ${launcher.value.path}:${finding.line}`);
      }
    }
    for (const a of attempts)
      if (accepted(a)) problems.push(`${a.client} accepted the untrusted certificate`);
    // A retrieval that succeeded although curl's verification failed means verification is off for it.
    for (const a of network.report.registry) {
      if (accepted(a) && a.sslVerifyResult !== null && a.sslVerifyResult !== 0) {
        problems.push(
          `registry ${a.client}: ssl_verify_result ${a.sslVerifyResult}, yet the retrieval succeeded`,
        );
      }
    }
    if (problems.length > 0) {
      const failed = outcome("fail", expected, problems[0] as string, [...problems, ...evidence]);
      if (fixes.length === 0) return failed;
      const steps = [...new Set(fixes)].join("; ");
      return {
        ...failed,
        remediation: `${steps.charAt(0).toUpperCase()}${steps.slice(1)}; to trust a proxy's CA, point NODE_EXTRA_CA_CERTS / SSL_CERT_FILE at it instead.`,
      };
    }
    if (!control) {
      const why = network.killedBy
        ? `Codex killed the command: ${network.killedBy.sentence}`
        : "the control did not run";
      return outcome("error", expected, `could not test: ${why}`, evidence);
    }
    if (control.listenError !== null) {
      return outcome(
        "error",
        expected,
        `could not test: the control could not listen inside (${control.listenError})`,
        evidence,
      );
    }
    const rejected = attempts.filter((a) => classify(a).class === "tls-untrusted");
    if (attempts.length > 0 && rejected.length === attempts.length) {
      return outcome(
        "pass",
        expected,
        `${rejected.map((a) => a.client).join(" and ")} rejected the untrusted certificate`,
        evidence,
      );
    }
    if (rejected.length === 0) {
      return outcome(
        "error",
        expected,
        `could not test: the control failed for another reason (${descriptions.join("; ") || "no attempt"})`,
        evidence,
      );
    }
    const others = attempts.filter((a) => !rejected.includes(a)).map((a) => classify(a).description);
    return outcome(
      "warn",
      expected,
      `only ${rejected.map((a) => a.client).join(", ")} rejected it; ${others.join("; ")}`,
      evidence,
    );
  },
  remediation:
    "Nothing may switch verification off (NODE_TLS_REJECT_UNAUTHORIZED=0, curl's --insecure or -k); trust a proxy's CA with NODE_EXTRA_CA_CERTS / SSL_CERT_FILE instead.",
});
