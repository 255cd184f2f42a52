import { defineCheck, outcome } from "../../src/define-check.js";
import { blockedByPermission, describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.git_write",
  title: ".git read-only; git add and commit fail",
  claim: "`.git` cannot be written; `git add` and `git commit` fail.",
  needs: ["runner", "sideEffects"],
  run({ runner, sideEffects }, _ctx) {
    const expected =
      ".git write, git add and git commit blocked (EROFS/EACCES/EPERM), .git and HEAD unchanged";
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
    if (sideEffects.gitNew.length > 0) notBlocked.push(`new in .git: ${sideEffects.gitNew.join(", ")}`);
    if (sideEffects.headAfter !== sideEffects.headBefore) {
      notBlocked.push(
        `HEAD moved ${sideEffects.headBefore ?? "(none)"} → ${sideEffects.headAfter ?? "(none)"}`,
      );
    }
    const restored = sideEffects.restored.map((entry) => `host restored: ${entry}`);
    if (notBlocked.length > 0)
      return outcome("fail", expected, notBlocked[0] as string, [...notBlocked, ...evidence, ...restored]);
    return outcome("pass", expected, "all blocked, .git unchanged", evidence);
  },
  remediation:
    "Let the permission profile apply (no legacy sandbox flags, no danger-full-access): Codex then mounts .git read-only in every writable root.",
});
