import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { CheckOutcome, ConfigFacts, Fact, SideEffectFacts } from "../../src/core/model.js";
import type { LocalReport } from "../../src/runner/types.js";
import { filesystemRules, observedFix, rule, workspaceRules } from "../_in-effect.js";
import { blockedByPermission, describeProbe, firstLines } from "../_shared.js";

/** bwrap's errors when a mount source vanished or changed while Codex set up its sandbox. */
const MOUNT_FAILURE =
  /bwrap: (?:Can't find source path|Can't get type of source|Can't bind mount) (\/\S+?)(?::| on )/;

/**
 * Codex's sandbox setup failed on a read-only folder that is missing from the project. Codex mounts a
 * placeholder there, and its concurrent sandbox helpers race on it (seen with 0.169: "Can't find source path",
 * "Unable to remount destination"): the setup makes Codex refuse to start at random.
 */
function missingFolderFailure(
  refusal: string | null,
  absent: readonly string[],
  expected: string,
): CheckOutcome | null {
  if (refusal === null) return null;
  const path = MOUNT_FAILURE.exec(refusal)?.[1];
  const folder = absent.find((candidate) => path?.endsWith(`/${candidate}`));
  if (folder === undefined) return null;
  return {
    ...outcome(
      "fail",
      expected,
      `Codex could not start its sandbox: ${folder} is missing from the project`,
      firstLines(refusal, 4),
    ),
    remediation: `Create ${folder} in the project (an empty folder will do), or drop its entry from the profile.`,
    explains: ["exec"],
  };
}

function readonlyVerdict(
  probes: LocalReport["readonlyPaths"],
  paths: readonly string[],
  sideEffects: SideEffectFacts,
  expected: string,
): CheckOutcome {
  const failures: string[] = [];
  const unknown: string[] = [];
  const absent: string[] = [];
  const evidence: string[] = [];
  for (const path of paths) {
    const probe = probes.find((entry) => entry.path === path);
    if (!probe) {
      unknown.push(`${path}: not probed`);
      continue;
    }
    // Inside, Codex may mount a placeholder (a write into it fails with ENOTDIR): the host knows better.
    const existed = probe.existed && !sideEffects.absentBefore.includes(path);
    evidence.push(`write into ${path}: ${describeProbe(probe.write)}${existed ? "" : " (folder absent)"}`);
    if (probe.write.ok) failures.push(`${path}: write succeeded`);
    else if (!existed) absent.push(path);
    // ENOENT: a recursive mkdir on a read-only mount reports it (codex-sandbox-lab §4.4).
    else if (!blockedByPermission(probe.write) && probe.write.code !== "ENOENT") {
      unknown.push(`${path}: write failed for another reason (${describeProbe(probe.write)})`);
    }
  }
  for (const entry of sideEffects.persisted.filter((e) => e.where === "readonly")) {
    failures.push(`${entry.path} reached the host`);
  }
  if (failures.length > 0)
    return outcome("fail", expected, failures[0] as string, [...failures, ...evidence]);
  if (unknown.length > 0)
    return outcome("error", expected, `could not test: ${unknown[0]}`, [...unknown, ...evidence]);
  if (absent.length > 0) {
    return outcome("warn", expected, `${absent.join(", ")} not present in the project`, [
      ...evidence,
      "Codex mounts a placeholder for a missing read-only folder and can fail to start on it: create the folder",
    ]);
  }
  return outcome("pass", expected, "all read-only", evidence);
}

/** The read-only folders a write went into. */
function writable(report: LocalReport): string[] {
  return report.readonlyPaths.filter((probe) => probe.write.ok).map((probe) => probe.path);
}

/** Each written folder's rule as the profile has it: `"write"` to change, or none to add. */
function readonlyRuleFix(config: Fact<ConfigFacts>, folders: string[]): string | null {
  const rules = filesystemRules(config);
  if (rules === null) return null;
  const roots = workspaceRules(rules);
  const steps = folders.flatMap((folder) => {
    const access = roots.table[folder];
    if (access === "read") return [];
    const wanted = `\`${rule(folder, "read")}\``;
    return access === undefined ? [`add ${wanted}`] : [`change \`${rule(folder, access)}\` to ${wanted}`];
  });
  return steps.length === 0
    ? null
    : `Under \`${JSON.stringify(roots.key)}\` in the profile's filesystem table, ${steps.join(" and ")}.`;
}

export default defineCheck({
  id: "fs.readonly_paths",
  title: "Read-only folders in the project",
  claim: (expect) =>
    `${expect.readonlyPaths.map((path) => `\`${path}\``).join(" and ")} in the project are read-only.`,
  needs: ["exec", "sideEffects"],
  uses: ["runner", "launcher", "config"],
  run({ exec, runner, sideEffects, launcher, config }, { expect }) {
    const expected = `writing into ${expect.readonlyPaths.join(", ")} fails with EROFS/EACCES/EPERM, and nothing reaches the host`;
    if (!runner.ok) {
      const failure = missingFolderFailure(exec.refused, sideEffects.absentBefore, expected);
      if (failure) return failure;
      return outcome("error", expected, `could not test: runner: ${firstLines(runner.error, 1)[0]}`, [
        ...firstLines(runner.error, 4),
      ]);
    }
    const verdict = readonlyVerdict(runner.value.readonlyPaths, expect.readonlyPaths, sideEffects, expected);
    const context = [
      ...sideEffects.restored.map((entry) => `host restored: ${entry}`),
      ...sideEffects.leftAlone.map((entry) => `left alone: ${entry}`),
    ];
    const fixed = observedFix(verdict, launcher, () => readonlyRuleFix(config, writable(runner.value)));
    return { ...fixed, evidence: [...verdict.evidence, ...context] };
  },
  remediation:
    'Mark each folder `"<folder>" = "read"` under `":workspace_roots"` in the profile, never `"write"`.',
});
