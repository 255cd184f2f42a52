import { defineCheck, outcome } from "../../src/core/define-check.js";
import { approvalFix } from "../_in-effect.js";
import { refusedToStart, settingSource, tomlValue } from "../_shared.js";

export default defineCheck({
  id: "banner.approval",
  title: "Session approval is never",
  claim: (expect) =>
    `The session reports \`approval: ${expect.approval}\`. \`codex exec\` prints \`approval: never\` whatever the config says, so this resolves the approval the launch really used (launcher \`-c\` > profile file > config.toml) with the header as evidence; the interactive \`/status\` is checked by tui.permissions.`,
  needs: ["config", "exec"],
  run({ config, exec }, { expect }) {
    const expected = `approval_policy "${expect.approval}" in effect`;
    if (exec.refused) return refusedToStart(expected, exec.refused);
    const header = exec.header?.approval;
    const evidence = [
      header === undefined ? "exec header: no approval line" : `exec header: approval: ${header}`,
      "exec always prints approval: never; the interactive /status is the authority (tui.permissions)",
    ];
    const setting = settingSource(config, "approval_policy");
    const fix = approvalFix(config, expect.approval);
    if (!setting) {
      const observed = "approval_policy is not set in any layer (interactive sessions ask for approval)";
      return { ...outcome("fail", expected, observed, evidence), remediation: fix ?? undefined };
    }
    const resolved = `approval_policy = ${tomlValue(setting.value)} (${setting.source})`;
    if (setting.value !== expect.approval)
      return { ...outcome("fail", expected, resolved, evidence), remediation: fix ?? undefined };
    if (header !== undefined && header !== expect.approval) {
      return outcome("fail", expected, `exec header: approval: ${header}`, [resolved, ...evidence]);
    }
    return outcome("pass", expected, resolved, evidence);
  },
  remediation:
    'Set `approval_policy = "never"` where the launch reads it: in the profile file, or `-c approval_policy="never"` from the launcher.',
});
