import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { CheckOutcome, ConfigFacts, Fact, SideEffectFacts } from "../../src/core/model.js";
import type { LocalReport } from "../../src/runner/types.js";
import { observedFix, rule, rulesCovering } from "../_in-effect.js";
import { describeProbe, lookup } from "../_shared.js";

const READ = new Set<unknown>(["read", "write"]);
const WRITE = new Set<unknown>(["write"]);

export default defineCheck({
  id: "fs.outside_roots",
  title: "Nothing outside the roots readable or persistently writable",
  claim:
    "Paths outside the runtime and the project are unreadable or read-only, and nothing written persists.",
  needs: ["runner", "sideEffects"],
  uses: ["launcher", "config"],
  run({ runner, sideEffects, launcher, config }, _ctx) {
    const { verdict, readable, persisted } = outsideVerdict(runner, sideEffects);
    return observedFix(verdict, launcher, () => outsideRuleFix(config, readable, persisted));
  },
  remediation:
    'Limit the profile to `":minimal" = "read"` plus the project: no `":root"` access, no `extends`, and no `"write"` or `"read"` entry for a path outside the project that holds data.',
});

function outsideVerdict(runner: LocalReport, sideEffects: SideEffectFacts) {
  const expected =
    "the host's canaries outside the project cannot be opened, and writes outside leave nothing on the host";
  const { writes, reads } = runner.outside;
  const persisted = sideEffects.persisted
    .filter((entry) => entry.where === "outside")
    .map((entry) => entry.path);
  const readable = reads.filter(({ open }) => open.ok).map(({ path }) => path);
  if (writes.length === 0 && reads.length === 0) {
    // An error: no fix is asked of the rules, whatever the lists hold.
    const verdict = outcome("error", expected, "could not test: no outside paths were probed", []);
    return { verdict, readable, persisted };
  }
  const failures = [
    ...persisted.map((path) => `${path} persisted on the host`),
    ...readable.map((path) => `${path} readable inside the sandbox`),
  ];
  const evidence = [
    ...writes.map(({ dir, write }) => `write into ${dir}: ${describeProbe(write)}`),
    ...reads.map(({ path, open }) => `open ${path}: ${describeProbe(open)}`),
  ];
  const verdict: CheckOutcome =
    failures.length > 0
      ? outcome("fail", expected, failures[0] as string, [...failures, ...evidence])
      : outcome("pass", expected, "nothing outside readable or persisted", evidence);
  return { verdict, readable, persisted };
}

/** The profile's rules that let the failing paths through (and its `extends`), to drop; null when it has none. */
function outsideRuleFix(config: Fact<ConfigFacts>, readable: string[], persisted: string[]): string | null {
  const offending = new Map<string, string>();
  for (const path of readable)
    for (const [key, access] of rulesCovering(config, path, READ)) offending.set(key, rule(key, access));
  for (const path of persisted)
    for (const [key, access] of rulesCovering(config, path, WRITE)) offending.set(key, rule(key, access));
  const steps = [...offending.values()].map((text) => `\`${text}\``);
  const effective = config.ok ? config.value.effective : {};
  const name = effective.default_permissions;
  const extended = typeof name === "string" ? lookup(effective, ["permissions", name, "extends"]) : undefined;
  if (extended !== undefined) steps.push(`\`extends = ${JSON.stringify(extended)}\``);
  return steps.length === 0
    ? null
    : `Drop ${steps.join(", ")} from the permission profile: it opens paths outside the project.`;
}
