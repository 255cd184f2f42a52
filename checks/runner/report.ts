import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { Attestation, Namespaces } from "../../src/runner/types.js";
import { sandboxFix } from "../_in-effect.js";
import { refusedToStart } from "../_shared.js";

const KINDS = ["user", "mnt", "pid"] as const;
/** bwrap's argv0 for Codex's sandbox init (`--argv0 codex-linux-sandbox`), or bwrap itself. */
const SANDBOX_INIT = /(^|\/)(codex-linux-sandbox|bwrap)$/;
/** What every command fails with when the sandbox cannot read Codex's own binary (reference/network-proxy.md). */
const CANNOT_EXEC = /bwrap: execvp (\S+): No such file or directory/;

export default defineCheck({
  id: "runner.report",
  title: "In-sandbox runner ran sandboxed",
  claim: "The in-sandbox runner ran inside the sandbox and its nonce-stamped report reached the project.",
  needs: ["exec"],
  uses: ["runner", "launcher", "config"],
  owns: ["runner", "network", "sideEffects"],
  run({ exec, runner, launcher, config }, _ctx) {
    const expected =
      "the runner's report, from inside Codex's sandbox: own user, mount and pid namespaces, no capabilities, no new privileges";
    if (exec.refused) return refusedToStart(expected, exec.refused);
    if (!runner.ok) {
      const cannotExec = exec.commandOutputs
        .map((output) => CANNOT_EXEC.exec(output))
        .find((m) => m !== null);
      if (cannotExec) {
        const binary = cannotExec[1] ?? "";
        return {
          ...outcome("fail", expected, `the sandbox cannot run any command: ${cannotExec[0]}`, [
            `Codex starts every command through its own binary: ${binary}`,
            "the sandbox must be able to read it to start a command",
          ]),
          remediation: `Add ${JSON.stringify(packageDirOf(binary))} = "read" to the profile's [permissions.<name>.filesystem] table.`,
        };
      }
      return outcome(
        "error",
        expected,
        `could not test: ${runner.error.split("\n")[0]}`,
        runner.error.split("\n"),
      );
    }
    const { attestation } = runner.value;
    const evidence = [
      `nonce ${runner.value.nonce} matched`,
      ...signals(attestation),
      `node ${runner.value.node}, uid ${runner.value.uid}, cwd ${runner.value.cwd}, ${runner.value.durationMs} ms`,
    ];
    const problems = confinementProblems(attestation);
    if (problems.length > 0) {
      const failed = outcome(
        "fail",
        expected,
        `the runner ran unsandboxed: ${problems.join("; ")}`,
        evidence,
      );
      const fix = sandboxFix(launcher, config, false);
      return fix === null ? failed : { ...failed, remediation: fix };
    }
    return outcome("pass", expected, "report received from inside the sandbox", evidence);
  },
  remediation:
    "Keep the permission profile in effect so every command runs under bubblewrap, in namespaces of its own; if no command can start, grant read on Codex's package directory in the profile.",
});

function signals(a: Attestation): string[] {
  const ns = (n: Namespaces | null) => (n ? KINDS.map((kind) => n[kind] ?? "?").join(" ") : "unknown");
  return [
    `namespaces inside: ${ns(a.namespaces)}; host: ${ns(a.hostNamespaces)}`,
    `pid 1: ${a.pid1 ?? "?"}`,
    `CapEff=${a.capEff ?? "?"} NoNewPrivs=${a.noNewPrivs ?? "?"} Seccomp=${a.seccomp ?? "?"} (seccomp is evidence only)`,
    `root mount: ${a.rootMount ?? "?"}`,
  ];
}

/** What the sandbox is: its own namespaces (compared with the host's), no capabilities, no new privileges. */
function confinementProblems(a: Attestation): string[] {
  const problems: string[] = [];
  if (a.hostNamespaces) {
    const shared = KINDS.filter(
      (kind) => a.namespaces[kind] === null || a.namespaces[kind] === a.hostNamespaces?.[kind],
    );
    if (shared.length > 0)
      problems.push(`shares the host's ${shared.join(", ")} namespace${shared.length > 1 ? "s" : ""}`);
  } else if (!SANDBOX_INIT.test(a.pid1 ?? "")) {
    problems.push(`pid 1 is ${a.pid1 ?? "unknown"}, not Codex's sandbox init (host namespaces unknown)`);
  }
  if (a.capEff === null || !/^0+$/.test(a.capEff))
    problems.push(`effective capabilities ${a.capEff ?? "unknown"}`);
  if (a.noNewPrivs !== "1") problems.push(`NoNewPrivs=${a.noNewPrivs ?? "unknown"}`);
  return problems;
}

/** `<pkg>/vendor/<triple>/bin/codex` → `<pkg>/vendor` (what the reference profile grants); else the binary's folder. */
function packageDirOf(binary: string): string {
  const vendor = binary.lastIndexOf("/vendor/");
  return vendor >= 0
    ? binary.slice(0, vendor + "/vendor".length)
    : binary.slice(0, binary.lastIndexOf("/")) || "/";
}
