// What a fix may name: only what the setup really has. When the launcher passes a legacy sandbox flag, Codex
// enforces that instead of the permission profile, so a broken filesystem or network claim is fixed by removing
// the flag, not by a profile rule the profile already has (or never had). Otherwise a fix names the profile's rules
// as they are: the one to drop or change, or the one to add because it is missing.
import { dirname, sep } from "node:path";
import type { CheckOutcome, ConfigFacts, Fact, LauncherFacts } from "../src/core/model.js";
import { LEGACY_FLAGS } from "../src/gather/codex-argv.js";
import { isTable, lookup, settingSource, tomlValue } from "./_shared.js";

const LEGACY: ReadonlySet<string> = new Set(LEGACY_FLAGS);

/**
 * The legacy flags the exec launch passed (as the PATH shim recorded them), else those the launcher's text passes:
 * `--sandbox workspace-write`, `--dangerously-bypass-approvals-and-sandbox`, `-c sandbox_mode="…"`.
 */
function legacyFlagsPassed(launcher: Fact<LauncherFacts>): string[] {
  if (!launcher.ok) return [];
  const observed = launcher.value.observed.exec ?? launcher.value.observed.tui;
  if (observed) return observed.parsed.legacyFlags;
  return launcher.value.static.findings
    .filter((finding) => LEGACY.has(finding.flag))
    .map((finding) => `${finding.flag} (${launcher.value.path}:${finding.line})`);
}

/** The fix when a legacy flag replaced the profile: remove the flag (launcher.flags names where). Null otherwise. */
export function legacyFlagFix(launcher: Fact<LauncherFacts>): string | null {
  const flags = legacyFlagsPassed(launcher);
  if (flags.length === 0) return null;
  const list = flags.map((flag) => `\`${flag}\``).join(", ");
  return `Remove ${list} from the launcher (see launcher.flags): Codex enforces ${flags.length === 1 ? "it" : "them"} instead of the permission profile, whose rules then apply.`;
}

/**
 * A failed or warned outcome with the fix that follows from what was observed: the outcome's own, else the legacy
 * flag when one replaced the profile, else `ruleFix` (the profile's rules as they are), else the check's general
 * remediation.
 */
export function observedFix(
  verdict: CheckOutcome,
  launcher: Fact<LauncherFacts>,
  ruleFix: () => string | null,
): CheckOutcome {
  if (verdict.status !== "fail" && verdict.status !== "warn") return verdict;
  const remediation = verdict.remediation ?? legacyFlagFix(launcher) ?? ruleFix();
  return remediation === null ? verdict : { ...verdict, remediation };
}

/** The effective permission profile's filesystem table, or null when none is selected or it has none. */
export function filesystemRules(config: Fact<ConfigFacts>): Record<string, unknown> | null {
  if (!config.ok) return null;
  const name = config.value.effective.default_permissions;
  if (typeof name !== "string") return null;
  const table = lookup(config.value.effective, ["permissions", name, "filesystem"]);
  return isTable(table) ? table : null;
}

/** The project-relative table of the filesystem rules (`":workspace_roots"`, or its older `":project_roots"`). */
export function workspaceRules(rules: Record<string, unknown>): {
  key: string;
  table: Record<string, unknown>;
} {
  for (const key of [":workspace_roots", ":project_roots"]) {
    const table = rules[key];
    if (isTable(table)) return { key, table };
  }
  return { key: ":workspace_roots", table: {} };
}

/** `"key" = value`, as the profile spells the rule. */
export const rule = (key: string, value: unknown): string => `${JSON.stringify(key)} = ${tomlValue(value)}`;

/** A rule key that names `path` or a folder above it (`~` is the folder above a `~/.codex` Codex home). */
function covers(key: string, path: string, codexHome: string): boolean {
  if (key === ":root") return true;
  const home = codexHome.endsWith(`${sep}.codex`) ? dirname(codexHome) : null;
  const absolute = key === "~" ? home : key.startsWith("~/") && home ? `${home}${sep}${key.slice(2)}` : key;
  if (absolute === null || !absolute.startsWith(sep)) return false;
  const folder = absolute.endsWith(sep) ? absolute : `${absolute}${sep}`;
  return path === absolute || path.startsWith(folder);
}

/** The profile's filesystem rules that cover `path` with one of `accesses`, as `[key, access]`. */
export function rulesCovering(
  config: Fact<ConfigFacts>,
  path: string,
  accesses: ReadonlySet<unknown>,
): Array<[string, unknown]> {
  const rules = filesystemRules(config);
  if (rules === null || !config.ok) return [];
  const { codexHome } = config.value;
  return Object.entries(rules).filter(
    ([key, access]) => accesses.has(access) && covers(key, path, codexHome),
  );
}

/** The profile's network switch, when it is not on: `Set enabled = true under [permissions.<name>.network]`. */
export function networkOffFix(config: Fact<ConfigFacts>): string | null {
  if (!config.ok) return null;
  const name = config.value.effective.default_permissions;
  if (typeof name !== "string") return null;
  const enabled = lookup(config.value.effective, ["permissions", name, "network", "enabled"]);
  if (enabled === true) return null;
  const now = enabled === undefined ? "not set" : tomlValue(enabled);
  return `Set \`enabled = true\` under [permissions.${name}.network] (it is ${now}).`;
}

/**
 * What makes Codex enforce another sandbox than the profile, as the setup has it: a legacy flag, a `sandbox_mode`
 * setting, an `extends` of a built-in, a profile file that is missing, the profile's network switch. Null when the
 * setup shows none of them.
 */
export function sandboxFix(
  launcher: Fact<LauncherFacts>,
  config: Fact<ConfigFacts>,
  networkLost: boolean,
): string | null {
  const legacy = legacyFlagFix(launcher);
  if (legacy !== null || !config.ok) return legacy;
  const facts = config.value;
  if (!facts.profile.exists)
    return `Create ${facts.profile.path}: without it Codex ignores --profile and runs without the permission profile.`;
  const mode = settingSource(facts, "sandbox_mode");
  if (mode !== null)
    return `Remove \`sandbox_mode = ${tomlValue(mode.value)}\` (${mode.source}): it replaces the permission profile.`;
  const name = facts.effective.default_permissions;
  const extended =
    typeof name === "string" ? lookup(facts.effective, ["permissions", name, "extends"]) : undefined;
  if (extended !== undefined)
    return `Drop \`extends = ${tomlValue(extended)}\` from [permissions.${name as string}]: it adds the built-in's roots.`;
  return networkLost ? networkOffFix(config) : null;
}

/** The approval setting as the layers have it: the one to change, or one to set when no layer does. */
export function approvalFix(config: ConfigFacts, wanted: string): string | null {
  const setting = settingSource(config, "approval_policy");
  const value = JSON.stringify(wanted);
  if (setting === null)
    return `Set \`approval_policy = ${value}\` in the profile file (or pass \`-c approval_policy=${value}\` from the launcher).`;
  if (setting.value === wanted) return null;
  return `Change \`approval_policy = ${tomlValue(setting.value)}\` (${setting.source}) to ${value}.`;
}
