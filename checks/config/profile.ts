import { join } from "node:path";
import { type LayerConflict, readLayerSettings } from "../../src/audit/settings.js";
import { defineCheck, outcome } from "../../src/core/define-check.js";
import { type ConfigFacts, type Expectations, notGathered } from "../../src/core/model.js";
import { rule } from "../_in-effect.js";
import { CONFIG_LAUNCHES, fileLineColumn, isTable, lookup, settingSource, tomlValue } from "../_shared.js";

const DENY = new Set(["none", "deny"]);
const WORKSPACE_ROOTS = [":workspace_roots", ":project_roots"];
/** Folders Codex keeps read-only in every writable root (codex-sandbox-lab §2.3). */
const AUTO_PROTECTED = new Set([".codex", ".git", ".agents", ".aws"]);

export default defineCheck({
  id: "config.profile",
  title: "Profile file declares the claimed permissions",
  claim:
    "The profile file exists, parses, declares the permissions the claims need, and grants write access to nothing outside the project (an extra writable root breaks the README's filesystem claim).",
  needs: ["config"],
  run({ config }, { expect }) {
    const expected = `${config.profile.path}: a [permissions] profile with :minimal read, auth.json denied, the project writable, ${expect.readonlyPaths.join(" and ")} read-only, network on, nothing else writable; approval_policy ${expect.approval}, web_search ${expect.webSearch}`;
    if (!config.profile.exists) {
      return {
        ...outcome("fail", `${config.profile.path} exists`, `${config.profile.path} does not exist`, [
          "Codex silently ignores --profile for a missing file and runs without the permission profile",
        ]),
        remediation: `Create ${config.profile.path} as the README shows (or make the launcher's --profile name the file that exists).`,
        explains: CONFIG_LAUNCHES,
      };
    }
    const parseErrors = [config.profile, config.base].map(fileLineColumn).filter((e) => e !== null);
    if (parseErrors.length > 0) {
      return {
        ...outcome("fail", `${config.profile.path} parses`, parseErrors[0] as string, parseErrors),
        remediation: "Correct the TOML at the line and column the parse error names.",
        explains: CONFIG_LAUNCHES,
      };
    }
    const legacy = legacySettings(config);
    const found = new Problems();
    permissionProblems(config, expect, found);
    settingProblems(config, expect, found);
    if (found.problems.length > 0) {
      const failed = outcome("fail", expected, found.problems[0] as string, found.problems);
      return { ...failed, remediation: found.remediation(config.profile.path) };
    }
    const name = config.effective.default_permissions as string;
    const overridden = legacy[0];
    if (overridden) {
      return {
        ...outcome(
          "warn",
          expected,
          `${overridden.text}: a legacy sandbox setting; config.layers judges from the launches whether it replaces the profile; latent: ${overridden.hazard}`,
          legacy.map((c) => `${c.text}: ${c.hazard}`),
        ),
        // Only the settings seen: each is named as the layer has it.
        remediation: `Remove what sets the legacy sandbox (${legacy.map((c) => c.text).join("; ")}): the permission profile alone should decide the sandbox.`,
      };
    }
    return outcome("pass", expected, `default_permissions = "${name}" declares the claimed permissions`, [
      config.profile.path,
      // A pass means permissionProblems found a filesystem table with ":minimal" in it.
      `[permissions.${name}]: ${describeFilesystem(lookup(config.effective, ["permissions", name, "filesystem"]) as Record<string, unknown>)}`,
    ]);
  },
  remediation:
    "Make the profile file define `default_permissions` and its `[permissions.<name>]` table as in the README (`:minimal` read, auth.json `none`, `.` write, the read-only folders `read`, network enabled) with no other `write` entry, no `extends` and no `sandbox_mode`.",
});

/** What is wrong, each with the change that fixes exactly that (a fix never names a rule the file lacks). */
class Problems {
  readonly problems: string[] = [];
  private readonly fixes: string[] = [];

  add(problem: string, fix: string): void {
    this.problems.push(problem);
    if (!this.fixes.includes(fix)) this.fixes.push(fix);
  }

  remediation(path: string): string {
    const steps = this.fixes.join("; ");
    return `${steps.charAt(0).toUpperCase()}${steps.slice(1)} (the profile file: ${path}).`;
  }
}

const DEFINE_PROFILE =
  "set `default_permissions` to a `[permissions.<name>]` table of your own, as the README shows";

/** The permission profile `default_permissions` selects, or null with the problem added. */
function selectedProfile(config: ConfigFacts, found: Problems): Record<string, unknown> | null {
  const name = config.effective.default_permissions;
  let problem: string | null = null;
  if (name === undefined)
    problem = "default_permissions is not set in any layer: no permission profile is active";
  else if (typeof name !== "string")
    problem = `default_permissions = ${tomlValue(name)} is not a profile name`;
  else if (name.startsWith(":"))
    problem = `default_permissions = "${name}" selects a built-in profile, not the README's`;
  if (problem !== null) {
    found.add(problem, DEFINE_PROFILE);
    return null;
  }
  const profile = lookup(config.effective, ["permissions", name as string]);
  if (isTable(profile)) return profile;
  found.add(
    `default_permissions = "${name}" but [permissions.${name}] is not defined`,
    `define [permissions.${name}] as the README shows`,
  );
  return null;
}

function permissionProblems(config: ConfigFacts, expect: Expectations, found: Problems): void {
  const profile = selectedProfile(config, found);
  if (profile === null) return;
  const name = config.effective.default_permissions as string;
  if (profile.extends !== undefined) {
    found.add(
      profile.extends === ":workspace"
        ? 'extends = ":workspace" adds writable /tmp and $TMPDIR and read access to the whole filesystem (:root)'
        : `extends = ${tomlValue(profile.extends)} replaces the profile's limits with a built-in's`,
      `drop \`extends = ${tomlValue(profile.extends)}\` from [permissions.${name}]`,
    );
  }
  const filesystem = isTable(profile.filesystem) ? profile.filesystem : {};
  if (filesystem[":minimal"] !== "read")
    found.add('filesystem lacks ":minimal" = "read"', minimalFix(filesystem));
  if (filesystem[":root"] !== undefined && filesystem[":root"] !== "none" && filesystem[":root"] !== "deny") {
    found.add(
      `filesystem is not limited to minimal runtime (":root" = ${tomlValue(filesystem[":root"])})`,
      `drop \`":root" = ${tomlValue(filesystem[":root"])}\``,
    );
  }
  const authFile = ["~/.codex/auth.json", join(config.codexHome, "auth.json")];
  const authKeys = [...authFile, "~/.codex", config.codexHome];
  if (!authKeys.some((key) => DENY.has(filesystem[key] as string))) {
    found.add(
      `auth.json is not denied: no "~/.codex/auth.json" = "none" (found ${authRules(filesystem)})`,
      authFix(filesystem, authFile),
    );
  }
  workspaceProblems(config, expect, filesystem, found);
  if (isTable(profile.workspace_roots) && Object.keys(profile.workspace_roots).length > 0) {
    const extra = Object.keys(profile.workspace_roots).join(", ");
    found.add(
      `[permissions.${name}.workspace_roots] adds writable roots outside the project: ${extra}`,
      `drop [permissions.${name}.workspace_roots]`,
    );
  }
  const enabled = lookup(profile, ["network", "enabled"]);
  if (enabled !== true) {
    found.add(
      `network.enabled = ${tomlValue(enabled ?? "not set")}, expected true`,
      `set \`enabled = true\` under [permissions.${name}.network]`,
    );
  }
}

/** The project's own entries: `.` writable, the read-only folders read, nothing else writable. */
function workspaceProblems(
  config: ConfigFacts,
  expect: Expectations,
  filesystem: Record<string, unknown>,
  found: Problems,
): void {
  const rootsKey = WORKSPACE_ROOTS.find((key) => isTable(filesystem[key]));
  const roots = rootsKey ? (filesystem[rootsKey] as Record<string, unknown>) : {};
  // A project path may be written relative to the workspace root or as an absolute path: both work in Codex
  // (join(project, ".") is the project itself).
  const accessOf = (relativePath: string) =>
    roots[relativePath] ?? filesystem[join(config.project, relativePath)];
  const table = JSON.stringify(rootsKey ?? ":workspace_roots");
  if (accessOf(".") !== "write")
    found.add(
      `${table} "." = ${tomlValue(accessOf(".") ?? "not set")}, expected "write"`,
      `set \`"." = "write"\` under ${table}`,
    );
  for (const path of expect.readonlyPaths) {
    const access = accessOf(path);
    // Codex mounts these read-only in every writable root by itself; only an explicit "write" undoes that.
    if (access === undefined && AUTO_PROTECTED.has(path)) continue;
    if (access !== "read") {
      found.add(
        `${table} "${path}" = ${tomlValue(access ?? "not set")}, expected "read"`,
        `set \`${JSON.stringify(path)} = "read"\` under ${table}`,
      );
    }
  }
  for (const [key, access] of Object.entries(filesystem)) {
    if (access === "write" && key !== config.project) {
      found.add(
        `"${key}" = "write" grants write access outside the project`,
        `drop \`${JSON.stringify(key)} = "write"\``,
      );
    }
  }
}

/**
 * Legacy sandbox settings in the layers Codex loads. Read statically they are a warning: whether one replaces the
 * profile is the launches' to show (decisions §25), which config.layers judges; this check stays launch-free.
 */
function legacySettings(config: ConfigFacts): LayerConflict[] {
  const unseen = notGathered("config.profile reads the files only");
  const runtime = { runner: unseen, tui: unseen, exec: unseen, network: unseen };
  return readLayerSettings(config, runtime).conflicts.filter((c) => c.setting === "sandbox");
}

function settingProblems(config: ConfigFacts, expect: Expectations, found: Problems): void {
  for (const [key, wanted] of [
    ["web_search", expect.webSearch],
    ["approval_policy", expect.approval],
  ] as const) {
    const setting = settingSource(config, key);
    if (setting?.value === wanted) continue;
    const now = setting ? `${tomlValue(setting.value)} (${setting.source})` : "not set";
    found.add(
      `${key} = ${now}, expected "${wanted}"`,
      setting ? `change \`${key}\` to "${wanted}" (${setting.source})` : `set \`${key} = "${wanted}"\``,
    );
  }
}

/** A second `":minimal"` key would not parse: the rule the table has is changed, a missing one added. */
function minimalFix(filesystem: Record<string, unknown>): string {
  const wanted = `\`${rule(":minimal", "read")}\``;
  const now = filesystem[":minimal"];
  return now === undefined
    ? `add ${wanted} to the filesystem table`
    : `change \`${rule(":minimal", now)}\` to ${wanted}`;
}

/** The auth.json rule the table has (by either spelling) is changed to "none"; without one, the deny is added. */
function authFix(filesystem: Record<string, unknown>, authFile: string[]): string {
  const key = authFile.find((candidate) => filesystem[candidate] !== undefined);
  if (key === undefined) return `add \`${rule("~/.codex/auth.json", "none")}\` to the filesystem table`;
  return `change \`${rule(key, filesystem[key])}\` to \`${rule(key, "none")}\``;
}

function authRules(filesystem: Record<string, unknown>): string {
  const rules = Object.entries(filesystem).filter(
    ([key]) => key.includes(".codex") || key.includes("auth.json"),
  );
  return rules.length === 0 ? "no rule for it" : rules.map(([k, v]) => `"${k}" = ${tomlValue(v)}`).join(", ");
}

function describeFilesystem(filesystem: Record<string, unknown>): string {
  return Object.entries(filesystem)
    .map(([key, value]) =>
      isTable(value)
        ? `"${key}" { ${Object.entries(value)
            .map(([k, v]) => `"${k}" = ${tomlValue(v)}`)
            .join(", ")} }`
        : `"${key}" = ${tomlValue(value)}`,
    )
    .join(", ");
}
