// Which config layer decides the sandbox, the approval, the permission profile and the network, what each layer
// asks for, and what the launches applied (decisions §25: the runtime outranks a static reading). Pure: the
// config layers as read, and the runtime facts (the runner's CODEX_PERMISSION_PROFILE, /status, the exec header,
// the network part's environment). Used by config.layers, config.profile and the report's target.
import { dirname } from "node:path";
import type { ConfigFacts, ConfigFile, Fact, NetworkFacts, TuiFacts } from "../core/model.js";
import { mergeConfig } from "../gather/config.js";
import type { LocalReport } from "../runner/types.js";
import { isTable, lookup, tomlValue } from "../util/toml.js";

export type SettingName = "sandbox" | "approval" | "permissionProfile" | "network";
export const SETTING_NAMES: readonly SettingName[] = ["sandbox", "approval", "permissionProfile", "network"];

export interface SettingReading {
  /** What the loaded layers ask for; null when none sets it. */
  requested: string | null;
  /** The layer whose value that is (the highest that sets it), or the requirement that forces it. */
  decidedBy: string | null;
  /** What the launches showed; null when no launch showed it. */
  applied: string | null;
  appliedFrom: string | null;
}

/** A setting that disagrees with what decides: legacy sandbox keys, a lower `default_permissions`, … */
export interface LayerConflict {
  setting: SettingName;
  /** `<file> sets sandbox_mode = "workspace-write"` */
  text: string;
  /** true: the launches show it overridden; false: it took effect; null: no launch showed either. */
  overridden: boolean | null;
  /** What it would do where it took effect (the latent hazard when overridden). */
  hazard: string;
}

export interface LayerReading {
  /** One line per layer, lowest precedence first: path, state, what it sets of the four settings. */
  layers: string[];
  settings: Record<SettingName, SettingReading>;
  conflicts: LayerConflict[];
}

export interface RuntimeFacts {
  runner: Fact<LocalReport>;
  tui: Fact<TuiFacts>;
  exec: Fact<{ header: Record<string, string> | null }>;
  network: Fact<NetworkFacts>;
}

interface Layer {
  label: string;
  kind: "system" | "base" | "profile" | "project" | "launcher" | "managed";
  data: Record<string, unknown>;
}

const LEGACY_KEYS = ["sandbox_mode", "sandbox_workspace_write"];

/** Whether the project's own `.codex/config.toml` is loaded: a `[projects."<dir>"] trust_level = "trusted"` for it or
 * a folder above it, in a user layer. */
function projectTrusted(config: ConfigFacts): boolean {
  const projects = config.effective.projects;
  if (!isTable(projects)) return false;
  for (let dir = config.project; ; dir = dirname(dir)) {
    if (lookup(projects, [dir, "trust_level"]) === "trusted") return true;
    if (dir === dirname(dir)) return false;
  }
}

const fileLayer = (file: ConfigFile, kind: Layer["kind"]): Layer[] =>
  file.data ? [{ label: file.path, kind, data: file.data }] : [];

/** The layers Codex loads, lowest precedence first (requirements.toml constrains them apart). */
function loadedLayers(config: ConfigFacts): Layer[] {
  const [system, managed] = config.system;
  const launcher = mergeConfig([], config.launcherOverrides);
  return [
    ...(system ? fileLayer(system, "system") : []),
    ...fileLayer(config.base, "base"),
    ...fileLayer(config.profile, "profile"),
    ...(projectTrusted(config) ? fileLayer(config.projectOverride, "project") : []),
    ...(config.launcherOverrides.length > 0
      ? [{ label: "launcher -c", kind: "launcher" as const, data: launcher }]
      : []),
    ...(managed ? fileLayer(managed, "managed") : []),
  ];
}

function highest(layers: readonly Layer[], path: readonly string[]): { layer: Layer; value: unknown } | null {
  for (const layer of [...layers].reverse()) {
    const value = lookup(layer.data, path);
    if (value !== undefined) return { layer, value };
  }
  return null;
}

const requirementsOf = (config: ConfigFacts): Record<string, unknown> => config.system[2]?.data ?? {};

/** The profile after requirements.toml: a closed `allowed_permission_profiles` that leaves the requested one out
 * makes Codex use the requirements' `default_permissions`. */
function requestedProfile(
  config: ConfigFacts,
  layers: readonly Layer[],
): { value: string | null; by: string | null; user: string | null } {
  const found = highest(layers, ["default_permissions"]);
  const value = typeof found?.value === "string" ? found.value : null;
  const requirements = requirementsOf(config);
  const allowed = requirements.allowed_permission_profiles;
  const forced = requirements.default_permissions;
  const path = config.system[2]?.path ?? "requirements.toml";
  if (isTable(allowed) && value !== null && allowed[value] !== true && typeof forced === "string")
    return { value: forced, by: `${path} (allowed_permission_profiles leaves "${value}" out)`, user: value };
  if (value === null && typeof forced === "string") return { value: forced, by: path, user: null };
  return { value, by: found?.layer.label ?? null, user: value };
}

/** The profile the launches ran: the runner's CODEX_PERMISSION_PROFILE (null: none), else /status's `Profile <name>`. */
function appliedProfile(runtime: RuntimeFacts): { value: string | null; from: string } | null {
  const reported = runtime.runner.ok ? runtime.runner.value.permissionProfile : undefined;
  if (reported !== undefined) return { value: reported, from: "CODEX_PERMISSION_PROFILE inside the sandbox" };
  const status = runtime.tui.ok ? runtime.tui.value.permissions : null;
  const named = status ? /^Profile (\S+) \(/.exec(status)?.[1] : undefined;
  return named ? { value: named, from: "/status" } : null;
}

function appliedApproval(runtime: RuntimeFacts): { value: string; from: string } | null {
  const status = runtime.tui.ok ? runtime.tui.value.permissions : null;
  const parenthesis = status ? /\(([^()]*)\)\s*$/.exec(status)?.[1] : undefined;
  if (parenthesis !== undefined)
    return { value: parenthesis.slice(parenthesis.lastIndexOf(",") + 1).trim(), from: "/status" };
  const header = runtime.exec.ok ? runtime.exec.value.header?.approval : undefined;
  return header ? { value: header, from: "exec header (exec always reports never)" } : null;
}

function appliedNetwork(runtime: RuntimeFacts): { value: string; from: string } | null {
  const environment = runtime.network.ok ? runtime.network.value.report.environment : null;
  if (environment) {
    if (environment.codexProxyActive)
      return { value: "enabled, Codex's managed proxy", from: "the runner's environment" };
    return {
      value: environment.inetSocket === "EPERM" ? "disabled" : "enabled",
      from: "the runner's sockets",
    };
  }
  const sandbox = runtime.exec.ok ? runtime.exec.value.header?.sandbox : undefined;
  if (sandbox === undefined) return null;
  return { value: sandbox.includes("network access enabled") ? "enabled" : "disabled", from: "exec header" };
}

const reading = (
  requested: { value: string | null; by: string | null },
  applied: { value: string | null; from: string } | null,
): SettingReading => ({
  requested: requested.value,
  decidedBy: requested.by,
  applied: applied?.value ?? null,
  appliedFrom: applied?.from ?? null,
});

function requestedNetwork(config: ConfigFacts, layers: readonly Layer[], profile: string | null) {
  const proxy = lookup(config.effective, ["features", "network_proxy"]);
  const proxyOn = (isTable(proxy) ? proxy.enabled : proxy) === true;
  const path = profile
    ? ["permissions", profile, "network", "enabled"]
    : ["sandbox_workspace_write", "network_access"];
  const found = highest(layers, path);
  if (!found) return { value: null, by: null };
  const enabled = found.value === true;
  return {
    value: enabled ? (proxyOn ? "enabled, Codex's managed proxy" : "enabled") : "disabled",
    by: found.layer.label,
  };
}

function requestedSettings(config: ConfigFacts, layers: readonly Layer[]) {
  const profile = requestedProfile(config, layers);
  const legacy = highest(layers, ["sandbox_mode"]);
  const sandbox = profile.value
    ? { value: `permission profile "${profile.value}"`, by: profile.by }
    : legacy
      ? { value: `sandbox_mode ${tomlValue(legacy.value)}`, by: legacy.layer.label }
      : { value: null, by: null };
  const approval = highest(layers, ["approval_policy"]);
  return {
    profile,
    sandbox,
    approval: { value: approval ? String(approval.value) : null, by: approval?.layer.label ?? null },
    network: requestedNetwork(config, layers, profile.value),
  };
}

/** What a legacy sandbox key in this layer would do where it took effect. */
function legacyHazard(layer: Layer, key: string, profile: string): string {
  const docs =
    "the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile";
  const plain =
    layer.kind === "base" || layer.kind === "system"
      ? `a plain \`codex\` start (without --profile) would run the legacy sandbox instead of "${profile}", and `
      : "";
  return `${plain}${docs} (${key}: auth.json and the whole disk readable under workspace-write)`;
}

function conflictsOf(
  layers: readonly Layer[],
  requested: ReturnType<typeof requestedSettings>,
  profileApplied: boolean | null,
): LayerConflict[] {
  const conflicts: LayerConflict[] = [];
  const { user, value: forced, by } = requested.profile;
  if (user !== null && forced !== user) {
    conflicts.push({
      setting: "permissionProfile",
      text: `${by} forces default_permissions = ${tomlValue(forced)}`,
      overridden: profileApplied,
      hazard: `Codex runs "${forced}" instead of "${user}"`,
    });
  }
  const profile = user;
  for (const layer of profile === null ? [] : layers) {
    for (const key of LEGACY_KEYS.filter((k) => layer.data[k] !== undefined)) {
      const value = isTable(layer.data[key]) ? "" : ` = ${tomlValue(layer.data[key])}`;
      conflicts.push({
        setting: "sandbox",
        text: `${layer.label} sets ${key}${value}`,
        overridden: profileApplied,
        hazard: legacyHazard(layer, key, profile as string),
      });
    }
    const own = layer.data.default_permissions;
    if (typeof own === "string" && own !== profile) {
      conflicts.push({
        setting: "permissionProfile",
        text: `${layer.label} sets default_permissions = ${tomlValue(own)}`,
        overridden: profileApplied,
        hazard: `where this layer decides (a start without ${layer.kind === "base" || layer.kind === "system" ? "--profile" : "this layer above it"}), Codex runs "${own}" instead of "${profile}"`,
      });
    }
  }
  for (const layer of layers.filter((l) => isTable(l.data.network_proxy))) {
    conflicts.push({
      setting: "network",
      text: `${layer.label} has a legacy [network_proxy] table`,
      overridden: true,
      hazard:
        "Codex ignores it: no proxy filters the network because of it (the managed proxy is [features] network_proxy with the profile's network table)",
    });
  }
  return conflicts;
}

function layerLine(file: ConfigFile, loaded: boolean, note: string): string {
  const state = !file.exists
    ? "absent"
    : file.parseError
      ? `does not parse (line ${file.parseError.line})`
      : loaded
        ? "loaded"
        : note;
  const keys = [
    "default_permissions",
    "sandbox_mode",
    "sandbox_workspace_write",
    "approval_policy",
    "network_proxy",
  ];
  const sets = keys.filter((key) => file.data?.[key] !== undefined);
  const profiles = isTable(file.data?.permissions)
    ? [`[permissions.${Object.keys(file.data.permissions).join("|")}]`]
    : [];
  const what = [...sets, ...profiles];
  return `${file.path}: ${state}${what.length > 0 && file.exists ? `; sets ${what.join(", ")}` : ""}`;
}

/** The layers as read, what decides each setting, what the launches applied, and the conflicts judged by them. */
export function readLayerSettings(config: ConfigFacts, runtime: RuntimeFacts): LayerReading {
  const layers = loadedLayers(config);
  const requested = requestedSettings(config, layers);
  const profile = appliedProfile(runtime);
  // Whether the user's own profile (the one their files ask for) is what ran.
  const wanted = requested.profile.user;
  const profileApplied = profile === null || wanted === null ? null : profile.value === wanted;
  const [system, managed, requirements] = config.system;
  const trusted = projectTrusted(config);
  const launcher = config.launcherOverrides.map((o) => o.raw);
  return {
    layers: [
      ...(system ? [layerLine(system, true, "")] : []),
      layerLine(config.base, true, ""),
      layerLine(config.profile, true, ""),
      layerLine(config.projectOverride, trusted, "not loaded (the project is not trusted)"),
      `launcher -c: ${launcher.length > 0 ? launcher.join(" ") : "none"}`,
      ...(managed ? [layerLine(managed, true, "")] : []),
      ...(requirements ? [layerLine(requirements, true, "")] : []),
    ],
    settings: {
      sandbox: reading(
        requested.sandbox,
        runtime.exec.ok && runtime.exec.value.header?.sandbox
          ? { value: runtime.exec.value.header.sandbox, from: "exec header" }
          : null,
      ),
      approval: reading(requested.approval, appliedApproval(runtime)),
      permissionProfile: reading(requested.profile, profile),
      network: reading(requested.network, appliedNetwork(runtime)),
    },
    conflicts: conflictsOf(layers, requested, profileApplied),
  };
}
