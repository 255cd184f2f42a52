import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { CheckOutcome, StagingFacts } from "../../src/core/model.js";
import type { Attestation, LocalReport, Namespaces } from "../../src/runner/types.js";
import { sandboxFix } from "../_in-effect.js";
import { refusedToStart } from "../_shared.js";

const KINDS = ["user", "mnt", "pid"] as const;
/** What every command fails with when the sandbox cannot read Codex's own binary (reference/network-proxy.md). */
const CANNOT_EXEC = /bwrap: execvp (\S+): No such file or directory/;

export default defineCheck({
  id: "runner.report",
  title: "In-sandbox runner ran sandboxed",
  claim: "The in-sandbox runner ran inside the sandbox and its nonce-stamped report reached the project.",
  needs: ["exec"],
  uses: ["runner", "staging", "launcher", "config"],
  owns: ["runner", "network", "sideEffects"],
  run({ exec, runner, staging, launcher, config }, _ctx) {
    const expected =
      "the runner's report, from inside Codex's sandbox: own user, mount and pid namespaces (compared with the host's own record), no capabilities, no new privileges";
    if (exec.refused) return refusedToStart(expected, exec.refused);
    if (!runner.ok) return noReport(expected, exec.commandOutputs, runner.error);
    // The host's record is the reference, never the copy of the host's namespaces the report carries (§24).
    if (!staging.ok)
      return outcome("error", expected, `could not test: no host record: ${staging.error}`, []);
    const report = runner.value;
    const record = staging.value;
    const evidence = [
      `nonce ${report.nonce} matched`,
      ...signals(report.attestation, record.hostNamespaces),
      `node ${report.node}, uid ${report.uid}, cwd ${report.cwd}, started ${report.startedAt}, ${report.durationMs} ms`,
    ];
    const unknownHost = KINDS.filter((kind) => record.hostNamespaces[kind] === null);
    if (unknownHost.length > 0) {
      const which = `${unknownHost.join(", ")} namespace${unknownHost.length > 1 ? "s are" : " is"}`;
      return outcome("error", expected, `could not test: the host's own ${which} unknown`, evidence);
    }
    const forged = inconsistencies(report, record);
    if (forged.length > 0)
      return outcome("fail", expected, `the report is not this staging's: ${forged.join("; ")}`, evidence);
    const problems = confinementProblems(report.attestation, record.hostNamespaces);
    if (problems.length > 0) {
      const failed = outcome(
        "fail",
        expected,
        `the runner ran unsandboxed: ${problems.join("; ")}`,
        evidence,
      );
      const fix = sandboxFix(launcher, config, false);
      // No fix found in the setup: the general one (the engine's, for an absent remediation).
      return { ...failed, remediation: fix ?? undefined };
    }
    return outcome("pass", expected, "report received from inside the sandbox", evidence);
  },
  remediation:
    "Keep the permission profile in effect so every command runs under bubblewrap, in namespaces of its own; if no command can start, grant read on Codex's package directory in the profile.",
});

/** No report: the sandbox could not run any command (a finding, with its fix), or why the report is missing. */
function noReport(expected: string, commandOutputs: string[], error: string): CheckOutcome {
  const cannotExec = commandOutputs.map((output) => CANNOT_EXEC.exec(output)).find((m) => m !== null);
  if (cannotExec) {
    // The pattern's one group is part of every match.
    const binary = cannotExec[1] as string;
    return {
      ...outcome("fail", expected, `the sandbox cannot run any command: ${cannotExec[0]}`, [
        `Codex starts every command through its own binary: ${binary}`,
        "the sandbox must be able to read it to start a command",
      ]),
      remediation: `Add ${JSON.stringify(packageDirOf(binary))} = "read" to the profile's [permissions.<name>.filesystem] table.`,
    };
  }
  return outcome("error", expected, `could not test: ${error.split("\n")[0]}`, error.split("\n"));
}

function signals(a: Attestation, host: Namespaces): string[] {
  const ns = (n: Namespaces) => KINDS.map((kind) => n[kind] ?? "?").join(" ");
  return [
    `namespaces inside: ${ns(a.namespaces)}; host (its record at staging): ${ns(host)}`,
    `pid 1: ${a.pid1 ?? "?"}`,
    `CapEff=${a.capEff ?? "?"} NoNewPrivs=${a.noNewPrivs ?? "?"} Seccomp=${a.seccomp ?? "?"} (seccomp is evidence only)`,
    `root mount: ${a.rootMount ?? "?"}`,
  ];
}

/**
 * What gives away a report this staging's runner did not write: the copy of the host's namespaces it was given is
 * not the host's record (an altered input, or one from another staging), or it started outside the time between
 * staging and judging (an earlier report with its nonce replaced). A report invented with care passes these: the
 * live-session results say so (decisions §24).
 */
function inconsistencies(report: LocalReport, record: StagingFacts): string[] {
  const found: string[] = [];
  const copy = report.attestation.hostNamespaces;
  const differs = KINDS.filter((kind) => copy?.[kind] !== record.hostNamespaces[kind]);
  if (differs.length > 0)
    found.push(`its copy of the host's ${differs.join(", ")} namespaces is not the host's record`);
  const started = Date.parse(report.startedAt);
  if (Number.isNaN(started)) found.push(`it has no valid start time (${report.startedAt})`);
  else if (started < Date.parse(record.window.from) || started > Date.parse(record.window.to))
    found.push(`it started at ${report.startedAt}, outside ${record.window.from} – ${record.window.to}`);
  return found;
}

/** What the sandbox is: its own namespaces (compared with the host's record), no capabilities, no new privileges. */
function confinementProblems(a: Attestation, host: Namespaces): string[] {
  const problems: string[] = [];
  const shared = KINDS.filter((kind) => a.namespaces[kind] === null || a.namespaces[kind] === host[kind]);
  if (shared.length > 0)
    problems.push(`shares the host's ${shared.join(", ")} namespace${shared.length > 1 ? "s" : ""}`);
  // An unreadable CapEff (null) reads "null": no mask of zeros.
  if (!/^0+$/.test(String(a.capEff))) problems.push(`effective capabilities ${a.capEff ?? "unknown"}`);
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
