// net.registry and net.tls_verify behind Codex's managed proxy, as the real audits under it produced the facts
// (test/audit-proxy.test.ts; Codex 0.169, Node 20): the mode from inside and from the config layers, the host's
// control worded against the sandbox, Codex's kill, and the failures the host shares ("could not test").
import { describe, expect, it } from "vitest";
import netRegistry from "../checks/net/registry.js";
import netTlsVerify from "../checks/net/tls_verify.js";
import { runCheck } from "../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../src/core/expectations.js";
import type { CheckDefinition, CheckResult, FactValues } from "../src/core/model.js";
import type { HttpAttempt } from "../src/runner/net-types.js";
import { factsOf } from "./checks/rule-tester.js";
import {
  attempt,
  CODEX_HOME,
  configFacts,
  effectiveConfig,
  healthyFacts,
  PROFILE_PATH,
  profileData,
  REGISTRY_URL,
} from "./fixtures/facts/healthy.js";

const PROXY = "http://127.0.0.1:46513";
const BUNDLE = `${CODEX_HOME}/proxy/ca-bundle-f8f7a869.pem`;
const CURL_OK = attempt("curl", REGISTRY_URL, {
  httpStatus: 200,
  curlExit: 0,
  sslVerifyResult: 0,
  proxy: PROXY,
});
const FETCH_IGNORES = attempt("fetch", REGISTRY_URL, {
  errorCode: "EAI_AGAIN",
  message: "getaddrinfo EAI_AGAIN registry.example.invalid",
  proxy: PROXY,
});
const ALLOWLIST_KILL = {
  host: "registry.example.invalid",
  rule: "allowlist" as const,
  sentence:
    'Network access to "registry.example.invalid" was blocked: domain is not on the allowlist for the current sandbox mode.',
};
const PRIVATE_KILL = {
  host: "registry.example.invalid",
  rule: "private-address" as const,
  sentence:
    'Network access to "registry.example.invalid" was blocked: local/private network addresses are blocked by the sandbox policy.',
};

/** The variables a command sees behind Codex's proxy (reference/network-proxy.md). */
function behindCodexProxy(f: FactValues, opts: { localBinding?: boolean; mitm?: boolean } = {}): void {
  f.network.report.environment = {
    proxyVariables: { HTTPS_PROXY: PROXY, https_proxy: PROXY, NO_PROXY: "", NODE_USE_ENV_PROXY: "1" },
    caVariables: opts.mitm ? { SSL_CERT_FILE: BUNDLE, CURL_CA_BUNDLE: BUNDLE } : {},
    codexProxyActive: true,
    allowLocalBinding: opts.localBinding ?? false,
    inetSocket: "ECONNREFUSED",
  };
}

/** The reference profile with the proxy on, the registry allowed and, optionally, local binding. */
function proxyProfile(network: Record<string, unknown> = {}): Record<string, unknown> {
  const profile = profileData();
  const permissions = profile.permissions as Record<string, Record<string, unknown>>;
  const reference = permissions["azi4a2-autonomous"] as Record<string, unknown>;
  reference.network = { enabled: true, domains: { "registry.example.invalid": "allow" }, ...network };
  return { ...profile, features: { network_proxy: true } };
}

/**
 * The effective config Codex would use with the proxy feature and the profile's network table as given: the
 * healthy one (written out in the fixture) with those two replaced, never merged by the code under test.
 */
function proxyEffective(feature: unknown, network?: Record<string, unknown>): Record<string, unknown> {
  const effective = effectiveConfig();
  const permissions = effective.permissions as Record<string, Record<string, unknown>>;
  const reference = permissions["azi4a2-autonomous"] as Record<string, unknown>;
  if (network) reference.network = network;
  return { ...effective, features: { plugins: false, network_proxy: feature } };
}

const ALLOWED = { "registry.example.invalid": "allow" };

function run(check: CheckDefinition, mutate: (f: FactValues) => void): CheckResult {
  const facts = healthyFacts();
  mutate(facts);
  return runCheck(check, factsOf(facts), { expect: DEFAULT_EXPECTATIONS });
}

const registry = (mutate: (f: FactValues) => void) => run(netRegistry, mutate);

describe("net.registry: the network mode, from inside and from the config layers", () => {
  it("no proxy: direct inside, the feature not set", () => {
    expect(registry(() => {}).evidence.slice(0, 3)).toEqual([
      REGISTRY_URL,
      "network inside: direct, no proxy",
      "managed proxy in the config: features.network_proxy not set (off); [permissions.azi4a2-autonomous.network] enabled = true",
    ]);
  });

  it("Codex's proxy with the registry allowed and local binding: both lines name what is on", () => {
    const result = registry((f) => {
      behindCodexProxy(f, { localBinding: true });
      f.config = configFacts({
        profile: proxyProfile({ allow_local_binding: true }),
        effective: proxyEffective(true, { enabled: true, domains: ALLOWED, allow_local_binding: true }),
      });
      f.network.report.registry = [CURL_OK];
    });
    expect(result.status).toBe("pass");
    expect(result.evidence.slice(1, 3)).toEqual([
      `network inside: Codex's managed proxy ${PROXY} (local/private addresses allowed)`,
      `managed proxy in the config: features.network_proxy on (${PROFILE_PATH}); [permissions.azi4a2-autonomous.network] enabled = true, allow_local_binding = true, domains: 1 allowed, 0 denied`,
    ]);
  });

  it("limited mode intercepts HTTPS: the CA bundle Codex injected is named", () => {
    const result = registry((f) => {
      behindCodexProxy(f, { mitm: true });
      f.config = configFacts({
        profile: proxyProfile({ mode: "limited" }),
        effective: proxyEffective(true, { enabled: true, domains: ALLOWED, mode: "limited" }),
      });
    });
    expect(result.evidence[1]).toBe(
      `network inside: Codex's managed proxy ${PROXY} (local/private addresses blocked, HTTPS intercepted (SSL_CERT_FILE=${BUNDLE}))`,
    );
    expect(result.evidence[2]).toContain('mode = "limited"');
  });

  it("the feature as a table in config.toml, then switched off by the launcher's -c", () => {
    const base = { features: { network_proxy: { enabled: true } } };
    const asTable = registry((f) => {
      f.config = configFacts({ base, effective: proxyEffective({ enabled: true }) });
    });
    expect(asTable.evidence[2]).toContain(`features.network_proxy on (${CODEX_HOME}/config.toml)`);
    const overridden = registry((f) => {
      f.config = configFacts({ base, effective: proxyEffective(false) }, ["features.network_proxy=false"]);
    });
    expect(overridden.evidence[2]).toContain(
      "features.network_proxy off (launcher -c features.network_proxy=false)",
    );
  });

  it("the launcher's --enable network_proxy wins over the files", () => {
    const result = registry((f) => {
      behindCodexProxy(f);
      const exec = f.launcher.observed.exec;
      if (exec) exec.argv = [...exec.argv, "--enable", "network_proxy"];
    });
    expect(result.evidence[2]).toContain("features.network_proxy on (launcher --enable)");
    expect(result.evidence.join("\n")).not.toContain("note:");
  });

  it("the config asks for the proxy but no command inside sees it: a note", () => {
    const result = registry((f) => {
      f.config = configFacts({
        profile: proxyProfile(),
        effective: proxyEffective(true, { enabled: true, domains: ALLOWED }),
      });
    });
    expect(result.status).toBe("pass");
    expect(result.evidence).toContain(
      "note: the config turns Codex's managed proxy on, but no command inside sees it",
    );
  });

  it("the proxy on with no domains table: none allowed, said outright", () => {
    const noDomains = registry((f) => {
      behindCodexProxy(f);
      f.config = configFacts({
        base: { features: { network_proxy: true } },
        effective: proxyEffective(true),
      });
    });
    expect(noDomains.evidence[2]).toMatch(/enabled = true, domains: 0 allowed, 0 denied$/);
  });

  it("another proxy, and no sockets at all", () => {
    const other = registry((f) => {
      const environment = f.network.report.environment;
      if (environment) environment.proxyVariables = { HTTPS_PROXY: "http://proxy.corp.invalid:3128" };
    });
    expect(other.evidence[1]).toBe("network inside: proxy variables HTTPS_PROXY, not Codex's managed proxy");
    const off = registry((f) => {
      const environment = f.network.report.environment;
      if (environment) environment.inetSocket = "EPERM";
    });
    expect(off.evidence[1]).toBe("network inside: sockets denied (network off)");
  });
});

describe("net.registry: verdicts behind the proxy", () => {
  it("registry off the allowlist: Codex's kill names the rule; the host's control says it is the sandbox", () => {
    const result = registry((f) => {
      behindCodexProxy(f);
      f.network.report.registry = [];
      f.network.report.complete = false;
      f.network.killedBy = ALLOWLIST_KILL;
    });
    expect(result.status).toBe("fail");
    expect(result.observed).toBe(
      `exec_command: blocked by the proxy policy (allowlist): ${ALLOWLIST_KILL.sentence}`,
    );
    expect(result.evidence.slice(-2)).toEqual([
      "Codex killed the runner's network command at its first registry request (curl); kept: environment, TLS control",
      "host control: blocked in the sandbox, fine on the host (curl: ok (HTTP 200, certificate verified))",
    ]);
    expect(result.remediation).toBe(
      'Allow the host in the profile: add "registry.example.invalid" = "allow" under [permissions.azi4a2-autonomous.network.domains].',
    );
  });

  it("killed after curl passed (a proxy-honouring fetch blocked): what ran first is named", () => {
    const result = registry((f) => {
      behindCodexProxy(f);
      f.network.report.registry = [CURL_OK];
      f.network.report.tlsControl = null;
      f.network.killedBy = ALLOWLIST_KILL;
    });
    expect(result.status).toBe("pass");
    expect(result.evidence).toContain(
      "Codex killed the runner's network command after curl; kept: environment, curl",
    );
  });

  it("allowed but resolving to a reserved address: fail with the local-binding fix while the host retrieves it", () => {
    const result = registry((f) => {
      behindCodexProxy(f);
      f.network.report.registry = [];
      f.network.killedBy = PRIVATE_KILL;
    });
    expect(result.status).toBe("fail");
    expect(result.remediation).toBe(
      "The host is a local or private address: set allow_local_binding = true under [permissions.azi4a2-autonomous.network] if reaching it is intended.",
    );
  });

  it("a name that resolves nowhere: the proxy's 'private address' is not the sandbox's fault", () => {
    const result = registry((f) => {
      behindCodexProxy(f);
      f.network.report.registry = [];
      f.network.killedBy = PRIVATE_KILL;
      f.registry.host = attempt("curl", REGISTRY_URL, {
        curlExit: 6,
        message: "curl: (6) Could not resolve host: registry.example.invalid",
      });
    });
    expect(result.status).toBe("error");
    expect(result.observed).toBe("could not test: the host cannot retrieve it either");
    expect(result.remediation).toBe(
      'Check that "registry.example.invalid" is spelt right and resolves on this machine.',
    );
    expect(result.evidence.at(-1)).toBe(
      "host control: fails on the host too: curl: DNS failure (exit 6): Could not resolve host: registry.example.invalid",
    );
  });

  it("the allowlist blocks even a registry the host cannot reach: still the sandbox's finding", () => {
    const result = registry((f) => {
      behindCodexProxy(f);
      f.network.report.registry = [];
      f.network.killedBy = ALLOWLIST_KILL;
      f.registry.host = attempt("curl", REGISTRY_URL, {
        curlExit: 6,
        message: "curl: (6) Could not resolve host",
      });
    });
    expect(result.status).toBe("fail");
  });

  it("the same 404 inside and on the host: could not test, with the host's fix", () => {
    const notFound = (client: HttpAttempt["client"]) =>
      attempt(client, REGISTRY_URL, {
        httpStatus: 404,
        curlExit: 22,
        message: "curl: (22) The requested URL returned error: 404",
      });
    const result = registry((f) => {
      behindCodexProxy(f);
      f.network.report.registry = [notFound("curl")];
      f.registry.host = notFound("curl");
    });
    expect(result.status).toBe("error");
    expect(result.remediation).toBe(
      "The server is reachable but has no such path: check the URL (registry base, package name).",
    );
  });

  it("refused inside, fine on the host: the sandbox's failure, worded so", () => {
    const result = registry((f) => {
      f.network.report.registry = [
        attempt("curl", REGISTRY_URL, {
          curlExit: 7,
          message:
            "curl: (7) Failed to connect to 127.0.0.1 port 18555 after 0 ms: Couldn't connect to server",
        }),
      ];
    });
    expect(result.status).toBe("fail");
    expect(result.evidence.at(-1)).toBe(
      "host control: fails in the sandbox, fine on the host (curl: ok (HTTP 200, certificate verified))",
    );
  });

  it("Node 20's fetch ignoring the proxy while curl passes: warn with its cause and fix", () => {
    const result = registry((f) => {
      behindCodexProxy(f, { localBinding: true });
      f.network.report.registry = [CURL_OK, FETCH_IGNORES];
    });
    expect(result.status).toBe("warn");
    expect(result.observed).toBe(
      `curl works, but fetch: ignores the proxy ${PROXY} and resolves the host itself (EAI_AGAIN): getaddrinfo EAI_AGAIN registry.example.invalid`,
    );
    expect(result.remediation).toBe(
      "This client does not use HTTPS_PROXY (Node 20's fetch ignores it and NODE_USE_ENV_PROXY): use curl or npm, undici's EnvHttpProxyAgent, or Node 24 with NODE_USE_ENV_PROXY=1.",
    );
    expect(result.evidence.at(-1)).toBe(
      "host control: fine on the host too (curl: ok (HTTP 200, certificate verified))",
    );
  });
});

describe("net.tls_verify behind the proxy", () => {
  it("the same verdict with the proxy on, and the mode in its evidence", () => {
    const result = run(netTlsVerify, (f) => {
      behindCodexProxy(f);
      f.config = configFacts({
        profile: proxyProfile(),
        effective: proxyEffective(true, { enabled: true, domains: ALLOWED }),
      });
    });
    expect(result.status).toBe("pass");
    expect(result.observed).toBe("curl and node-https rejected the untrusted certificate");
    expect(result.evidence).toContain(
      `network inside: Codex's managed proxy ${PROXY} (local/private addresses blocked)`,
    );
  });
});

describe("net.registry: a probe report from a live session (no kill message reaches the host)", () => {
  it("an unfinished report behind Codex's proxy: could not test, saying how a blocked request ends", () => {
    const result = registry((f) => {
      behindCodexProxy(f);
      f.network.report.registry = [];
      f.network.report.complete = false;
    });
    expect(result.status).toBe("error");
    expect(result.observed).toBe(
      "could not test: the runner's network part stopped before curl reported, as when Codex kills a command whose request its proxy blocked",
    );
    expect(result.remediation).toContain("Network access to … was blocked");
  });

  it("without the proxy an unfinished report says only that curl did not run", () => {
    const result = registry((f) => {
      f.network.report.registry = [];
      f.network.report.complete = false;
    });
    expect(result.observed).toBe("could not test: the curl probe did not run");
  });

  it("a finished report behind the proxy without a curl attempt was not cut short", () => {
    const result = registry((f) => {
      behindCodexProxy(f);
      f.network.report.registry = [];
    });
    expect(result.observed).toBe("could not test: the curl probe did not run");
  });
});
