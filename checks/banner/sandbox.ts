import { defineCheck, outcome } from "../../src/core/define-check.js";
import { sandboxFix } from "../_in-effect.js";
import { refusedToStart } from "../_shared.js";

export default defineCheck({
  id: "banner.sandbox",
  title: "Exec header shows the profile's sandbox",
  claim: (expect) => `The exec startup header reports \`sandbox: ${expect.sandboxHeader}\`.`,
  needs: ["exec"],
  uses: ["launcher", "config"],
  owns: ["exec"],
  run({ exec, launcher, config }, { expect }) {
    const expected = `sandbox: ${expect.sandboxHeader}`;
    if (exec.refused) return refusedToStart(expected, exec.refused);
    const sandbox = exec.header?.sandbox;
    if (sandbox === undefined) {
      return outcome(
        "error",
        expected,
        "could not test: exec printed no startup header",
        exec.stderrTail.slice(-5),
      );
    }
    const line = `sandbox: ${sandbox}`;
    if (sandbox === expect.sandboxHeader) return outcome("pass", expected, line, [line]);
    const failed = outcome("fail", expected, line, [line, ...explain(sandbox, expect.sandboxHeader)]);
    const networkLost = !sandbox.includes("network access enabled");
    const fix = sandboxFix(launcher, config, networkLost);
    // No fix found in the setup: the general one (the engine's, for an absent remediation).
    return { ...failed, remediation: fix ?? undefined };
  },
  remediation:
    "Let the permission profile decide the sandbox: no legacy sandbox flag or `sandbox_mode` setting, no `extends` of a built-in, no extra writable root, and its network switched on.",
});

/** What a header variant means (codex-sandbox-lab §5.1), so the runtime effect is clear from the report. */
function explain(sandbox: string, expected: string): string[] {
  const reasons: string[] = [];
  if (sandbox.startsWith("danger-full-access"))
    reasons.push("no sandbox at all: everything readable and writable");
  else if (sandbox.startsWith("read-only")) {
    reasons.push("the profile is not applied (a misspelt or missing --profile falls back to read-only)");
  } else if (sandbox.includes("/tmp") || sandbox.includes("$TMPDIR")) {
    reasons.push(
      "legacy workspace-write (or extends :workspace) replaced the profile: /tmp and $TMPDIR writable",
    );
  } else if (/\[workdir, /.test(sandbox))
    reasons.push("extra writable roots beyond the project (--add-dir or write entries)");
  if (expected.includes("network access enabled") && !sandbox.includes("network access enabled")) {
    reasons.push("network access is off");
  }
  return reasons;
}
