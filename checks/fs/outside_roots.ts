import { defineCheck, outcome } from "../../src/core/define-check.js";
import { describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.outside_roots",
  title: "Nothing outside the roots readable or persistently writable",
  claim:
    "Paths outside the runtime and the project are unreadable or read-only, and nothing written persists.",
  needs: ["runner", "sideEffects"],
  run({ runner, sideEffects }, _ctx) {
    const expected =
      "the host's canaries outside the project cannot be opened, and writes outside leave nothing on the host";
    const { writes, reads } = runner.outside;
    if (writes.length === 0 && reads.length === 0) {
      return outcome("error", expected, "could not test: no outside paths were probed", []);
    }
    const persisted = sideEffects.persisted
      .filter((entry) => entry.where === "outside")
      .map((entry) => entry.path);
    const failures = persisted.map((path) => `${path} persisted on the host`);
    const evidence = writes.map(({ dir, write }) => `write into ${dir}: ${describeProbe(write)}`);
    for (const { path, open } of reads) {
      evidence.push(`open ${path}: ${describeProbe(open)}`);
      if (open.ok) failures.push(`${path} readable inside the sandbox`);
    }
    if (failures.length > 0)
      return outcome("fail", expected, failures[0] as string, [...failures, ...evidence]);
    return outcome("pass", expected, "nothing outside readable or persisted", evidence);
  },
  remediation:
    'Limit the profile to `":minimal" = "read"` plus the project: remove `":root"`, `extends`, `--add-dir` and extra `"write"`/`"read"` entries for paths outside the project.',
});
