// net.tls_verify and net.registry, beyond sandbox.test.ts's scenarios: each branch with what the report says.
import netRegistry from "../../checks/net/registry.js";
import netTlsVerify from "../../checks/net/tls_verify.js";
import type { FactValues } from "../../src/core/model.js";
import { attempt, CONTROL_URL, LAUNCHER, REGISTRY_URL } from "../fixtures/facts/healthy.js";
import { testCheck } from "./rule-tester.js";

const DIRECT = "network inside: direct, no proxy";
const CONFIG_OFF =
  "managed proxy in the config: features.network_proxy not set (off); [permissions.azi4a2-autonomous.network] enabled = true";
const CURL_REJECTED =
  "curl: TLS untrusted issuer (exit 60): SSL certificate problem: self-signed certificate";
const NODE_REJECTED =
  "node-https: TLS untrusted issuer (DEPTH_ZERO_SELF_SIGNED_CERT): self-signed certificate";

/** Replaces the TLS control's attempts. */
const controlAttempts =
  (...attempts: ReturnType<typeof attempt>[]) =>
  (f: FactValues) => {
    const control = f.network.report.tlsControl;
    if (control) control.attempts = attempts;
  };
const finding = (flag: string, line: number) => (f: FactValues) => {
  f.launcher.static.findings = [{ line, flag, text: `codex ${flag}` }];
};

testCheck(netTlsVerify, {
  valid: [
    {
      name: "both clients reject the self-signed certificate",
      status: "pass",
      expected:
        "curl and Node reject a self-signed certificate served inside the sandbox; no NODE_TLS_REJECT_UNAUTHORIZED=0, --insecure or -k",
      observed: "curl and node-https rejected the untrusted certificate",
      evidence: [CURL_REJECTED, NODE_REJECTED, DIRECT, CONFIG_OFF],
    },
    {
      name: "the launcher could not be read: the probe still decides",
      missing: { launcher: "no launcher" },
      status: "pass",
    },
    {
      name: "a legacy flag in the launcher is not a TLS switch",
      facts: finding("--sandbox", 9),
      status: "pass",
    },
    {
      name: "a registry retrieval by a client that reports no verify result",
      facts: (f) => {
        f.network.report.registry = [attempt("fetch", REGISTRY_URL, { httpStatus: 200 })];
      },
      status: "pass",
    },
  ],
  invalid: [
    ...(["--insecure", "-k", "--no-check-certificate"] as const).map((flag) => ({
      name: `${flag} in the launcher`,
      facts: finding(flag, 21),
      status: "fail" as const,
      observed: `${LAUNCHER}:21: codex ${flag}`,
    })),
    {
      name: "every switch, each on its own line, before the probes' words",
      facts: (f) => {
        f.runner.env.insecureSwitches = { NODE_TLS_REJECT_UNAUTHORIZED: "0", CURL_INSECURE: "1" };
        finding("NODE_TLS_REJECT_UNAUTHORIZED=0", 3)(f);
      },
      status: "fail",
      evidence: [
        "NODE_TLS_REJECT_UNAUTHORIZED=0 visible inside",
        "CURL_INSECURE=1 visible inside",
        `${LAUNCHER}:3: codex NODE_TLS_REJECT_UNAUTHORIZED=0`,
        CURL_REJECTED,
        NODE_REJECTED,
        DIRECT,
        CONFIG_OFF,
      ],
    },
    {
      name: "a registry retrieval whose certificate did not verify",
      facts: (f) => {
        f.network.report.registry = [
          attempt("curl", REGISTRY_URL, { httpStatus: 200, curlExit: 0, sslVerifyResult: 20 }),
        ];
      },
      status: "fail",
      observed: "registry curl: ssl_verify_result 20, yet the retrieval succeeded",
    },
    {
      name: "the control did not run",
      facts: (f) => {
        f.network.report.tlsControl = null;
      },
      status: "error",
      observed: "could not test: the control did not run",
      evidence: [DIRECT, CONFIG_OFF],
    },
    {
      name: "no attempt against the control",
      facts: controlAttempts(),
      status: "error",
      observed: "could not test: the control failed for another reason (no attempt)",
      evidence: [DIRECT, CONFIG_OFF],
    },
    {
      name: "curl timed out before any answer: nothing accepted, nothing rejected",
      facts: controlAttempts(attempt("curl", CONTROL_URL, { mayUseProxy: false, timedOut: true })),
      status: "error",
      observed: "could not test: the control failed for another reason (curl: timed out)",
    },
    {
      name: "answers that broke off are not acceptances",
      facts: controlAttempts(
        attempt("curl", CONTROL_URL, { mayUseProxy: false, httpStatus: 200, curlExit: 56 }),
        attempt("node-https", CONTROL_URL, { mayUseProxy: false, httpStatus: 200, errorCode: "ECONNRESET" }),
      ),
      status: "error",
      observed:
        "could not test: the control failed for another reason (curl: failed (exit 56); node-https: connection reset (ECONNRESET))",
    },
    {
      name: "only Node rejected it: curl's failure named",
      facts: controlAttempts(
        attempt("curl", CONTROL_URL, {
          mayUseProxy: false,
          curlExit: 7,
          message: "curl: (7) Failed to connect",
        }),
        attempt("node-https", CONTROL_URL, {
          mayUseProxy: false,
          errorCode: "DEPTH_ZERO_SELF_SIGNED_CERT",
          message: "self-signed certificate",
        }),
      ),
      status: "warn",
      observedIs: "only node-https rejected it; curl: connection refused (exit 7): Failed to connect",
    },
    {
      name: "two rejected, two failed otherwise: each named once",
      facts: controlAttempts(
        attempt("curl", CONTROL_URL, { mayUseProxy: false, curlExit: 60, sslVerifyResult: 18 }),
        attempt("node-https", CONTROL_URL, { mayUseProxy: false, errorCode: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
        attempt("fetch", CONTROL_URL, { mayUseProxy: false, timedOut: true }),
        attempt("proxy", CONTROL_URL, { mayUseProxy: false, errorCode: "ECONNRESET" }),
      ),
      status: "warn",
      observedIs: "only curl, node-https rejected it; fetch: timed out; proxy: connection reset (ECONNRESET)",
    },
  ],
});

const HOST_FINE = "host control: fine on the host too (curl: ok (HTTP 200, certificate verified))";
const ALLOWLIST_SENTENCE =
  'Network access to "registry.example.invalid" was blocked: domain is not on the allowlist for the current sandbox mode.';
const PRIVATE_SENTENCE =
  'Network access to "registry.example.invalid" was blocked: local/private network addresses are blocked by the sandbox policy.';
const killedBy =
  (rule: "allowlist" | "private-address", sentence: string) =>
  (f: FactValues): void => {
    f.network.killedBy = { host: "registry.example.invalid", rule, sentence };
  };
const PRIVATE_FIX =
  "The host is a local or private address: set allow_local_binding = true under [permissions.azi4a2-autonomous.network] if reaching it is intended.";
const HOST_TIMES_OUT = attempt("curl", REGISTRY_URL, { timedOut: true, curlExit: 28 });

testCheck(netRegistry, {
  valid: [
    {
      name: "Codex killed the command after curl and fetch: both named, with what else was kept",
      facts: killedBy("allowlist", ALLOWLIST_SENTENCE),
      status: "pass",
      evidence: [
        REGISTRY_URL,
        DIRECT,
        CONFIG_OFF,
        "curl: ok (HTTP 200, certificate verified)",
        "fetch: ok (HTTP 200)",
        "Codex killed the runner's network command after curl, fetch; kept: environment, TLS control, curl, fetch",
        HOST_FINE,
      ],
    },
    {
      name: "curl retrieves it inside while the host cannot: the host's failure, not 'too'",
      facts: (f) => {
        f.registry.host = HOST_TIMES_OUT;
      },
      status: "pass",
      evidence: "host control: fails on the host: curl: timed out (exit 28)",
    },
    {
      name: "curl and fetch retrieve it; no proxy",
      status: "pass",
      expected: `curl -fsS ${REGISTRY_URL} exits 0 inside the sandbox`,
      observed: "curl: ok (HTTP 200, certificate verified)",
      evidence: [
        REGISTRY_URL,
        DIRECT,
        CONFIG_OFF,
        "curl: ok (HTTP 200, certificate verified)",
        "fetch: ok (HTTP 200)",
        HOST_FINE,
      ],
    },
    {
      name: "proxy variables that are not Codex's, the feature on in the config",
      facts: (f) => {
        const environment = f.network.report.environment;
        if (environment) environment.proxyVariables = { HTTPS_PROXY: "http://proxy:3128", NO_PROXY: "" };
        f.config.base.data = { features: { network_proxy: true } };
      },
      status: "pass",
      evidence: "network inside: proxy variables HTTPS_PROXY, NO_PROXY, not Codex's managed proxy",
    },
    {
      name: "Codex's proxy on with only the lower-case variable; the feature as a table",
      facts: (f) => {
        const environment = f.network.report.environment;
        if (environment) {
          environment.codexProxyActive = true;
          environment.proxyVariables = { https_proxy: "http://127.0.0.1:41234" };
        }
        f.config.base.data = { features: { network_proxy: { enabled: false } } };
      },
      status: "pass",
      evidence:
        "network inside: Codex's managed proxy http://127.0.0.1:41234 (local/private addresses blocked)",
    },
    {
      name: "Codex's proxy on without a variable",
      facts: (f) => {
        const environment = f.network.report.environment;
        if (environment) {
          environment.codexProxyActive = true;
          environment.proxyVariables = {};
        }
      },
      status: "pass",
      evidence: "network inside: Codex's managed proxy no HTTPS_PROXY (local/private addresses blocked)",
    },
    {
      name: "no environment report, no config: the URL and mode from what is left",
      facts: (f) => {
        f.network.report.environment = null;
      },
      missing: { config: "no config", registry: "npm config get registry failed" },
      status: "pass",
      evidence: [
        REGISTRY_URL,
        "network inside: not recorded",
        "managed proxy in the config: features.network_proxy not set (off); config not read",
        "curl: ok (HTTP 200, certificate verified)",
        "fetch: ok (HTTP 200)",
        "host control: npm config get registry failed",
      ],
    },
    {
      name: "fetch listed first: curl's verdict still decides",
      facts: (f) => {
        f.network.report.registry.reverse();
      },
      status: "pass",
    },
    {
      name: "another client's failure that is not fetch's is not a warning",
      facts: (f) => {
        f.network.report.registry.push(attempt("node-https", REGISTRY_URL, { errorCode: "ECONNRESET" }));
      },
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "Codex killed the command before it recorded anything: kept nothing",
      facts: (f) => {
        f.network.report.environment = null;
        f.network.report.tlsControl = null;
        f.network.report.registry = [];
        killedBy("allowlist", ALLOWLIST_SENTENCE)(f);
      },
      status: "fail",
      observedIs: `exec_command: blocked by the proxy policy (allowlist): ${ALLOWLIST_SENTENCE}`,
      evidence: [
        REGISTRY_URL,
        "network inside: not recorded",
        CONFIG_OFF,
        "Codex killed the runner's network command at its first registry request (curl); kept: nothing",
        "host control: blocked in the sandbox, fine on the host (curl: ok (HTTP 200, certificate verified))",
      ],
      remediation:
        'Allow the host in the profile: add "registry.example.invalid" = "allow" under [permissions.azi4a2-autonomous.network.domains].',
    },
    {
      name: "a private-address refusal while the host times out: the sandbox's, the name resolved",
      facts: (f) => {
        f.network.report.registry = [];
        killedBy("private-address", PRIVATE_SENTENCE)(f);
        f.registry.host = HOST_TIMES_OUT;
      },
      status: "fail",
      observedIs: `exec_command: blocked by the proxy policy (private address): ${PRIVATE_SENTENCE}`,
      evidence: "host control: fails on the host too: curl: timed out (exit 28)",
      remediation: PRIVATE_FIX,
    },
    {
      name: "a private-address refusal, the host's control not run: the sandbox's",
      facts: (f) => {
        f.network.report.registry = [];
        killedBy("private-address", PRIVATE_SENTENCE)(f);
      },
      missing: { registry: "npm config get registry failed" },
      status: "fail",
      observedIs: `exec_command: blocked by the proxy policy (private address): ${PRIVATE_SENTENCE}`,
      remediation: PRIVATE_FIX,
    },
    {
      name: "network off inside, the host retrieves it: blocked in the sandbox",
      facts: (f) => {
        const environment = f.network.report.environment;
        if (environment) environment.inetSocket = "EPERM";
        f.network.report.registry = [attempt("curl", REGISTRY_URL, { curlExit: 7 })];
      },
      status: "fail",
      observedIs: "curl: network disabled by the sandbox (exit 7)",
      evidence: [
        REGISTRY_URL,
        "network inside: sockets denied (network off)",
        CONFIG_OFF,
        "curl: network disabled by the sandbox (exit 7)",
        "host control: blocked in the sandbox, fine on the host (curl: ok (HTTP 200, certificate verified))",
      ],
      remediation:
        "Turn the network on for the profile: enabled = true under [permissions.azi4a2-autonomous.network], and pass no legacy --sandbox/-s flag that replaces the profile.",
    },
    {
      name: "an unfinished report with nothing recorded inside: curl did not run",
      facts: (f) => {
        f.network.report.environment = null;
        f.network.report.complete = false;
        f.network.report.registry = [];
      },
      status: "error",
      observedIs: "could not test: the curl probe did not run",
      evidence: [REGISTRY_URL, "network inside: not recorded", CONFIG_OFF, HOST_FINE],
    },
    {
      name: "curl did not run and the host times out: the host's failure, not 'too'",
      facts: (f) => {
        f.network.report.registry = [];
        f.registry.host = HOST_TIMES_OUT;
      },
      status: "error",
      observedIs: "could not test: the curl probe did not run",
      evidence: "host control: fails on the host: curl: timed out (exit 28)",
    },
    {
      name: "fetch listed first and failing, curl retrieves it: curl's pass, fetch's warning",
      facts: (f) => {
        f.network.report.registry = [
          attempt("fetch", REGISTRY_URL, { errorCode: "ECONNRESET" }),
          attempt("curl", REGISTRY_URL, { httpStatus: 200, curlExit: 0, sslVerifyResult: 0 }),
        ];
      },
      status: "warn",
      observedIs: "curl works, but fetch: connection reset (ECONNRESET)",
    },
    {
      name: "nothing known of the registry: a placeholder URL",
      facts: (f) => {
        f.network.report.registry = [];
      },
      missing: { registry: "npm config get registry failed" },
      status: "error",
      expected: "curl -fsS <registry>/astro exits 0 inside the sandbox",
      observed: "could not test: the curl probe did not run",
    },
    {
      name: "network off while the host cannot reach it either: the sandbox's refusal is still the finding",
      facts: (f) => {
        const environment = f.network.report.environment;
        if (environment) environment.inetSocket = "EPERM";
        f.network.report.registry = [attempt("curl", REGISTRY_URL, { curlExit: 7 })];
        f.registry.host = attempt("curl", REGISTRY_URL, { curlExit: 6 });
      },
      status: "fail",
      observed: "curl: network disabled by the sandbox (exit 7)",
    },
    {
      name: "refused by Codex's proxy while the host cannot reach it: still a fail",
      facts: (f) => {
        f.network.report.registry = [
          attempt("curl", REGISTRY_URL, {
            curlExit: 56,
            connectStatus: 403,
            proxyError: "blocked-by-denylist",
          }),
        ];
        f.registry.host = attempt("curl", REGISTRY_URL, { curlExit: 6 });
      },
      status: "fail",
      observed:
        "curl: blocked by the proxy policy (denylist): CONNECT answered 403, x-proxy-error: blocked-by-denylist",
      remediation:
        'The profile denies the host: remove the "deny" entry (or wildcard) matching "registry.example.invalid" from [permissions.azi4a2-autonomous.network.domains]; deny wins over allow.',
    },
    {
      name: "a timeout, and the host cannot reach it: could not test",
      facts: (f) => {
        f.network.report.registry = [attempt("curl", REGISTRY_URL, { timedOut: true, curlExit: 28 })];
        f.registry.host = attempt("curl", REGISTRY_URL, { timedOut: true, curlExit: 28 });
      },
      status: "error",
      observed: "could not test: the host cannot retrieve it either",
      evidence: "host control: fails on the host too: curl: timed out (exit 28)",
    },
    {
      name: "a timeout inside while the host gets through: a fail with curl's words",
      facts: (f) => {
        f.network.report.registry = [attempt("curl", REGISTRY_URL, { timedOut: true, curlExit: 28 })];
      },
      status: "fail",
      observed: "curl: timed out (exit 28)",
    },
    {
      name: "a proxy attempt of another class does not word curl's failure",
      facts: (f) => {
        f.network.report.registry = [
          attempt("curl", REGISTRY_URL, { curlExit: 7 }),
          attempt("proxy", REGISTRY_URL, { connectStatus: 403, proxyError: "blocked-by-allowlist" }),
        ];
      },
      status: "fail",
      observed: "curl: connection refused (exit 7)",
    },
  ],
});
