// Which config layer decides the sandbox, the approval, the permission profile and the network, what each layer
// asks for, and what the launches applied (decisions §25: the runtime outranks a static reading). Pure: the
// config layers as read, and the runtime facts (the runner's CODEX_PERMISSION_PROFILE, /status, the exec header,
// the network part's environment). Used by config.layers, config.profile and the report's target.
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
  /** Below the profile file (system, base): a start without --profile loads it and not the profile. */
  belowProfile: boolean;
  data: Record<string, unknown>;
}

const LEGACY_KEYS = ["sandbox_mode", "sandbox_workspace_write"];

/**
 * Whether the project's own `.codex/config.toml` is loaded, as Codex's config loader decides: the first of the
 * project, its project root and its main checkout (`trustRoots`) that has a `[projects."<dir>"] trust_level` decides,
 * so the project's own "untrusted" stands over a trusted repository. A trusted folder that is none of them (`~`)
 * trusts nothing below it.
 */
function projectTrusted(config: ConfigFacts): boolean {
  for (const dir of [config.project, ...config.trustRoots]) {
    const level = lookup(config.effective, ["projects", dir, "trust_level"]);
    if (level !== undefined) return level === "trusted";
  }
  return false;
}

const fileLayer = (file: ConfigFile, belowProfile: boolean): Layer[] =>
  file.data ? [{ label: file.path, belowProfile, data: file.data }] : [];

/** The layers Codex loads, lowest precedence first (requirements.toml constrains them apart). Without `-c` the
 * launcher's layer is empty and decides nothing. */
function loadedLayers(config: ConfigFacts): Layer[] {
  const [system, managed] = config.system;
  return [
    ...fileLayer(system, true),
    ...fileLayer(config.base, true),
    ...fileLayer(config.profile, false),
    ...(projectTrusted(config) ? fileLayer(config.projectOverride, false) : []),
    { label: "launcher -c", belowProfile: false, data: mergeConfig([], config.launcherOverrides) },
    ...fileLayer(managed, false),
  ];
}

function highest(layers: readonly Layer[], path: readonly string[]): { layer: Layer; value: unknown } | null {
  for (const layer of [...layers].reverse()) {
    const value = lookup(layer.data, path);
    if (value !== undefined) return { layer, value };
  }
  return null;
}

const requirementsOf = (config: ConfigFacts): Record<string, unknown> => config.system[2].data ?? {};

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
  const path = config.system[2].path;
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
  const plain = layer.belowProfile
    ? `a plain \`codex\` start (without --profile) would run the legacy sandbox instead of "${profile}", and `
    : "";
  return `${plain}${docs} (${key}: auth.json and the whole disk readable under workspace-write)`;
}

/**
 * The settings that disagree with what decides, each judged by what the launches ran (`applied`: the profile they
 * showed, its value null when they showed none in force; null when no launch showed either). A managed
 * `allowed_permission_profiles` makes Codex use permission profiles whatever the legacy keys say (the permissions
 * documentation), so under it the legacy keys are overridden without a launch to show it.
 */
function conflictsOf(
  config: ConfigFacts,
  layers: readonly Layer[],
  requested: ReturnType<typeof requestedSettings>,
  applied: { value: string | null } | null,
): LayerConflict[] {
  const conflicts: LayerConflict[] = [];
  const { user, value: forced, by } = requested.profile;
  const ran = (profile: string | null): boolean | null =>
    applied === null ? null : applied.value === profile;
  const notRan = (profile: string | null): boolean | null =>
    applied === null ? null : applied.value !== profile;
  const allowlist = isTable(requirementsOf(config).allowed_permission_profiles)
    ? config.system[2].path
    : null;
  if (user !== null) {
    if (forced !== user) {
      conflicts.push({
        setting: "permissionProfile",
        text: `${by} forces default_permissions = ${tomlValue(forced)}`,
        overridden: ran(user),
        hazard: `Codex runs "${forced}" instead of "${user}"`,
      });
    }
    for (const layer of layers) {
      for (const key of LEGACY_KEYS.filter((k) => layer.data[k] !== undefined)) {
        const value = isTable(layer.data[key]) ? "" : ` = ${tomlValue(layer.data[key])}`;
        const hazard = legacyHazard(layer, key, user);
        conflicts.push({
          setting: "sandbox",
          text: `${layer.label} sets ${key}${value}`,
          // The legacy sandbox is in force only where the launches ran no permission profile.
          overridden: allowlist !== null ? true : notRan(null),
          hazard:
            allowlist === null
              ? hazard
              : `ignored while ${allowlist}'s allowed_permission_profiles makes Codex use permission profiles; without it, ${hazard}`,
        });
      }
      const own = layer.data.default_permissions;
      if (typeof own === "string" && own !== user) {
        conflicts.push({
          setting: "permissionProfile",
          text: `${layer.label} sets default_permissions = ${tomlValue(own)}`,
          overridden: notRan(own),
          hazard: `where this layer decides (a start without ${layer.belowProfile ? "--profile" : "this layer above it"}), Codex runs "${own}" instead of "${user}"`,
        });
      }
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

/** `skipped`: why Codex does not load the file; null when it does. */
function layerLine(file: ConfigFile, skipped: string | null = null): string {
  const state = !file.exists
    ? "absent"
    : file.parseError
      ? `does not parse (line ${file.parseError.line})`
      : (skipped ?? "loaded");
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
  const [system, managed, requirements] = config.system;
  const launcher = config.launcherOverrides.map((o) => o.raw);
  return {
    layers: [
      layerLine(system),
      layerLine(config.base),
      layerLine(config.profile),
      layerLine(
        config.projectOverride,
        projectTrusted(config) ? null : "not loaded (the project is not trusted)",
      ),
      `launcher -c: ${launcher.length > 0 ? launcher.join(" ") : "none"}`,
      layerLine(managed),
      layerLine(requirements),
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
    conflicts: conflictsOf(config, layers, requested, profile),
  };
}
