import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { CheckOutcome, ConfigFacts, Fact, SideEffectFacts } from "../../src/core/model.js";
import type { LocalReport } from "../../src/runner/types.js";
import { filesystemRules, observedFix, rule } from "../_in-effect.js";
import { describeProbe } from "../_shared.js";

const MINIMAL = rule(":minimal", "read");

export default defineCheck({
  id: "fs.home_ephemeral",
  title: "Writes under $HOME are discarded",
  claim: "Writes under `$HOME` appear to succeed inside but leave nothing on the host.",
  needs: ["runner", "sideEffects"],
  uses: ["launcher", "config"],
  run({ runner, sideEffects, launcher, config }, _ctx) {
    const verdict = homeVerdict(runner, sideEffects);
    return observedFix(verdict, launcher, () => homeRuleFix(verdict, config));
  },
  remediation: `Keep \`${MINIMAL}\` in the profile (/ is then an in-memory root where writes under $HOME land) and no rule that makes $HOME writable.`,
});

function homeVerdict(runner: LocalReport, sideEffects: SideEffectFacts): CheckOutcome {
  const { write, readBack } = runner.home;
  const expected = "a write under $HOME succeeds and reads back inside, and nothing of it reaches the host";
  const evidence = [`write: ${describeProbe(write)}`, `read back: ${describeProbe(readBack)}`];
  const persisted = sideEffects.persisted.find((entry) => entry.where === "home");
  if (persisted) {
    return outcome("fail", expected, `${persisted.path} persisted on the host`, [
      ...evidence,
      "$HOME is writable",
    ]);
  }
  if (!write.ok || !readBack.ok) {
    return outcome(
      "warn",
      expected,
      `write under $HOME failed inside (${describeProbe(write.ok ? readBack : write)})`,
      [...evidence, "writes under $HOME fail instead of landing in the in-memory root"],
    );
  }
  return outcome("pass", expected, "written inside, not on the host", evidence);
}

/**
 * A write that persisted: the profile's write rules (one of them covers $HOME). A write that failed: `:minimal`,
 * when the profile lacks it. Null when the profile shows neither (the general remediation then stands).
 */
function homeRuleFix(verdict: CheckOutcome, config: Fact<ConfigFacts>): string | null {
  const rules = filesystemRules(config);
  if (rules === null) return null;
  if (verdict.status === "fail") {
    const writable = Object.entries(rules).filter(
      ([key, access]) => access === "write" && !key.startsWith(":"),
    );
    if (writable.length === 0) return null;
    const list = writable.map(([key, access]) => `\`${rule(key, access)}\``).join(", ");
    return `Drop the write rule that covers $HOME from the profile's filesystem table (it has ${list}).`;
  }
  return rules[":minimal"] === "read" ? null : `Add \`${MINIMAL}\` to the profile's filesystem table.`;
}
