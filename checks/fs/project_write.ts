import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { ConfigFacts, Fact } from "../../src/core/model.js";
import { filesystemRules, observedFix, rule, workspaceRules } from "../_in-effect.js";
import { describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.project_write",
  title: "Project writable",
  claim: "The project is writable inside the sandbox (positive control).",
  needs: ["runner"],
  uses: ["launcher", "config"],
  run({ runner, launcher, config }, _ctx) {
    const { write, readBack, remove } = runner.project;
    const expected = "a file written into the project reads back and can be removed";
    const steps = [
      ["write", write],
      ["read back", readBack],
      ["remove", remove],
    ] as const;
    const evidence = steps.map(([name, probe]) => `${name}: ${describeProbe(probe)}`);
    const first = steps.find(([, probe]) => !probe.ok);
    if (first) {
      const verdict = outcome("fail", expected, `${first[0]} failed: ${describeProbe(first[1])}`, evidence);
      return observedFix(verdict, launcher, () => projectRuleFix(config));
    }
    return outcome("pass", expected, "write, read back and remove succeed", evidence);
  },
  remediation: 'Give the project write access in the profile: `"." = "write"` under `":workspace_roots"`.',
});

/** The project's rule as the profile has it: another access to change, or none to add. */
function projectRuleFix(config: Fact<ConfigFacts>): string | null {
  const rules = filesystemRules(config);
  if (rules === null) return null;
  const roots = workspaceRules(rules);
  const access = roots.table["."];
  if (access === "write") return null;
  const wanted = `\`${rule(".", "write")}\``;
  const step = access === undefined ? `add ${wanted}` : `change \`${rule(".", access)}\` to ${wanted}`;
  return `Under \`${JSON.stringify(roots.key)}\` in the profile's filesystem table, ${step}.`;
}
