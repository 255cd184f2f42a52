import { defineCheck, outcome } from "../../src/define-check.js";
import { describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.outside_roots",
  title: "Nothing outside the roots readable or persistently writable",
  claim:
    "Paths outside the runtime and the project are unreadable or read-only, and nothing written persists.",
  needs: ["runner", "sideEffects"],
  run({ runner, sideEffects }, _ctx) {
    const expected = "outside canaries unreadable, outside writes leave nothing on the host";
    const { writes, reads } = runner.outside;
    if (writes.length === 0 && reads.length === 0) {
      return outcome("error", expected, "could not test: no outside paths were probed", []);
    }
    const failures: string[] = [];
    const evidence: string[] = [];
    for (const { dir, write, marker } of writes) {
      const persisted = sideEffects.persisted.includes(marker);
      evidence.push(
        `write ${dir}: ${describeProbe(write)}${write.ok ? (persisted ? ", persisted" : ", not persisted") : ""}`,
      );
      if (persisted) failures.push(`${marker} persisted on the host`);
    }
    for (const { path, open } of reads) {
      evidence.push(`read ${path}: ${describeProbe(open)}`);
      if (open.ok) failures.push(`${path} readable inside the sandbox`);
    }
    if (failures.length > 0)
      return outcome("fail", expected, failures[0] as string, [...failures, ...evidence]);
    return outcome("pass", expected, "nothing outside readable or persisted", evidence);
  },
  remediation:
    'Limit the profile to `":minimal" = "read"` plus the project: remove `":root"`, `extends`, `--add-dir` and extra `"write"`/`"read"` entries for paths outside the project.',
});
