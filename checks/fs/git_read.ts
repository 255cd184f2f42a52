import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { ConfigFacts, Fact } from "../../src/core/model.js";
import { filesystemRules, observedFix, rule, workspaceRules } from "../_in-effect.js";
import { describeProbe } from "../_shared.js";

const DENY = new Set<unknown>(["none", "deny"]);

export default defineCheck({
  id: "fs.git_read",
  title: "git status, diff and log work",
  claim: "`git status`, `git diff` and `git log` work inside the sandbox.",
  needs: ["runner"],
  uses: ["launcher", "config"],
  run({ runner, launcher, config }, _ctx) {
    const expected = "git status, git diff and git log succeed";
    if (!runner.git.isRepo) return outcome("skip", expected, "project is not a git repository");
    const probes = {
      "git status": runner.git.status,
      "git diff": runner.git.diff,
      "git log": runner.git.log,
    };
    const evidence = Object.entries(probes).map(([name, probe]) => `${name}: ${describeProbe(probe)}`);
    const failed = Object.entries(probes).filter(([, probe]) => !probe.ok);
    if (failed.length > 0) {
      const [name, probe] = failed[0] as [string, (typeof failed)[number][1]];
      const verdict = outcome("fail", expected, `${name} failed: ${describeProbe(probe)}`, evidence);
      return observedFix(verdict, launcher, () => gitReadRuleFix(config));
    }
    return outcome("pass", expected, "all succeed", evidence);
  },
  remediation:
    'Keep the project (and so its .git) readable in the profile: `"." = "write"` under `":workspace_roots"`, and no rule that denies `.git`.',
});

/** A rule that hides `.git` (to drop), or a project that is not readable (to grant). */
function gitReadRuleFix(config: Fact<ConfigFacts>): string | null {
  const rules = filesystemRules(config);
  if (rules === null) return null;
  const roots = workspaceRules(rules);
  const where = `under \`${JSON.stringify(roots.key)}\` in the profile's filesystem table`;
  const git = roots.table[".git"];
  if (DENY.has(git)) return `Drop \`${rule(".git", git)}\` ${where}: git needs to read its metadata.`;
  const project = roots.table["."];
  if (project === "write" || project === "read") return null;
  return `Add \`${rule(".", "write")}\` ${where}.`;
}
