import { defineCheck, outcome } from "../../src/define-check.js";
import { describeHttp } from "../_shared.js";

export default defineCheck({
  id: "net.registry",
  title: "Registry reachable from inside",
  claim: "`curl -fsS <npm registry>/astro` succeeds inside the sandbox (registry from npm's config).",
  needs: ["runner", "registry"],
  run({ runner, registry }, { expect }) {
    const { registryUrl, curl, fetch } = runner.network;
    const expected = `curl -fsS <registry>/${expect.registryPackage} exits 0`;
    if (registryUrl === null) return outcome("error", expected, "could not test: registry unknown", []);
    const evidence = [registryUrl, describeHttp("curl", curl), describeHttp("fetch", fetch)];
    if (curl === null)
      return outcome("error", expected, "could not test: the curl probe did not run", evidence);
    evidence.push(
      `host control: ${registry.hostStatus === null ? (registry.hostError ?? "failed") : `http ${registry.hostStatus}`}`,
    );
    if (curl.ok && curl.exitCode === 0) {
      return outcome("pass", expected, `curl exit 0, http ${curl.httpStatus ?? "?"}`, evidence);
    }
    // The host cannot retrieve it either: the registry is down or unreachable, which is not the sandbox's doing.
    if (registry.hostStatus === null || registry.hostStatus >= 400) {
      return outcome("error", expected, "could not test: the host cannot retrieve it either", evidence);
    }
    const hint = curl.exitCode === 6 ? " (could not resolve host: network disabled in the sandbox?)" : "";
    const detail = curl.detail ? `: ${curl.detail.split("\n")[0]}` : "";
    return outcome(
      "fail",
      expected,
      `curl exit ${curl.exitCode ?? curl.code ?? "?"}${hint}${detail}`,
      evidence,
    );
  },
  remediation:
    "Enable network in the profile: `[permissions.<name>.network] enabled = true`, and no legacy sandbox flags.",
});
