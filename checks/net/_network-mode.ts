// How the sandbox reaches the network, as evidence for the net checks: what a command saw inside (Codex's managed
// proxy, another proxy, direct, or no sockets at all) and what the config layers ask for (the `network_proxy`
// feature and the profile's network table). Reading both tells a proxy that is on from one that was meant to be.
// Facts behind the wording: reference/network-proxy.md (variables, the MITM CA bundle, the feature's spellings).
import {
  type ConfigFacts,
  type Fact,
  type LauncherFacts,
  type NetworkFacts,
  NOTE_PREFIX,
} from "../../src/core/model.js";
import type { NetEnvironment } from "../../src/runner/net-types.js";
import { isTable, lookup } from "../_shared.js";
import { CODEX_CA_BUNDLE } from "./_classify.js";

const FEATURE = "network_proxy";

/** Where the managed proxy's feature flag is set, highest precedence first; null when no layer sets it. */
interface FeatureSetting {
  on: boolean;
  source: string;
}

/** `--enable network_proxy` / `--disable network_proxy` (also `=`-attached) in the argv the launcher passed. */
function flagSetting(launcher: Fact<LauncherFacts>): FeatureSetting | null {
  if (!launcher.ok) return null;
  const launch = launcher.value.observed.exec ?? launcher.value.observed.tui;
  if (!launch) return null;
  const argv = launch.argv;
  let found: FeatureSetting | null = null;
  for (const [index, arg] of argv.entries()) {
    const [flag, attached] = arg.split("=", 2);
    if (flag !== "--enable" && flag !== "--disable") continue;
    // The last one wins, as with any repeated option.
    if ((attached ?? argv[index + 1]) === FEATURE)
      found = { on: flag === "--enable", source: `launcher ${flag}` };
  }
  return found;
}

/** `[features] network_proxy = true` or `[features.network_proxy] enabled = true` in one layer. */
function featureValue(data: unknown): boolean | undefined {
  const value = lookup(data, ["features", FEATURE]);
  const enabled = isTable(value) ? value.enabled : value;
  return typeof enabled === "boolean" ? enabled : undefined;
}

function configSetting(config: ConfigFacts): FeatureSetting | null {
  const overrides = [...config.launcherOverrides].reverse();
  const override = overrides.find(
    (o) => o.key === `features.${FEATURE}` || o.key === `features.${FEATURE}.enabled`,
  );
  if (override && typeof override.value === "boolean")
    return { on: override.value, source: `launcher -c ${override.raw}` };
  for (const file of [config.profile, config.base]) {
    const value = featureValue(file.data);
    if (value !== undefined) return { on: value, source: file.path };
  }
  return null;
}

/**
 * The profile's `[permissions.<name>.network]` table, in short: enabled, local binding, mode, and with the proxy on
 * the domain counts (none allowed means every request is refused).
 */
function profileNetwork(config: ConfigFacts, proxyOn: boolean): string {
  const name = config.effective.default_permissions;
  if (typeof name !== "string") return "no default_permissions";
  const table = lookup(config.effective, ["permissions", name, "network"]);
  if (!isTable(table)) return `[permissions.${name}.network] missing`;
  const parts = [`enabled = ${String(table.enabled ?? "not set")}`];
  if (table.allow_local_binding !== undefined)
    parts.push(`allow_local_binding = ${String(table.allow_local_binding)}`);
  if (table.mode !== undefined) parts.push(`mode = ${JSON.stringify(table.mode)}`);
  const domains = isTable(table.domains) ? Object.values(table.domains) : [];
  if (proxyOn || domains.length > 0) {
    const allowed = domains.filter((v) => v === "allow").length;
    parts.push(`domains: ${allowed} allowed, ${domains.filter((v) => v === "deny").length} denied`);
  }
  return `[permissions.${name}.network] ${parts.join(", ")}`;
}

/** Codex's MITM CA bundle, when a CA variable points at it: HTTPS is intercepted (limited mode or MITM hooks). */
function codexCaBundle(environment: NetEnvironment): string | null {
  const entry = Object.entries(environment.caVariables).find(([, path]) => CODEX_CA_BUNDLE.test(path));
  return entry ? `${entry[0]}=${entry[1]}` : null;
}

function insideLine(environment: NetEnvironment | null): string {
  if (environment === null) return "network inside: not recorded";
  const variables = environment.proxyVariables;
  if (environment.codexProxyActive) {
    const proxy = variables.HTTPS_PROXY ?? variables.https_proxy ?? variables.HTTP_PROXY ?? "no HTTPS_PROXY";
    const local = environment.allowLocalBinding
      ? "local/private addresses allowed"
      : "local/private addresses blocked";
    const bundle = codexCaBundle(environment);
    const mitm = bundle === null ? "" : `, HTTPS intercepted (${bundle})`;
    return `network inside: Codex's managed proxy ${proxy} (${local}${mitm})`;
  }
  if (environment.inetSocket === "EPERM") return "network inside: sockets denied (network off)";
  const names = Object.keys(variables).filter((name) => name !== "NODE_USE_ENV_PROXY");
  if (names.length > 0)
    return `network inside: proxy variables ${names.join(", ")}, not Codex's managed proxy`;
  return "network inside: direct, no proxy";
}

function configLine(setting: FeatureSetting | null, config: Fact<ConfigFacts>): string {
  const feature =
    setting === null
      ? `features.${FEATURE} not set (off)`
      : `features.${FEATURE} ${setting.on ? "on" : "off"} (${setting.source})`;
  const network = config.ok ? profileNetwork(config.value, setting?.on === true) : "config not read";
  return `managed proxy in the config: ${feature}; ${network}`;
}

/**
 * Two evidence lines (inside, config) and, when they disagree, a note: the config asks for the proxy but the
 * sandbox shows none (the profile's network off, a legacy flag, a release without the feature).
 */
export function networkMode(
  network: NetworkFacts,
  config: Fact<ConfigFacts>,
  launcher: Fact<LauncherFacts>,
): string[] {
  const environment = network.report.environment;
  const setting = flagSetting(launcher) ?? (config.ok ? configSetting(config.value) : null);
  const lines = [insideLine(environment), configLine(setting, config)];
  if (setting?.on && environment !== null && !environment.codexProxyActive) {
    lines.push(`${NOTE_PREFIX}the config turns Codex's managed proxy on, but no command inside sees it`);
  }
  return lines;
}
