import { basename } from "node:path";
import type { PlannedRule } from "../../src/audit/rule-plan.js";
import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { SideEffectFacts } from "../../src/core/model.js";
import type { ProbeResult, RuleOutcome } from "../../src/runner/types.js";
import { legacyFlagFix } from "../_in-effect.js";
import { blockedByPermission, describeProbe } from "../_shared.js";

/** A failed probe's errno alone (the message repeats the path): every caller has seen the probe fail. */
const code = (probe: ProbeResult): string => probe.code ?? "failed";

/** Refused, or not mounted inside at all. */
const UNREADABLE = new Set<string | undefined>(["EACCES", "EPERM", "ENOENT"]);

/** `untested`: nothing on the host to try it on (said so); `unknown`: the probe's result tells neither way. */
type Verdict = { kind: "holds" | "broken" | "hazard" | "untested" | "unknown"; line: string };

const GLOB_HAZARD =
  "A deny glob covers only the files present when the session starts: a matching file made later is readable inside and reaches the host. Keep such files out of the writable project, or deny their folder by path instead of by glob.";

const landedOn = (sideEffects: SideEffectFacts, path: string) =>
  sideEffects.ruleWrites?.find((write) => write.path === path)?.landed ?? false;

function refusedOpens(reads: RuleOutcome["read"]): { opened: string[]; refused: string[]; odd: string[] } {
  const opened = reads.filter((r) => r.open.ok).map((r) => r.path);
  const refused = reads
    .filter((r) => !r.open.ok && UNREADABLE.has(r.open.code))
    .map((r) => `${basename(r.path)} ${r.open.code}`);
  const odd = reads
    .filter((r) => !r.open.ok && !UNREADABLE.has(r.open.code))
    .map((r) => `${r.path}: ${describeProbe(r.open)}`);
  return { opened, refused, odd };
}

function denyVerdict(outcome: RuleOutcome, sideEffects: SideEffectFacts): Verdict {
  const { opened, refused, odd } = refusedOpens(outcome.read);
  if (opened.length > 0) return { kind: "broken", line: `${opened.join(", ")} opened inside` };
  const created = outcome.create;
  const parts = [refused.length > 0 ? `refused: ${refused.join(", ")}` : null, ...odd];
  if (created?.write.ok && created.readBack.ok) {
    const through = landedOn(sideEffects, created.path) ? " and written through to the host" : "";
    const present = refused.length > 0 ? `present at launch refused (${refused.join(", ")}), but ` : "";
    return {
      kind: "hazard",
      line: `${present}${created.path}, created after launch, is readable inside${through}`,
    };
  }
  if (created)
    parts.push(
      `created after launch: ${created.write.ok ? `open ${code(created.readBack)}` : `not created (${code(created.write)})`}`,
    );
  if (refused.length === 0 && !created) return { kind: "unknown", line: `could not tell: ${odd.join("; ")}` };
  return { kind: "holds", line: `holds: ${parts.filter(Boolean).join("; ")}` };
}

function writeBlocked(probe: ProbeResult): boolean {
  return blockedByPermission(probe) || probe.code === "ENOENT";
}

function readVerdict(outcome: RuleOutcome, sideEffects: SideEffectFacts): Verdict {
  const unreadable = outcome.read.filter((r) => !r.open.ok);
  if (unreadable[0])
    return {
      kind: "broken",
      line: `${unreadable[0].path} cannot be opened inside (${code(unreadable[0].open)})`,
    };
  const { append, create } = outcome;
  if (append?.open.ok) return { kind: "broken", line: `${append.path} opens for writing inside` };
  if (create?.write.ok) {
    const through = landedOn(sideEffects, create.path) ? " and on the host" : "";
    return { kind: "broken", line: `${create.path} was created inside${through}` };
  }
  const write = append
    ? { path: append.path, probe: append.open }
    : create && { path: create.path, probe: create.write };
  if (!write) return { kind: "unknown", line: "could not tell whether it is writable: no file to try" };
  if (!writeBlocked(write.probe))
    return {
      kind: "unknown",
      line: `could not tell whether it is writable: ${write.path} ${code(write.probe)}`,
    };
  const opened = outcome.read.map((r) => basename(r.path));
  const readable = opened.length > 0 ? `${opened.join(", ")} readable; ` : "";
  return {
    kind: "holds",
    line: `holds: ${readable}${basename(write.path)} not writable (${write.probe.code})`,
  };
}

function writeVerdict(outcome: RuleOutcome, sideEffects: SideEffectFacts): Verdict {
  if (outcome.append) {
    return outcome.append.open.ok
      ? { kind: "holds", line: `holds: ${outcome.append.path} opens for writing` }
      : {
          kind: "broken",
          line: `${outcome.append.path} does not open for writing (${code(outcome.append.open)})`,
        };
  }
  const created = outcome.create;
  if (!created) return { kind: "untested", line: "nothing to test" };
  if (!created.write.ok)
    return { kind: "broken", line: `cannot write ${created.path} inside (${code(created.write)})` };
  if (!landedOn(sideEffects, created.path))
    return {
      kind: "broken",
      line: `${created.path} was written inside but is not on the host: the write went to a throw-away layer`,
    };
  return {
    kind: "holds",
    line: `holds: ${basename(created.path)} written inside and found on the host (removed)`,
  };
}

/** The fix for the entry that broke, by its access: only what that entry needs. */
const ENTRY_FIX: Record<PlannedRule["access"], string> = {
  none: "nothing more specific (a `read` or `write` entry, a `--add-dir`) may open what it denies; deny a secrets folder by its path",
  read: "it must not lie inside a writable root (a `--add-dir`, or a more specific `write` entry), and no `none` entry may hide it",
  write: "its folder must be one the sandboxed user can write, bound to the host (not a throw-away layer)",
};

function verdictOf(
  rule: PlannedRule,
  result: RuleOutcome | undefined,
  sideEffects: SideEffectFacts,
): Verdict {
  if (!rule.probe) return { kind: "untested", line: rule.note ?? "nothing to test" };
  if (!result) return { kind: "unknown", line: "not probed" };
  if (rule.access === "none") return denyVerdict(result, sideEffects);
  return rule.access === "read" ? readVerdict(result, sideEffects) : writeVerdict(result, sideEffects);
}

export default defineCheck({
  id: "fs.profile_rules",
  title: "Every profile entry holds",
  claim:
    "Every filesystem entry of the effective permission profile holds at runtime (`none` / `read` / `write`, globs included).",
  needs: ["runner", "profileRules", "sideEffects"],
  // A legacy flag in the launcher replaces the profile: then that is the fix, not the entry.
  uses: ["launcher"],
  run({ runner, profileRules, sideEffects, launcher }, _ctx) {
    const expected =
      "inside, a `none` entry cannot be opened (a deny glob: also a file made after launch), a `read` entry opens but not for writing, a `write` entry is writable and the write lands on the host";
    if (profileRules.profile === null)
      return outcome(
        "skip",
        expected,
        "no custom permission profile is in effect: no entries to prove (config.profile says why)",
      );
    const results = runner.rules;
    if (!results)
      return outcome("error", expected, "could not test: the runner did not try the profile's entries");
    let next = 0;
    const verdicts = profileRules.rules.map((rule) => {
      const verdict = verdictOf(rule, rule.probe ? results[next++] : undefined, sideEffects);
      return { rule, verdict, line: `${rule.text}: ${verdict.line}` };
    });
    const evidence = verdicts.map((v) => v.line);
    const broken = verdicts.find((v) => v.verdict.kind === "broken");
    if (broken) {
      const fix = `Make \`${broken.rule.text}\` hold: ${ENTRY_FIX[broken.rule.access]}.`;
      return {
        ...outcome("fail", expected, broken.line, evidence),
        remediation: legacyFlagFix(launcher) ?? fix,
      };
    }
    const hazard = verdicts.find((v) => v.verdict.kind === "hazard");
    if (hazard) return { ...outcome("warn", expected, hazard.line, evidence), remediation: GLOB_HAZARD };
    const unknown = verdicts.find((v) => v.verdict.kind === "unknown");
    if (unknown) return outcome("error", expected, `could not test: ${unknown.line}`, evidence);
    const held = verdicts.filter((v) => v.verdict.kind === "holds").length;
    if (held === 0)
      return outcome(
        "error",
        expected,
        "could not test any entry: nothing on the host to try them on",
        evidence,
      );
    const untested = verdicts.length - held;
    const rest = untested > 0 ? ` (${untested} with nothing to test)` : "";
    return outcome(
      "pass",
      expected,
      `${held} of ${verdicts.length} entries of [permissions.${profileRules.profile}] hold${rest}`,
      evidence,
    );
  },
  remediation:
    "Make each entry hold: a `read` entry must not lie inside a writable root (a `--add-dir`, or a more specific `write` entry), a `write` entry needs a folder the sandboxed user can write, and a deny glob covers only the files present at launch: deny a secrets folder by its path.",
});
