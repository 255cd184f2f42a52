import { defineCheck, outcome } from "../../src/define-check.js";
import { describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.project_write",
  title: "Project writable",
  claim: "The project is writable inside the sandbox (positive control).",
  needs: ["runner", "sideEffects"],
  run({ runner, sideEffects }, _ctx) {
    const { write, readBack, remove, marker } = runner.project;
    const expected = "write, read back and remove a file in the project";
    const evidence = [
      `write ${marker}: ${describeProbe(write)}`,
      `read back: ${describeProbe(readBack)}`,
      `remove: ${describeProbe(remove)}`,
    ];
    if (sideEffects.projectMarkerLeft) evidence.push("the marker was left in the project");
    const failed = [
      ["write", write],
      ["read back", readBack],
      ["remove", remove],
    ] as const;
    const first = failed.find(([, probe]) => !probe.ok);
    if (first) return outcome("fail", expected, `${first[0]} failed: ${describeProbe(first[1])}`, evidence);
    return outcome("pass", expected, "write, read back and remove succeed", evidence);
  },
  remediation: 'Give the project write access in the profile: `"." = "write"` under `":workspace_roots"`.',
});
