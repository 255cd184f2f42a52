import { defineCheck, outcome } from "../../src/core/define-check.js";
import { describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.git_read",
  title: "git status, diff and log work",
  claim: "`git status`, `git diff` and `git log` work inside the sandbox.",
  needs: ["runner"],
  run({ runner }, _ctx) {
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
      return outcome("fail", expected, `${name} failed: ${describeProbe(probe)}`, evidence);
    }
    return outcome("pass", expected, "all succeed", evidence);
  },
  remediation:
    'Keep the project (and so its .git) readable in the profile: `"." = "write"` under `":workspace_roots"`.',
});
