import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { ConfigFacts, Fact } from "../../src/core/model.js";
import { filesystemRules, observedFix, rule, workspaceRules } from "../_in-effect.js";
import { blockedByPermission, describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.git_write",
  title: ".git read-only; git add and commit fail",
  claim: "`.git` cannot be written; `git add` and `git commit` fail.",
  needs: ["runner", "sideEffects"],
  uses: ["launcher", "config"],
  run({ runner, sideEffects, launcher, config }, _ctx) {
    const expected =
      "writing into .git, git add and git commit fail with EROFS/EACCES/EPERM, and none of them reaches the host's repository";
    if (!runner.git.isRepo) return outcome("skip", expected, "project is not a git repository");
    const probes = {
      "write into .git": runner.git.writeDir,
      "git add": runner.git.add,
      "git commit": runner.git.commit,
    };
    const evidence = Object.entries(probes).map(([name, probe]) => `${name}: ${describeProbe(probe)}`);
    // Only a permission or read-only error counts as blocked, never e.g. a missing identity (decisions §8).
    const notBlocked = Object.entries(probes)
      .filter(([, probe]) => !blockedByPermission(probe))
      .map(
        ([name, probe]) =>
          `${name} ${probe.ok ? "succeeded" : `failed without a permission error: ${describeProbe(probe)}`}`,
      );
    const { git } = sideEffects;
    const marker = sideEffects.persisted.find((entry) => entry.where === "git");
    if (marker) notBlocked.push(`the probe's file ${marker.path} reached the host's .git`);
    if (git.markerStaged) notBlocked.push("the probe's file was staged in the host's index");
    if (git.probeCommit)
      notBlocked.push(
        `the probe's commit reached the host's repository (HEAD ${git.headBefore ?? "(none)"} → ${git.headAfter ?? "(none)"})`,
      );
    const context = [
      ...sideEffects.restored.map((entry) => `host restored: ${entry}`),
      ...sideEffects.leftAlone.map((entry) => `left alone: ${entry}`),
    ];
    if (notBlocked.length > 0) {
      const verdict = outcome("fail", expected, notBlocked[0] as string, [
        ...notBlocked,
        ...evidence,
        ...context,
      ]);
      return observedFix(verdict, launcher, () => gitWriteRuleFix(config));
    }
    return outcome("pass", expected, "all blocked, the host's .git unchanged by the probe", [
      ...evidence,
      ...context,
    ]);
  },
  remediation:
    "Keep the permission profile in effect and give `.git` no write rule: Codex then mounts .git read-only in every writable root.",
});

/** A rule that makes `.git` writable, to change; null when the profile has none. */
function gitWriteRuleFix(config: Fact<ConfigFacts>): string | null {
  const rules = filesystemRules(config);
  if (rules === null) return null;
  const roots = workspaceRules(rules);
  const git = roots.table[".git"];
  if (git !== "write") return null;
  return `Change \`${rule(".git", git)}\` to \`${rule(".git", "read")}\` under \`${JSON.stringify(roots.key)}\` in the profile's filesystem table (or drop it: Codex keeps .git read-only by itself).`;
}
