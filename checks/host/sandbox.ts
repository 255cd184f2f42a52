import { defineCheck, outcome } from "../../src/core/define-check.js";
import { CONFIG_LAUNCHES, firstLines } from "../_shared.js";

const HOST_FIX =
  "Run on a host where unprivileged user namespaces are enabled (sysctl user.max_user_namespaces > 0) so bubblewrap can start.";

export default defineCheck({
  id: "host.sandbox",
  title: "Host can run the sandbox",
  claim:
    "The host can run Codex's sandbox at all (bubblewrap, user namespaces); otherwise nothing can be tested.",
  needs: ["hostSandbox"],
  owns: ["hostSandbox"],
  run({ hostSandbox }) {
    const expected = "`codex sandbox` runs a command (exit 0)";
    const version = `${hostSandbox.codexPath} (${hostSandbox.codexVersion})`;
    const lines = firstLines(hostSandbox.output, 10);
    if (hostSandbox.usable) {
      return outcome("pass", expected, `sandbox usable, exit ${hostSandbox.exitCode}`, [version, ...lines]);
    }
    // Not a claim failure: the setup cannot be judged on this host (decisions §14).
    const observed = lines.find((line) => /fail|error|denied|not permitted/i.test(line)) ?? lines[0];
    return {
      ...outcome(
        "error",
        expected,
        `could not test: sandbox unusable (exit ${hostSandbox.exitCode ?? "none"})${observed ? `: ${observed}` : ""}`,
        [version, ...lines],
      ),
      remediation: HOST_FIX,
      // Codex 0.169 sets up its sandbox to start a session (AGENTS.md): a launch it refused is this host's doing.
      explains: CONFIG_LAUNCHES,
    };
  },
  remediation: HOST_FIX,
});
