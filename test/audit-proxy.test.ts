// The reference setup behind Codex's managed network proxy (issue 13), audited end to end with the real Codex.
// Blocked: a registry name off the allowlist, on loopback (the proxy refuses it before any look-up), while the
// host reaches it. Allowed: a loopback registry allowed by its address (the proxy then reaches the host's
// loopback), and the configured registry itself (decisions §13's one exception: it leaves the machine, as
// `npm start` does; its host is resolved at run time and written nowhere). The MCP stand-ins run on the host's
// loopback and the TUI reads them: Codex's MCP clients run on the host, so the proxy must not change them.
import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { type AuditRun, audit, loopbackRegistry, processesOf, withSetup } from "./helpers/audit.js";
import { configuredRegistry, type ProxyPolicy, resolvesToNonPublic, turnProxyOn } from "./helpers/proxy.js";

/** A name under `.localhost`: curl resolves it to loopback on the host; Codex's proxy finds it on no allowlist. */
const BLOCKED_NAME = "codex-smoke-registry.localhost";

interface ProxyRun {
  run: AuditRun;
  profileFile: string;
  leftBehind: string[];
}

async function auditBehindProxy(policy: ProxyPolicy, registry: string): Promise<ProxyRun> {
  return withSetup(
    (setup) => turnProxyOn(setup, policy),
    async (setup) => {
      const run = await audit(setup, ["--registry", registry]);
      if (!run.report) throw new Error(`no report (exit ${run.exitCode}): ${run.stderr}`);
      return { run, profileFile: setup.profileFile, leftBehind: processesOf(setup) };
    },
  );
}

/** Every check's status, in catalogue order; `net.registry` as given, every other one `pass`. */
function statusesWith(registryStatus: string): Array<[string, string]> {
  return checks.map((c) => [c.id, c.id === "net.registry" ? registryStatus : "pass"]);
}

function statusesOf(run: AuditRun): Array<[string, string]> {
  return (run.report?.results ?? []).map((r) => [r.id, r.status]);
}

function result(run: AuditRun, id: string) {
  const found = run.report?.results.find((r) => r.id === id);
  if (!found) throw new Error(`no ${id} in the report`);
  return found;
}

/** What every proxied run shows: the mode from inside and from the profile, and a TLS verdict as without it. */
function expectProxyModeAndTls(run: AuditRun, profileFile: string): void {
  const registry = result(run, "net.registry");
  expect(registry.evidence.join("\n")).toMatch(
    /^network inside: Codex's managed proxy http:\/\/127\.0\.0\.1:\d+ \(local\/private addresses (blocked|allowed)\)$/m,
  );
  expect(registry.evidence.join("\n")).toContain(
    `managed proxy in the config: features.network_proxy on (${profileFile})`,
  );
  const tls = result(run, "net.tls_verify");
  expect([tls.status, tls.observed]).toEqual([
    "pass",
    "curl and node-https rejected the untrusted certificate",
  ]);
}

describe("behind Codex's managed network proxy", () => {
  it("registry off the allowlist: only net.registry fails, naming the rule; the host reaches it", async () => {
    const loopback = new URL(await loopbackRegistry());
    const registry = `http://${BLOCKED_NAME}:${loopback.port}/`;
    const { run, profileFile, leftBehind } = await auditBehindProxy({}, registry);
    expect(statusesOf(run)).toEqual(statusesWith("fail"));
    const netRegistry = result(run, "net.registry");
    // Codex kills the command at the blocked request: how far curl and the proxy probe got before that varies
    // (curl may already have its 403); the rule and Codex's words do not.
    expect(netRegistry.observed).toMatch(
      new RegExp(
        `^(exec_command|curl|proxy): blocked by the proxy policy \\(allowlist\\): Network access to "${BLOCKED_NAME.replaceAll(".", "\\.")}" was blocked: domain is not on the allowlist for the current sandbox mode\\.$`,
      ),
    );
    expect(
      netRegistry.evidence.find((line) => line.startsWith("Codex killed the runner's network command")),
    ).toMatch(/; kept: environment, TLS control/);
    expect(netRegistry.evidence).toContain(
      "host control: blocked in the sandbox, fine on the host (curl: ok (HTTP 200))",
    );
    expect(netRegistry.remediation).toBe(
      `Allow the host in the profile: add "${BLOCKED_NAME}" = "allow" under [permissions.azi4a2-autonomous.network.domains].`,
    );
    expectProxyModeAndTls(run, profileFile);
    expect(run.exitCode).toBe(1);
    expect(leftBehind).toEqual([]);
  });

  it("loopback registry allowed by its address: curl through the proxy, Node 20's fetch warned about", async () => {
    const registry = await loopbackRegistry();
    const { run, profileFile } = await auditBehindProxy({ allow: ["127.0.0.1"] }, registry);
    expect(statusesOf(run)).toEqual(statusesWith("warn"));
    const netRegistry = result(run, "net.registry");
    const port = new URL(registry).port;
    expect(netRegistry.observed).toMatch(
      new RegExp(
        `^curl works, but fetch: ignores the proxy http://127\\.0\\.0\\.1:\\d+ and resolves the host itself \\(ECONNREFUSED\\): connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`,
      ),
    );
    expect(netRegistry.evidence).toContain("curl: ok (HTTP 200)");
    expect(netRegistry.evidence).toContain("host control: fine on the host too (curl: ok (HTTP 200))");
    expect(netRegistry.remediation).toMatch(
      /^This client does not use HTTPS_PROXY \(Node 20's fetch ignores it/,
    );
    expectProxyModeAndTls(run, profileFile);
    expect(run.exitCode).toBe(0);
  });

  it("the configured registry allowed: every check passes or warns with its cause", async () => {
    const registry = configuredRegistry();
    const host = new URL(registry).hostname;
    // Behind an egress proxy the registry may resolve to a reserved address, which Codex's proxy refuses.
    const allowLocalBinding = await resolvesToNonPublic(host);
    const { run, profileFile } = await auditBehindProxy({ allow: [host], allowLocalBinding }, registry);
    const netRegistry = result(run, "net.registry");
    expect(netRegistry.evidence.at(-1), "the host must reach the configured registry").toMatch(
      /^host control: fine on the host too \(curl: ok \(HTTP 200/,
    );
    expect(statusesOf(run)).toEqual(statusesWith("warn"));
    expect(netRegistry.evidence).toContain("curl: ok (HTTP 200, certificate verified)");
    expect(netRegistry.observed).toMatch(
      /^curl works, but fetch: ignores the proxy http:\/\/127\.0\.0\.1:\d+ and resolves the host itself \(EAI_AGAIN\): getaddrinfo EAI_AGAIN /,
    );
    expect(netRegistry.remediation).toMatch(
      /^This client does not use HTTPS_PROXY \(Node 20's fetch ignores it/,
    );
    expectProxyModeAndTls(run, profileFile);
    expect(run.exitCode).toBe(0);
  });
});
