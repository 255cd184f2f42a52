import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { LaunchKind } from "../../src/core/model.js";
import type { LintFinding } from "../../src/gather/launcher-static.js";

/** Flags and settings that replace the permission profile (codex-sandbox-lab §2.5, §5.1). */
const LEGACY = new Set<string>([
  "--sandbox",
  "-s",
  "--full-auto",
  "--dangerously-bypass-approvals-and-sandbox",
  "--approve-for-me",
  "--add-dir",
  "-c sandbox_mode",
  "-c sandbox_workspace_write",
]);
/** `-c` keys the harness itself appends (mock provider, TUI trust), not the launcher's. */
const HARNESS_KEY = /^(model_provider|model_providers|model|projects)(\.|$)/;

export default defineCheck({
  id: "launcher.flags",
  title: "Launcher selects the profile, no legacy flags",
  claim: (expect) =>
    `The launcher selects the profile ${expect.profile} and passes no legacy \`--sandbox\`/\`-s\`, \`--full-auto\` or \`--dangerously-bypass-approvals-and-sandbox\` (nor \`--add-dir\`, \`-c sandbox_mode=…\` or a \`-c default_permissions=…\` that replaces the profile's).`,
  needs: ["launcher", "config"],
  run({ launcher, config }, { expect }) {
    const expected = `--profile ${expect.profile}, no legacy sandbox flags`;
    const statics = launcher.static;
    const where = (line: number, text: string) => `${launcher.path}:${line}: ${text}`;
    const fileDefault = config.profile.data?.default_permissions ?? config.base.data?.default_permissions;
    // A `-c default_permissions=…` naming another permissions profile than the config files select.
    const replacesProfile = (raw: string) => {
      const eq = raw.indexOf("=");
      if (eq === -1 || raw.slice(0, eq).trim() !== "default_permissions") return false;
      return unquoted(raw.slice(eq + 1)) !== fileDefault;
    };

    const problems: string[] = [];
    const evidence: string[] = [];
    const observed = (["exec", "tui", "mcp"] as LaunchKind[]).flatMap((kind) => {
      const launch = launcher.observed[kind];
      return launch ? [{ kind, parsed: launch.parsed }] : [];
    });
    if (observed.length > 0) {
      for (const { kind, parsed } of observed) {
        const legacy = [
          ...parsed.legacyFlags,
          ...parsed.overrides.filter((o) => replacesProfile(o.raw)).map((o) => `-c ${o.raw}`),
        ];
        const launcherOverrides = parsed.overrides.filter((o) => !HARNESS_KEY.test(o.key)).length;
        evidence.push(
          `${kind} argv: --profile ${parsed.profile ?? "(none)"}, ${launcherOverrides} -c overrides, legacy flags: ${legacy.join(" ") || "none"}`,
        );
        problems.push(...profileProblems(parsed.profile, expect.profile, `${kind} launch`));
        problems.push(...legacy.map((flag) => `${kind} launch passes ${flag}`));
      }
    } else {
      evidence.push("no launch was observed: read statically");
      problems.push(...profileProblems(statics.profile, expect.profile, "launcher"));
      for (const o of statics.overrides) {
        if (replacesProfile(o.raw)) problems.push(`launcher passes -c ${o.raw} (line ${o.line})`);
      }
    }

    const staticLegacy = statics.findings.filter((f) => LEGACY.has(f.flag));
    for (const finding of statics.findings) evidence.push(where(finding.line, finding.text));
    if (observed.length === 0) {
      problems.push(...staticLegacy.map((f) => `launcher passes ${f.flag} (line ${f.line})`));
    }
    if (problems.length > 0) {
      const failed = outcome("fail", expected, problems[0] as string, [...problems, ...evidence]);
      return { ...failed, remediation: launcherFix(problems, statics.findings, expect.profile) };
    }
    if (staticLegacy.length > 0) {
      // The observed launches were clean, but another path through the launcher passes a legacy flag.
      const first = staticLegacy[0] as { line: number; flag: string };
      return outcome(
        "warn",
        expected,
        `${first.flag} on line ${first.line}, not used by the observed launches`,
        evidence,
      );
    }
    return outcome("pass", expected, `--profile ${expect.profile}, no legacy flags`, evidence);
  },
  remediation:
    "Pass `--profile <name>` in the launcher and remove `--sandbox`/`-s`, `--full-auto`, `--dangerously-bypass-approvals-and-sandbox`, `--add-dir` and `-c sandbox_mode=…`: they replace the permission profile.",
});

/**
 * The fix for what the launches passed: each flag or `-c` to remove (with its line where the text shows it), and the
 * `--profile` to pass or correct. Only what was found is named.
 */
function launcherFix(problems: string[], findings: LintFinding[], profile: string): string {
  const removals = new Set<string>();
  const steps: string[] = [];
  for (const problem of problems) {
    const passed = / passes (.+?)(?: \(line \d+\))?$/.exec(problem)?.[1];
    if (passed !== undefined) {
      const lines = findings.filter((f) => passed.startsWith(f.flag)).map((f) => f.line);
      removals.add(`\`${passed}\`${lines.length > 0 ? ` (line ${lines.join(", ")})` : ""}`);
    } else if (/selects no profile/.test(problem)) steps.push(`pass \`--profile ${profile}\``);
    // The only other problem: a launch that selects another profile.
    else steps.push(`select \`--profile ${profile}\` (${problem})`);
  }
  if (removals.size > 0)
    steps.unshift(
      `remove ${[...removals].join(", ")}: ${removals.size === 1 ? "it replaces" : "they replace"} the permission profile`,
    );
  const text = [...new Set(steps)].join("; ");
  return `In the launcher, ${text}.`;
}

function profileProblems(profile: string | null, expected: string, who: string): string[] {
  if (profile === null)
    return [`${who} selects no profile (Codex then runs with sandbox read-only, or without the profile)`];
  if (profile !== expected) return [`${who} selects profile ${profile}, expected ${expected}`];
  return [];
}

/** A `-c` value as text: `"x"` and `'x'` → `x` (TOML strings as launchers write them). */
function unquoted(value: string): string {
  const trimmed = value.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}
