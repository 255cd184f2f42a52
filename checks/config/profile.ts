import { join } from "node:path";
import { type LayerConflict, readLayerSettings } from "../../src/audit/settings.js";
import { defineCheck, outcome } from "../../src/core/define-check.js";
import { type ConfigFacts, type Expectations, notGathered } from "../../src/core/model.js";
import { fileLineColumn, isTable, lookup, settingSource, tomlValue } from "../_shared.js";

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
      return outcome("fail", `${config.profile.path} exists`, `${config.profile.path} does not exist`, [
        "Codex silently ignores --profile for a missing file and runs without the permission profile",
      ]);
    }
    const parseErrors = [config.profile, config.base].map(fileLineColumn).filter((e) => e !== null);
    if (parseErrors.length > 0) {
      return outcome("fail", `${config.profile.path} parses`, parseErrors[0] as string, parseErrors);
    }
    const legacy = legacySettings(config);
    const problems = [...permissionProblems(config, expect), ...settingProblems(config, expect)];
    if (problems.length > 0) return outcome("fail", expected, problems[0] as string, problems);
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
        remediation:
          "Remove `sandbox_mode` and `[sandbox_workspace_write]` from every config file: the permission profile alone should decide the sandbox.",
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

function permissionProblems(config: ConfigFacts, expect: Expectations): string[] {
  const name = config.effective.default_permissions;
  if (name === undefined)
    return ["default_permissions is not set in any layer: no permission profile is active"];
  if (typeof name !== "string") return [`default_permissions = ${tomlValue(name)} is not a profile name`];
  if (name.startsWith(":"))
    return [`default_permissions = "${name}" selects a built-in profile, not the README's`];
  const profile = lookup(config.effective, ["permissions", name]);
  if (!isTable(profile)) return [`default_permissions = "${name}" but [permissions.${name}] is not defined`];

  const problems: string[] = [];
  if (profile.extends !== undefined) {
    problems.push(
      profile.extends === ":workspace"
        ? 'extends = ":workspace" adds writable /tmp and $TMPDIR and read access to the whole filesystem (:root)'
        : `extends = ${tomlValue(profile.extends)} replaces the profile's limits with a built-in's`,
    );
  }
  const filesystem = isTable(profile.filesystem) ? profile.filesystem : {};
  if (filesystem[":minimal"] !== "read") problems.push('filesystem lacks ":minimal" = "read"');
  if (filesystem[":root"] !== undefined && filesystem[":root"] !== "none" && filesystem[":root"] !== "deny") {
    problems.push(
      `filesystem is not limited to minimal runtime (":root" = ${tomlValue(filesystem[":root"])})`,
    );
  }
  const authKeys = ["~/.codex/auth.json", "~/.codex", join(config.codexHome, "auth.json"), config.codexHome];
  if (!authKeys.some((key) => DENY.has(filesystem[key] as string))) {
    problems.push(
      `auth.json is not denied: no "~/.codex/auth.json" = "none" (found ${authRules(filesystem)})`,
    );
  }
  const rootsKey = WORKSPACE_ROOTS.find((key) => isTable(filesystem[key]));
  const roots = rootsKey ? (filesystem[rootsKey] as Record<string, unknown>) : {};
  // A project path may be written relative to the workspace root or as an absolute path: both work in Codex
  // (join(project, ".") is the project itself).
  const accessOf = (relativePath: string) =>
    roots[relativePath] ?? filesystem[join(config.project, relativePath)];
  if (accessOf(".") !== "write")
    problems.push(`":workspace_roots" "." = ${tomlValue(accessOf(".") ?? "not set")}, expected "write"`);
  for (const path of expect.readonlyPaths) {
    const access = accessOf(path);
    // Codex mounts these read-only in every writable root by itself; only an explicit "write" undoes that.
    if (access === undefined && AUTO_PROTECTED.has(path)) continue;
    if (access !== "read") {
      problems.push(`":workspace_roots" "${path}" = ${tomlValue(access ?? "not set")}, expected "read"`);
    }
  }
  for (const [key, access] of Object.entries(filesystem)) {
    if (access === "write" && key !== config.project) {
      problems.push(`"${key}" = "write" grants write access outside the project`);
    }
  }
  if (isTable(profile.workspace_roots) && Object.keys(profile.workspace_roots).length > 0) {
    const extra = Object.keys(profile.workspace_roots).join(", ");
    problems.push(`[permissions.${name}.workspace_roots] adds writable roots outside the project: ${extra}`);
  }
  if (lookup(profile, ["network", "enabled"]) !== true) {
    problems.push(
      `network.enabled = ${tomlValue(lookup(profile, ["network", "enabled"]) ?? "not set")}, expected true`,
    );
  }
  return problems;
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

function settingProblems(config: ConfigFacts, expect: Expectations): string[] {
  const problems: string[] = [];
  const webSearch = settingSource(config, "web_search");
  if (webSearch?.value !== expect.webSearch) {
    problems.push(
      `web_search = ${webSearch ? `${tomlValue(webSearch.value)} (${webSearch.source})` : "not set"}, expected "${expect.webSearch}"`,
    );
  }
  const approval = settingSource(config, "approval_policy");
  if (approval?.value !== expect.approval) {
    problems.push(
      `approval_policy = ${approval ? `${tomlValue(approval.value)} (${approval.source})` : "not set"}, expected "${expect.approval}"`,
    );
  }
  return problems;
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
