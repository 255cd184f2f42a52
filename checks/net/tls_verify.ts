import { defineCheck, outcome } from "../../src/define-check.js";
import { readLauncherStatic, TLS_FLAGS } from "../../src/gather/launcher-static.js";
import type { HttpProbe } from "../../src/runner/report-types.js";
import { describeHttp } from "../_shared.js";

const TLS = new Set<string>(TLS_FLAGS);
/** curl exits for a certificate that does not verify: 60 peer certificate, 51 name mismatch. */
const CURL_CERT_EXITS = new Set([51, 60]);
/** Node `fetch` cause codes for a certificate that does not verify. */
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

export default defineCheck({
  id: "net.tls_verify",
  title: "TLS verification on",
  claim: "TLS verification is on: an untrusted certificate is rejected, and nothing disables verification.",
  needs: ["runner", "launcher"],
  run({ runner, launcher }, _ctx) {
    const expected =
      "curl and fetch reject an untrusted certificate; no NODE_TLS_REJECT_UNAUTHORIZED=0, --insecure or -k";
    const { tls, network } = runner;
    const evidence = [
      `control ${tls.url ?? "(none)"}`,
      describeHttp("curl", tls.curl),
      describeHttp("fetch", tls.fetch),
    ];
    const problems: string[] = [];
    for (const [name, value] of Object.entries(tls.insecureSwitches))
      problems.push(`${name}=${value} visible inside`);
    for (const finding of readLauncherStatic(launcher.path, launcher.lines.join("\n")).findings) {
      if (TLS.has(finding.flag)) problems.push(`${launcher.path}:${finding.line}: ${finding.text}`);
    }
    if (tls.curl?.ok) problems.push("curl accepted the untrusted certificate");
    if (tls.fetch?.ok) problems.push("fetch accepted the untrusted certificate");
    const registryVerify = network.curl?.sslVerifyResult;
    // A retrieval that succeeded although the certificate did not verify means verification is off; one that
    // failed on the certificate means verification works (net.registry owns that failure).
    if (
      network.curl?.ok === true &&
      network.registryUrl?.startsWith("https:") &&
      registryVerify !== undefined &&
      registryVerify !== null &&
      registryVerify !== 0
    ) {
      problems.push(`registry curl: ssl_verify_result ${registryVerify}`);
    }
    if (problems.length > 0)
      return outcome("fail", expected, problems[0] as string, [...problems, ...evidence]);
    if (tls.url === null)
      return outcome("error", expected, "could not test: no untrusted TLS control", evidence);

    const curlRejected = tls.curl !== null && CURL_CERT_EXITS.has(tls.curl.exitCode ?? -1);
    const fetchRejected = tls.fetch !== null && NODE_CERT_CODES.has(tls.fetch.code ?? "");
    if (curlRejected && fetchRejected)
      return outcome("pass", expected, "both rejected the untrusted certificate", evidence);
    if (!curlRejected && !fetchRejected) {
      return outcome(
        "error",
        expected,
        `could not test: the control failed for another reason (${reason(tls.curl)}, ${reason(tls.fetch)})`,
        evidence,
      );
    }
    const [tested, untested, probe] = curlRejected
      ? ["curl", "fetch", tls.fetch]
      : ["fetch", "curl", tls.curl];
    return outcome(
      "warn",
      expected,
      `only ${tested} rejected the untrusted certificate; ${untested}: ${reason(probe)}`,
      evidence,
    );
  },
  remediation:
    "Remove NODE_TLS_REJECT_UNAUTHORIZED=0, --insecure and -k from the launcher and environment; trust a proxy's CA with NODE_EXTRA_CA_CERTS / SSL_CERT_FILE instead.",
});

function reason(probe: HttpProbe | null): string {
  if (probe === null) return "not run";
  return (
    [probe.exitCode === undefined || probe.exitCode === null ? null : `exit ${probe.exitCode}`, probe.code]
      .filter(Boolean)
      .join(" ") || "failed"
  );
}
