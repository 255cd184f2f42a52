import { defineCheck, outcome } from "../../src/core/define-check.js";
import { approvalFix, sandboxFix } from "../_in-effect.js";
import { firstLines, refusedToStart } from "../_shared.js";

export default defineCheck({
  id: "tui.permissions",
  title: "Interactive /status shows workspace, network, never",
  claim: (expect) =>
    `The interactive session's \`/status\` shows \`(${expect.tuiPermissions})\` (the authority for approval: exec always prints never).`,
  needs: ["tui"],
  uses: ["launcher", "config"],
  owns: ["tui"],
  run({ tui, launcher, config }, { expect }) {
    const expected = `Permissions: … (${expect.tuiPermissions})`;
    if (tui.refused) return refusedToStart(expected, tui.refused);
    if (tui.permissions === null) {
      return outcome(
        "error",
        expected,
        "could not test: /status showed no Permissions line",
        firstLines(tui.statusScreen, 12),
      );
    }
    const line = `/status Permissions: ${tui.permissions}`;
    const shown = permissionsParenthesis(tui.permissions);
    // Half by half: the spacing around the comma is /status's layout, not a setting.
    if (sameAccess(shown, expect.tuiPermissions) && sameApproval(shown, expect.tuiPermissions))
      return outcome("pass", expected, tui.permissions, [line]);
    const failed = outcome("fail", expected, tui.permissions, [
      line,
      ...differences(shown, expect.tuiPermissions),
    ]);
    const fixes = [
      ...(sameAccess(shown, expect.tuiPermissions)
        ? []
        : // No parenthesis (Full Access) is no sandbox at all: the network switch does not explain it.
          [sandboxFix(launcher, config, shown !== null && !/network/.test(shown))]),
      ...(sameApproval(shown, expect.tuiPermissions)
        ? []
        : [config.ok ? approvalFix(config.value, expect.approval) : null]),
    ].filter((fix) => fix !== null);
    return fixes.length === 0 ? failed : { ...failed, remediation: fixes.join(" ") };
  },
  remediation:
    "Let the launcher select the permission profile (workspace with network access) and approval never for the interactive session too.",
});

const sameAccess = (shown: string | null, expected: string) =>
  shown !== null && split(shown)[0] === split(expected)[0];
const sameApproval = (shown: string | null, expected: string) =>
  shown !== null && split(shown)[1] === split(expected)[1];

/** `access, approval` → its two halves (the access may itself hold commas). */
function split(value: string): [string, string] {
  const comma = value.lastIndexOf(",");
  return comma < 0 ? [value, ""] : [value.slice(0, comma).trim(), value.slice(comma + 1).trim()];
}

/** Names which half differs: the access (e.g. network lost) or the approval (e.g. "Ask for approval"). */
function differences(shown: string | null, expected: string): string[] {
  if (shown === null)
    return ["no (access, approval) parenthesis: not a workspace sandbox with approval never"];
  const [access, approval] = split(shown);
  const [expectedAccess, expectedApproval] = split(expected);
  const notes: string[] = [];
  if (access !== expectedAccess) notes.push(`access: ${access}, expected ${expectedAccess}`);
  if (approval !== expectedApproval) notes.push(`approval: ${approval}, expected ${expectedApproval}`);
  return notes;
}

/** The parenthesis of `/status`'s Permissions value: `Profile x (workspace with network access, never)`. */
function permissionsParenthesis(permissions: string): string | null {
  return /\(([^()]*)\)\s*$/.exec(permissions)?.[1] ?? null;
}
