import { defineCheck, outcome } from "../../src/core/define-check.js";
import { describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.project_write",
  title: "Project writable",
  claim: "The project is writable inside the sandbox (positive control).",
  needs: ["runner"],
  run({ runner }, _ctx) {
    const { write, readBack, remove } = runner.project;
    const expected = "a file written into the project reads back and can be removed";
    const steps = [
      ["write", write],
      ["read back", readBack],
      ["remove", remove],
    ] as const;
    const evidence = steps.map(([name, probe]) => `${name}: ${describeProbe(probe)}`);
    const first = steps.find(([, probe]) => !probe.ok);
    if (first) return outcome("fail", expected, `${first[0]} failed: ${describeProbe(first[1])}`, evidence);
    return outcome("pass", expected, "write, read back and remove succeed", evidence);
  },
  remediation: 'Give the project write access in the profile: `"." = "write"` under `":project_roots"`.',
});
