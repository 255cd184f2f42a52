import { defineCheck, outcome } from "../../src/define-check.js";

export default defineCheck({
  id: "runner.report",
  title: "In-sandbox runner ran sandboxed",
  claim: "The in-sandbox runner ran inside the sandbox and its nonce-stamped report reached the project.",
  needs: ["runner"],
  run({ runner }, _ctx) {
    // The gatherer only yields a report whose nonce matched; a missing or stale one is not gathered.
    const { attestation } = runner;
    const signals = `Seccomp=${attestation.seccomp ?? "?"} NoNewPrivs=${attestation.noNewPrivs ?? "?"} CapEff=${attestation.capEff ?? "?"} pid1=${attestation.pid1 ?? "?"}`;
    const evidence = [
      `nonce ${runner.nonce} matched`,
      signals,
      `node ${runner.node}, uid ${runner.uid}, cwd ${runner.cwd}, ${runner.durationMs} ms`,
    ];
    const expected =
      "report with the run's nonce, written from inside the sandbox (seccomp filter, no capabilities)";
    if (!attestation.sandboxed)
      return outcome("fail", expected, `the runner ran unsandboxed: ${signals}`, evidence);
    return outcome("pass", expected, `report received, sandboxed: ${signals}`, evidence);
  },
  remediation:
    "Run Codex with the permission profile (no `--dangerously-bypass-approvals-and-sandbox`, no `danger-full-access`) so commands run under bubblewrap and seccomp.",
});
