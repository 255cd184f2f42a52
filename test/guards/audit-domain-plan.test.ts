// The requests the host plans to prove the profile's network rules (src/audit/domain-plan.ts): which domains get a
// request, at which URL, which are left untested and why, and which configs plan nothing.
import { describe, expect, it } from "vitest";
import { domainRules, planDomainProbes } from "../../src/audit/domain-plan.js";

const NONCE = "0123456789ab";
const UNLISTED = {
  rule: "a domain on no allowlist",
  host: `codex-smoke-${NONCE}.invalid`,
  url: `https://codex-smoke-${NONCE}.invalid/`,
  expect: "blocked",
};

/** An effective config whose profile `p` has these domain rules, the network and Codex's proxy on. */
const withDomains = (domains: Record<string, unknown>) => ({
  default_permissions: "p",
  features: { network_proxy: true },
  permissions: { p: { network: { enabled: true, domains } } },
});

const plan = (domains: Record<string, unknown>, registryUrl: string | null = null) =>
  planDomainProbes(withDomains(domains), { nonce: NONCE, registryUrl });

describe("denied domains", () => {
  it("a bare * or ** denies every domain: nothing to tell it apart from, so no request, but the unlisted one", () => {
    for (const host of ["*", "**"])
      expect(plan({ [host]: "deny" }), host).toEqual({
        probes: [UNLISTED],
        untested: [`${JSON.stringify(host)} = "deny": every domain; nothing to tell it apart from`],
      });
  });

  it("a wildcard anywhere but at the start leaves no host to name: untested, with why", () => {
    expect(plan({ "a.*.example": "deny", "*.b.**.example": "deny" })).toEqual({
      probes: [UNLISTED],
      untested: [
        '"a.*.example" = "deny": a wildcard inside the name, no one host to try',
        '"*.b.**.example" = "deny": a wildcard inside the name, no one host to try',
      ],
    });
  });

  it("a leading ** is filled like a leading *: a nonce-named subdomain", () => {
    expect(plan({ "**.evil.example": "deny" }).probes[0]).toEqual({
      rule: '"**.evil.example" = "deny"',
      host: `codex-smoke-${NONCE}.evil.example`,
      url: `https://codex-smoke-${NONCE}.evil.example/`,
      expect: "blocked",
    });
  });
});

describe("allowed domains", () => {
  it("an allowed * or ** leaves no domain on no allowlist to request; a denied * does not", () => {
    for (const host of ["*", "**"])
      expect(plan({ [host]: "allow" }), host).toEqual({
        probes: [],
        untested: [
          "a domain on no allowlist: every domain is allowed",
          `${JSON.stringify(host)} = "allow": a wildcard, no one host to try`,
        ],
      });
    expect(plan({ "*": "deny" }).probes).toEqual([UNLISTED]);
  });

  it("an allowed host is requested at its root, at the registry's URL only when the registry is on that host", () => {
    const allowed = (url: string) => ({
      rule: '"a.example" = "allow"',
      host: "a.example",
      url,
      expect: "allowed",
    });
    const probed = (registryUrl: string | null) => plan({ "a.example": "allow" }, registryUrl).probes[1];
    expect(probed(null)).toEqual(allowed("https://a.example/"));
    expect(probed("http://127.0.0.1:4873/")).toEqual(allowed("https://a.example/"));
    expect(probed("http://a.example:4873/npm/")).toEqual(allowed("http://a.example:4873/npm/"));
    // A registry setting that is no URL is on no host.
    expect(probed("a.example")).toEqual(allowed("https://a.example/"));
  });
});

describe("the profile's domain rules", () => {
  it("only string values are rules", () => {
    expect(domainRules(withDomains({ "a.example": "deny", "b.example": 1, "c.example": "allow" }))).toEqual([
      ["a.example", "deny"],
      ["c.example", "allow"],
    ]);
  });

  it("none without a profile's network table, or without a named profile (a table under a number's name is not one)", () => {
    expect(domainRules({})).toEqual([]);
    expect(planDomainProbes({}, { nonce: NONCE, registryUrl: null })).toEqual({ probes: [], untested: [] });
    const numbered = {
      default_permissions: 1,
      features: { network_proxy: true },
      permissions: { 1: { network: { enabled: true, domains: { "a.example": "deny" } } } },
    };
    expect(domainRules(numbered)).toEqual([]);
    expect(planDomainProbes(numbered, { nonce: NONCE, registryUrl: null })).toEqual({
      probes: [],
      untested: [],
    });
  });
});
