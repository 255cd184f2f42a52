import { defineCheck, outcome } from "../../src/define-check.js";
import type { HttpAttempt } from "../../src/runner/net-interim.js";

/** curl exits for a certificate that does not verify: 60 peer certificate, 51 name mismatch. */
const CURL_CERT_EXITS = new Set([51, 60]);
/** Node cause codes for a certificate that does not verify. */
const NODE_CERT_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);
const TLS_FINDINGS = new Set([
  "NODE_TLS_REJECT_UNAUTHORIZED=0",
  "--insecure",
  "-k",
  "--no-check-certificate",
]);

const rejected = (a: HttpAttempt) =>
  a.client === "curl" ? CURL_CERT_EXITS.has(a.exitCode ?? -1) : NODE_CERT_CODES.has(a.errorCode ?? "");

export default defineCheck({
  id: "net.tls_verify",
  title: "TLS verification on",
  claim: "TLS verification is on: an untrusted certificate is rejected, and nothing disables verification.",
  needs: ["runner", "network"],
  // The launcher's own text can switch verification off for paths the probe did not take.
  uses: ["launcher"],
  run({ runner, network, launcher }, _ctx) {
    const expected =
      "every client rejects an untrusted certificate; no NODE_TLS_REJECT_UNAUTHORIZED=0, --insecure or -k";
    const control = network.report.tlsControl;
    const attempts = control?.attempts ?? [];
    const evidence = attempts.map(
      (a) => `${a.client}: ${a.ok ? "accepted" : `${a.errorCode ?? "failed"} ${a.message ?? ""}`.trim()}`,
    );
    const problems: string[] = [];
    for (const [name, value] of Object.entries(runner.env.insecureSwitches))
      problems.push(`${name}=${value} visible inside`);
    if (launcher.ok) {
      for (const finding of launcher.value.static.findings) {
        if (TLS_FINDINGS.has(finding.flag))
          problems.push(`${launcher.value.path}:${finding.line}: ${finding.text}`);
      }
    }
    for (const a of attempts) if (a.ok) problems.push(`${a.client} accepted the untrusted certificate`);
    // A retrieval that succeeded although curl's verification failed means verification is off for it.
    for (const a of network.report.registry) {
      if (a.ok && a.url.startsWith("https:") && a.sslVerifyResult !== null && a.sslVerifyResult !== 0) {
        problems.push(
          `registry ${a.client}: ssl_verify_result ${a.sslVerifyResult}, yet the retrieval succeeded`,
        );
      }
    }
    if (problems.length > 0)
      return outcome("fail", expected, problems[0] as string, [...problems, ...evidence]);
    if (!control) {
      const why = network.killedBy
        ? `Codex killed the command: ${network.killedBy}`
        : "the control did not run";
      return outcome("error", expected, `could not test: ${why}`, evidence);
    }
    if (!control.serve.ok) {
      return outcome(
        "error",
        expected,
        `could not test: the control could not listen inside (${control.serve.code ?? "failed"})`,
        evidence,
      );
    }
    const tested = attempts.filter(rejected);
    if (tested.length === attempts.length && attempts.length > 0) {
      return outcome(
        "pass",
        expected,
        `${tested.map((a) => a.client).join(" and ")} rejected the untrusted certificate`,
        evidence,
      );
    }
    if (tested.length === 0) {
      return outcome("error", expected, "could not test: the control failed for another reason", evidence);
    }
    const other = attempts.filter((a) => !rejected(a)).map((a) => `${a.client}: ${a.errorCode ?? "failed"}`);
    return outcome(
      "warn",
      expected,
      `only ${tested.map((a) => a.client).join(", ")} rejected it; ${other.join(", ")}`,
      evidence,
    );
  },
  remediation:
    "Remove NODE_TLS_REJECT_UNAUTHORIZED=0, --insecure and -k from the launcher and environment; trust a proxy's CA with NODE_EXTRA_CA_CERTS / SSL_CERT_FILE instead.",
});
