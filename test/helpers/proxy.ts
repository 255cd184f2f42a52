// Codex's managed network proxy for the reference setup (reference/network-proxy.md): the feature flag in the
// profile file plus a domain policy under the profile's network table, and the registry URLs the tests use.
import { execFileSync } from "node:child_process";
import { lookup } from "node:dns/promises";
import { BlockList, isIPv6 } from "node:net";
import type { ReferenceSetup } from "../../src/demo/reference-setup.js";
import { editFile } from "./audit.js";

export interface ProxyPolicy {
  /** Hosts under `[permissions.<name>.network.domains]` with "allow". */
  allow?: string[];
  /** `allow_local_binding = true`: private and reserved addresses pass the proxy. */
  allowLocalBinding?: boolean;
}

/** Turns the proxy on in the setup's profile file: `[features] network_proxy = true` and the domain policy. */
export function turnProxyOn(setup: ReferenceSetup, policy: ProxyPolicy = {}): void {
  const table = `[permissions.${setup.profileName}.network]\nenabled = true\n`;
  const domains = (policy.allow ?? []).map((host) => `${JSON.stringify(host)} = "allow"\n`).join("");
  editFile(setup.profileFile, (text) => {
    if (!text.includes(table)) throw new Error("reference profile changed shape: no network table");
    const local = policy.allowLocalBinding ? "allow_local_binding = true\n" : "";
    const withPolicy = text.replace(
      table,
      `${table}${local}\n[permissions.${setup.profileName}.network.domains]\n${domains}`,
    );
    return `${withPolicy}\n[features]\nnetwork_proxy = true\n`;
  });
}

/** The registry npm is configured with (decisions §13), resolved with the caller's own environment. */
export function configuredRegistry(): string {
  return execFileSync("npm", ["config", "get", "registry"], { encoding: "utf8", timeout: 15_000 }).trim();
}

/** Addresses Codex's proxy treats as local or private (it refuses them unless allow_local_binding is on). */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 3],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["2001:db8::", 32],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv6");
}

/** Whether `host` resolves (on this machine) to an address the proxy refuses without allow_local_binding. */
export async function resolvesToNonPublic(host: string): Promise<boolean> {
  const addresses = await lookup(host, { all: true });
  return addresses.some(({ address }) => NOT_PUBLIC.check(address, isIPv6(address) ? "ipv6" : "ipv4"));
}
