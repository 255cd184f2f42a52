import { sep } from "node:path";
import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { CheckOutcome, ConfigFacts, CredentialFacts, Fact } from "../../src/core/model.js";
import type { LocalReport } from "../../src/runner/types.js";
import { observedFix, rule, rulesCovering } from "../_in-effect.js";
import { describeProbe } from "../_shared.js";

/** Refused by the sandbox (Codex binds a mode-000 placeholder), or hidden: not visible inside at all. */
const UNREADABLE = new Set<string | undefined>(["EACCES", "EPERM", "ENOENT"]);
const DENY = new Set<unknown>(["none", "deny"]);
const READABLE = new Set<unknown>(["read", "write"]);
const DENY_RULE = rule("~/.codex/auth.json", "none");

export default defineCheck({
  id: "fs.auth_json",
  title: "auth.json unreadable inside",
  claim: "`~/.codex/auth.json` cannot be opened inside the sandbox.",
  needs: ["runner", "credentials"],
  uses: ["launcher", "config"],
  run({ runner, credentials, launcher, config }, _ctx) {
    const verdict = authVerdict(runner, credentials);
    return observedFix(verdict, launcher, () => authRuleFix(config));
  },
  remediation: `Deny auth.json in the profile's filesystem table (\`${DENY_RULE}\`) with no rule that makes ~/.codex (or $CODEX_HOME) readable.`,
});

function authVerdict(runner: LocalReport, credentials: CredentialFacts[]): CheckOutcome {
  const expected =
    "opening the credentials file fails inside (EACCES/EPERM, or ENOENT: hidden) while it exists on the host";
  const failures: string[] = [];
  const untested: string[] = [];
  const evidence: string[] = [];
  for (const credential of credentials) {
    const probe = runner.authJson.find((entry) => entry.path === credential.path);
    const onHost = credential.onHost === "canary" ? "a temporary canary (no login yet)" : credential.onHost;
    evidence.push(
      `${credential.label} ${credential.path} on the host: ${onHost}; inside: ${describeProbe(probe?.open)}`,
    );
    if (credential.onHost === "missing") {
      untested.push(
        `${credential.path} does not exist on the host${credential.note ? ` (${credential.note})` : ""}`,
      );
    } else if (!probe) untested.push(`${credential.path} was not probed`);
    else if (probe.open.ok) failures.push(`${credential.path} opened inside the sandbox`);
    else if (!UNREADABLE.has(probe.open.code)) {
      untested.push(`${credential.path}: open failed for another reason (${describeProbe(probe.open)})`);
    }
  }
  if (failures.length > 0)
    return outcome("fail", expected, failures[0] as string, [...failures, ...evidence]);
  if (credentials.length === 0)
    return outcome("error", expected, "could not test: no credentials path known", []);
  if (untested.length > 0)
    return outcome("error", expected, `could not test: ${untested[0]}`, [...untested, ...evidence]);
  return outcome("pass", expected, "cannot be opened inside the sandbox", evidence);
}

/** The profile's rules as they are: the ones that make auth.json readable to drop, the deny rule to add if missing. */
function authRuleFix(config: Fact<ConfigFacts>): string | null {
  if (!config.ok) return null;
  const authJson = `${config.value.codexHome}${sep}auth.json`;
  const denied = rulesCovering(config, authJson, DENY).length > 0;
  const readable = rulesCovering(config, authJson, READABLE);
  const steps = readable.map(
    ([key, access]) => `drop \`${rule(key, access)}\` (it makes auth.json readable)`,
  );
  if (!denied) steps.push(`add \`${DENY_RULE}\``);
  return steps.length === 0 ? null : `In the profile's filesystem table, ${steps.join(" and ")}.`;
}
