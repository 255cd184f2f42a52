// The network rules of the profile under Codex's managed proxy, audited end to end with the real Codex and no host
// outside the machine (decisions §13): denied names under `.localhost` and a made-up `.invalid` name on no allowlist
// are refused by the proxy before any connection; the allowed loopback registry (allowed by its address) answers.
// Each blocked probe is a command of its own: Codex kills it, and the other findings survive.
import { describe, expect, it } from "vitest";
import { audit, editFile, loopbackRegistry, processesOf, withSetup } from "./helpers/audit.js";
import { turnProxyOn } from "./helpers/proxy.js";

const DENIED = "codex-smoke-denied.localhost";

function result(run: Awaited<ReturnType<typeof audit>>, id: string) {
  const found = run.report?.results.find((r) => r.id === id);
  if (!found) throw new Error(`no ${id} in the report (exit ${run.exitCode}): ${run.stderr}`);
  return found;
}

/** Adds deny entries under the profile's domains table (which turnProxyOn or the test made). */
function denyDomains(profileFile: string, profile: string, hosts: string[]): void {
  const table = `[permissions.${profile}.network.domains]\n`;
  editFile(profileFile, (text) => {
    const entries = hosts.map((host) => `${JSON.stringify(host)} = "deny"\n`).join("");
    return text.includes(table) ? text.replace(table, `${table}${entries}`) : `${text}\n${table}${entries}`;
  });
}

describe("the profile's domain rules", () => {
  it("with the proxy on: denied, wildcard-denied and unlisted names refused, the allowed registry reached", async () => {
    await withSetup(
      (setup) => {
        turnProxyOn(setup, { allow: ["127.0.0.1"] });
        denyDomains(setup.profileFile, setup.profileName, [DENIED, "*.evil.localhost"]);
      },
      async (setup) => {
        const run = await audit(setup, ["--registry", await loopbackRegistry()]);
        const rules = result(run, "net.profile_rules");
        expect([rules.status, rules.observed]).toEqual(["pass", "all 4 domain rules probed hold"]);
        expect(rules.evidence).toContain(
          `"${DENIED}" = "deny" (${DENIED}): refused by the proxy: Network access to "${DENIED}" was blocked: domain is explicitly denied by policy and cannot be approved from this prompt.`,
        );
        expect(rules.evidence.find((line) => line.startsWith('"*.evil.localhost" = "deny"'))).toMatch(
          /^"\*\.evil\.localhost" = "deny" \(codex-smoke-[0-9a-f]{12}\.evil\.localhost\): refused by the proxy: Network access to "codex-smoke-[0-9a-f]{12}\.evil\.localhost" was blocked: domain is explicitly denied by policy/,
        );
        expect(rules.evidence.find((line) => line.startsWith("a domain on no allowlist"))).toMatch(
          /: refused by the proxy: Network access to "codex-smoke-[0-9a-f]{12}\.invalid" was blocked: domain is not on the allowlist for the current sandbox mode\.$/,
        );
        expect(rules.evidence).toContain('"127.0.0.1" = "allow" (127.0.0.1): reachable: curl: ok (HTTP 200)');
        // The blocked probes cost only themselves: the runner's own parts still reported.
        expect(run.status("runner.report")).toBe("pass");
        expect(run.status("net.tls_verify")).toBe("pass");
        expect(processesOf(setup)).toEqual([]);
      },
    );
  });

  it("domains listed but the managed proxy off: the rules are not enforced, nothing is sent", async () => {
    await withSetup(
      (setup) => denyDomains(setup.profileFile, setup.profileName, [DENIED]),
      async (setup) => {
        const run = await audit(setup);
        const rules = result(run, "net.profile_rules");
        expect(rules.status).toBe("fail");
        expect(rules.observed).toBe(
          `"${DENIED}" = "deny": no command inside sees Codex's managed proxy (CODEX_NETWORK_PROXY_ACTIVE unset): the profile's domain rules are not enforced`,
        );
        expect(rules.remediation).toContain("`[features] network_proxy = true`");
        expect(run.exitCode).toBe(1);
      },
    );
  });
});
