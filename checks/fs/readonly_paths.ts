import { defineCheck, outcome } from "../../src/define-check.js";
import { blockedByPermission, describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.readonly_paths",
  title: "Read-only folders in the project",
  claim: (expect) =>
    `${expect.readonlyPaths.map((path) => `\`${path}\``).join(" and ")} in the project are read-only.`,
  needs: ["runner", "sideEffects"],
  run({ runner, sideEffects }, { expect }) {
    const expected = `writing into ${expect.readonlyPaths.join(", ")} fails with EROFS/EACCES/EPERM, and nothing reaches the host`;
    const failures: string[] = [];
    const unknown: string[] = [];
    const absent: string[] = [];
    const evidence: string[] = [];
    for (const path of expect.readonlyPaths) {
      const probe = runner.readonlyPaths.find((entry) => entry.path === path);
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
    const context = [
      ...sideEffects.restored.map((entry) => `host restored: ${entry}`),
      ...sideEffects.leftAlone.map((entry) => `left alone: ${entry}`),
    ];
    if (failures.length > 0)
      return outcome("fail", expected, failures[0] as string, [...failures, ...evidence, ...context]);
    if (unknown.length > 0)
      return outcome("error", expected, `could not test: ${unknown[0]}`, [...unknown, ...evidence]);
    if (absent.length > 0)
      return outcome("warn", expected, `${absent.join(", ")} not present in the project`, evidence);
    return outcome("pass", expected, "all read-only", [...evidence, ...context]);
  },
  remediation:
    'Mark each folder `"<folder>" = "read"` under `":project_roots"` in the profile, never `"write"`.',
});
