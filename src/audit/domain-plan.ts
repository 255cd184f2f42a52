// The requests that test the network rules of the profile under Codex's managed proxy (net.profile_rules): each
// denied domain (a wildcard through a nonce-named subdomain), one domain on no allowlist, and each allowed domain
// (the registry's own URL when it is that host). The proxy answers a refused request before any connection, so
// the blocked probes need no network. Each runs as a command of its own: Codex kills a command whose request its
// proxy blocked (decisions §8b), which costs only that probe.
import { isTable, lookup } from "../util/toml.js";

export interface PlannedDomain {
  /** The rule it tests, as written (`"x.com" = "deny"`), or the made-up domain on no allowlist. */
  rule: string;
  host: string;
  url: string;
  expect: "blocked" | "allowed";
}

export interface DomainPlan {
  probes: PlannedDomain[];
  /** Rules left untested, with why (a bare wildcard, the cap). */
  untested: string[];
}

/** Each probe is a command and a sandbox start: enough for a long list to be sampled, not crawled. */
const MAX_PROBES = 8;

/** `[features] network_proxy = true`, `[features.network_proxy] enabled = true`. */
export function proxyFeatureOn(effective: Record<string, unknown>): boolean {
  const value = lookup(effective, ["features", "network_proxy"]);
  return (isTable(value) ? value.enabled : value) === true;
}

function networkTable(effective: Record<string, unknown>): Record<string, unknown> | null {
  const name = effective.default_permissions;
  if (typeof name !== "string") return null;
  const table = lookup(effective, ["permissions", name, "network"]);
  return isTable(table) ? table : null;
}

/** The profile's `[permissions.<name>.network.domains]` entries: host → "allow" | "deny". */
export function domainRules(effective: Record<string, unknown>): Array<[string, string]> {
  const domains = networkTable(effective)?.domains;
  if (!isTable(domains)) return [];
  return Object.entries(domains).filter((entry): entry is [string, string] => typeof entry[1] === "string");
}

const ruleText = (host: string, access: string) => `${JSON.stringify(host)} = ${JSON.stringify(access)}`;

/** The URL's host name; null for one that does not parse (the registry setting is the user's text). */
const hostOf = (url: string): string | null => (URL.canParse(url) ? new URL(url).hostname : null);

function deniedProbe(host: string, nonce: string): PlannedDomain | string {
  const text = ruleText(host, "deny");
  if (host === "*" || host === "**") return `${text}: every domain; nothing to tell it apart from`;
  // A leading `*.` or `**.` stands for any subdomain: a nonce-named one no one else uses.
  const concrete = host.replace(/^\*\*?\./, `codex-smoke-${nonce}.`);
  // Any other wildcard leaves no host a request can name (the request would fail for its own reasons, proving
  // nothing about the rule).
  if (concrete.includes("*")) return `${text}: a wildcard inside the name, no one host to try`;
  return { rule: text, host: concrete, url: `https://${concrete}/`, expect: "blocked" };
}

function allowedProbe(host: string, registryUrl: string | null): PlannedDomain | string {
  const text = ruleText(host, "allow");
  if (host.includes("*")) return `${text}: a wildcard, no one host to try`;
  const url = registryUrl !== null && hostOf(registryUrl) === host ? registryUrl : `https://${host}/`;
  return { rule: text, host, url, expect: "allowed" };
}

/** Nothing when the proxy is off in the config and the profile names no domain (no rule to prove). */
export function planDomainProbes(
  effective: Record<string, unknown>,
  ctx: { nonce: string; registryUrl: string | null },
): DomainPlan {
  const rules = domainRules(effective);
  if (networkTable(effective)?.enabled !== true || (!proxyFeatureOn(effective) && rules.length === 0))
    return { probes: [], untested: [] };
  const planned: Array<PlannedDomain | string> = [
    ...rules.filter(([, access]) => access === "deny").map(([host]) => deniedProbe(host, ctx.nonce)),
    rules.some(([host, access]) => access === "allow" && (host === "*" || host === "**"))
      ? "a domain on no allowlist: every domain is allowed"
      : {
          rule: "a domain on no allowlist",
          host: `codex-smoke-${ctx.nonce}.invalid`,
          url: `https://codex-smoke-${ctx.nonce}.invalid/`,
          expect: "blocked",
        },
    ...rules.filter(([, access]) => access === "allow").map(([host]) => allowedProbe(host, ctx.registryUrl)),
  ];
  const probes = planned.filter((p): p is PlannedDomain => typeof p !== "string");
  const untested = planned.filter((p): p is string => typeof p === "string");
  for (const probe of probes.slice(MAX_PROBES))
    untested.push(`${probe.rule}: not probed (at most ${MAX_PROBES})`);
  return { probes: probes.slice(0, MAX_PROBES), untested };
}
