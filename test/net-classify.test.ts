// The classifier and the kill-message parser on real captures of Codex 0.169's managed proxy
// (test/fixtures/proxy, see its README) and on attempts for the outcomes this machine cannot produce.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classify, classifyKill } from "../checks/net/_classify.js";
import { type ProxyKill, parseProxyKill } from "../src/gather/proxy-kill.js";
import type { HttpAttempt, NetEnvironment, TlsControl } from "../src/runner/net-types.js";
import { attempt as httpAttempt } from "./fixtures/facts/healthy.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/proxy/${name}`, import.meta.url), "utf8");
const attemptsOf = (name: string) => JSON.parse(fixture(name)) as HttpAttempt[];
const environmentOf = (name: string) =>
  JSON.parse(fixture(name)) as { environment: NetEnvironment; tls: TlsControl };
const kills = JSON.parse(fixture("exec-proxy-on.kills.json")) as Record<
  string,
  { command: string; functionCallOutput: string[] }
>;
const killText = (rule: string): string => kills[rule]?.functionCallOutput[0] ?? "";
const proxyOn = environmentOf("sandbox-proxy-on.environment.json").environment;

function lines(attempts: HttpAttempt[], context = {}): string[] {
  return attempts.map((a) => `${classify(a, context).class} | ${classify(a, context).description}`);
}

/** An attempt with no outcome; each test sets what its client reported. */
const attempt = (fields: Partial<HttpAttempt>) =>
  httpAttempt("curl", "https://registry.example.invalid/astro", fields);

describe("Codex's kill message", () => {
  it("parses the three captured variants into host, rule and a plain sentence", () => {
    expect(parseProxyKill(killText("allowlist"))).toEqual({
      host: "codex-smoke-blocked.invalid",
      rule: "allowlist",
      sentence:
        'Network access to "codex-smoke-blocked.invalid" was blocked: domain is not on the allowlist for the current sandbox mode.',
    });
    expect(parseProxyKill(killText("denylist"))).toEqual({
      host: "denied.invalid",
      rule: "denylist",
      sentence:
        'Network access to "denied.invalid" was blocked: domain is explicitly denied by policy and cannot be approved from this prompt.',
    });
    expect(parseProxyKill(killText("private-address"))).toEqual({
      host: "127.0.0.1",
      rule: "private-address",
      sentence:
        'Network access to "127.0.0.1" was blocked: local/private network addresses are blocked by the sandbox policy.',
    });
  });

  it("keeps no Rust type names, and finds nothing in an ordinary command output", () => {
    for (const rule of [
      "allowlist",
      "denylist",
      "private-address",
      "allowlist-http",
      "allowlist-then-more",
    ]) {
      const kill = parseProxyKill(killText(rule)) as ProxyKill;
      expect(kill.sentence).not.toMatch(/ProcessFailed|exec_command|message:|\\|[{}]/);
    }
    const finished = environmentOf("sandbox-proxy-on.environment.json");
    expect(parseProxyKill(JSON.stringify(finished))).toBeNull();
    expect(
      parseProxyKill(
        "Process exited with code 22\nOutput:\ncurl: (22) The requested URL returned error: 403",
      ),
    ).toBe(null);
  });

  it("the command is killed at once: nothing it printed after the blocked request arrives", () => {
    expect(kills["allowlist-then-more"]?.functionCallOutput).toEqual([killText("allowlist")]);
  });

  it("classifies a kill without any attempt", () => {
    const verdict = classifyKill(parseProxyKill(killText("denylist")) as ProxyKill, {
      environment: proxyOn,
      profile: "azi4a2-autonomous",
    });
    expect(verdict).toEqual({
      class: "proxy-blocked",
      qualifier: "denylist",
      description:
        'exec_command: blocked by the proxy policy (denylist): Network access to "denied.invalid" was blocked: domain is explicitly denied by policy and cannot be approved from this prompt.',
      remediation:
        'The profile denies the host: remove the "deny" entry (or wildcard) matching "denied.invalid" from [permissions.azi4a2-autonomous.network.domains]; deny wins over allow.',
    });
  });
});

describe("attempts inside Codex's sandbox with the proxy on", () => {
  it("allowlist: curl exit 22 on the CONNECT 403, the proxy's own sentence, fetch ignoring the proxy", () => {
    const attempts = attemptsOf("sandbox-proxy-on.allowlist.attempts.json");
    const proxy = attempts[0]?.proxy;
    expect(lines(attempts, { environment: proxyOn })).toEqual([
      "proxy-blocked | curl: blocked by the proxy policy (allowlist): CONNECT answered 403, x-proxy-error: blocked-by-allowlist",
      "proxy-blocked | proxy: blocked by the proxy policy (allowlist): Domain not in allowlist.",
      `proxy-ignored | fetch: ignores the proxy ${proxy} and resolves the host itself (EAI_AGAIN): getaddrinfo EAI_AGAIN codex-smoke-blocked.invalid`,
      "dns | node-https: DNS failure (EAI_AGAIN): getaddrinfo EAI_AGAIN codex-smoke-blocked.invalid",
    ]);
    expect(classify(attempts[3] as HttpAttempt, { environment: proxyOn }).remediation).toBe(
      "Inside Codex's proxied sandbox nothing resolves names itself: send the request through HTTPS_PROXY (curl and npm do).",
    );
  });

  it("denylist", () => {
    const attempts = attemptsOf("sandbox-proxy-on.denylist.attempts.json").slice(0, 2);
    expect(lines(attempts)).toEqual([
      "proxy-blocked | curl: blocked by the proxy policy (denylist): CONNECT answered 403, x-proxy-error: blocked-by-denylist",
      "proxy-blocked | proxy: blocked by the proxy policy (denylist): Domain denied by the sandbox policy.",
    ]);
  });

  it("private address: the header says allowlist, the body, or Codex's kill message, says why", () => {
    const attempts = attemptsOf("sandbox-proxy-on.private-address.attempts.json");
    const proxy = attempts[0]?.proxy;
    expect(lines(attempts, { environment: proxyOn })).toEqual([
      "proxy-blocked | curl: blocked by the proxy policy (allowlist): CONNECT answered 403, x-proxy-error: blocked-by-allowlist",
      "proxy-blocked | proxy: blocked by the proxy policy (private address): Sandbox policy blocks local/private network addresses.",
      `proxy-ignored | fetch: ignores the proxy ${proxy} and resolves the host itself (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:8443`,
      "refused | node-https: connection refused (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:8443",
    ]);
    const kill = parseProxyKill(killText("private-address"));
    const curl = classify(attempts[0] as HttpAttempt, { environment: proxyOn, kill, profile: "p" });
    expect(curl).toEqual({
      class: "proxy-blocked",
      qualifier: "private-address",
      description:
        'curl: blocked by the proxy policy (private address): Network access to "127.0.0.1" was blocked: local/private network addresses are blocked by the sandbox policy.',
      remediation:
        "The host is a local or private address: set allow_local_binding = true under [permissions.p.network] if reaching it is intended.",
    });
    expect(classify(attempts[3] as HttpAttempt, { environment: proxyOn }).remediation).toBe(
      "Nothing listens at 127.0.0.1:8443 inside the sandbox, which has its own network namespace: the host's loopback services are not reachable from it.",
    );
  });

  it("a kill for another host does not explain this attempt", () => {
    const [curl] = attemptsOf("sandbox-proxy-on.private-address.attempts.json");
    const kill = parseProxyKill(killText("denylist"));
    expect(classify(curl as HttpAttempt, { kill }).qualifier).toBe("allowlist");
  });

  it("plain http: 403 with JSON; curl -f sees only the header", () => {
    const attempts = attemptsOf("sandbox-proxy-on.allowlist-http.attempts.json").slice(0, 2);
    expect(lines(attempts)).toEqual([
      "proxy-blocked | curl: blocked by the proxy policy (allowlist): the proxy answered 403, x-proxy-error: blocked-by-allowlist",
      "proxy-blocked | proxy: blocked by the proxy policy (allowlist): Domain not in allowlist.",
    ]);
  });

  it("the verbatim curl capture says what the attempt recorded", () => {
    expect(fixture("sandbox-proxy-on.allowlist.curl.txt")).toMatch(
      /^HTTP\/1\.1 403 Forbidden\r?\ncontent-type: text\/plain\r?\nx-proxy-error: blocked-by-allowlist\r?\ncontent-length: 24\r?$/m,
    );
    expect(fixture("sandbox-proxy-on.allowlist.curl.txt")).toMatch(
      /curl: \(22\) The requested URL returned error: 403\nexit 22\n$/,
    );
  });
});

describe("network off", () => {
  const off = environmentOf("sandbox-network-off.environment.json");

  it("every client: network disabled by the sandbox, told by the socket probe or EPERM", () => {
    const attempts = [
      ...attemptsOf("sandbox-network-off.allowlist.attempts.json"),
      ...attemptsOf("sandbox-network-off.private-address.attempts.json"),
    ];
    expect(lines(attempts, { environment: off.environment })).toEqual([
      "network-disabled | curl: network disabled by the sandbox (exit 6): Could not resolve host: codex-smoke-blocked.invalid",
      "network-disabled | fetch: network disabled by the sandbox (EAI_AGAIN): getaddrinfo EAI_AGAIN codex-smoke-blocked.invalid",
      "network-disabled | node-https: network disabled by the sandbox (EAI_AGAIN): getaddrinfo EAI_AGAIN codex-smoke-blocked.invalid",
      "network-disabled | curl: network disabled by the sandbox (exit 7): Failed to connect to 127.0.0.1 port 8443 after 10 ms: Couldn't connect to server",
      "network-disabled | fetch: network disabled by the sandbox (EPERM): connect EPERM 127.0.0.1:8443 - Local (undefined:undefined)",
      "network-disabled | node-https: network disabled by the sandbox (EPERM): connect EPERM 127.0.0.1:8443 - Local (undefined:undefined)",
    ]);
    expect(
      classify(attempts[0] as HttpAttempt, { environment: off.environment, profile: "p" }).remediation,
    ).toBe(
      "Turn the network on for the profile: enabled = true under [permissions.p.network], and pass no legacy --sandbox/-s flag that replaces the profile.",
    );
  });

  it("without the socket probe, curl's exit 6 is only a DNS failure; EPERM still says it", () => {
    const [curl] = attemptsOf("sandbox-network-off.allowlist.attempts.json");
    expect(classify(curl as HttpAttempt).class).toBe("dns");
    const [, fetched] = attemptsOf("sandbox-network-off.private-address.attempts.json");
    expect(classify(fetched as HttpAttempt).class).toBe("network-disabled");
  });

  it("the TLS control cannot listen", () => {
    expect(off.tls).toEqual({ url: null, listenError: "EPERM", attempts: [] });
    expect(off.environment.inetSocket).toBe("EPERM");
  });
});

describe("the in-sandbox TLS control in every proxy setup", () => {
  for (const setup of ["proxy-off", "proxy-on", "proxy-local"]) {
    it(`${setup}: both bypassing clients reject the self-signed certificate`, () => {
      const { tls } = environmentOf(`sandbox-${setup}.environment.json`);
      expect(lines(tls.attempts)).toEqual([
        "tls-untrusted | curl: TLS untrusted issuer (exit 60): SSL certificate problem: self-signed certificate",
        "tls-untrusted | node-https: TLS untrusted issuer (DEPTH_ZERO_SELF_SIGNED_CERT): self-signed certificate",
      ]);
    });
  }

  it("under codex exec with the proxy on, the control runs to its end: exit 0, not killed", () => {
    const outputs = JSON.parse(fixture("exec.environment-and-tls-control.json")) as Record<string, string[]>;
    for (const setup of ["proxy-off", "proxy-on", "proxy-local"]) {
      const [output = ""] = outputs[setup] ?? [];
      expect(output).toMatch(/^Chunk ID: \w+\nWall time: [\d.]+ seconds\nProcess exited with code 0\n/);
      const facts = JSON.parse(output.slice(output.indexOf("{"))) as { tls: TlsControl };
      expect(facts.tls.attempts.map((a) => classify(a).class)).toEqual(["tls-untrusted", "tls-untrusted"]);
    }
  });

  it("the proxy variables a command sees", () => {
    expect(proxyOn).toMatchObject({
      codexProxyActive: true,
      allowLocalBinding: false,
      inetSocket: "ECONNREFUSED",
    });
    expect(proxyOn.proxyVariables).toMatchObject({ NO_PROXY: "", NODE_USE_ENV_PROXY: "1" });
    expect(proxyOn.proxyVariables.HTTPS_PROXY).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(proxyOn.proxyVariables.ALL_PROXY).toMatch(/^socks5h:\/\/127\.0\.0\.1:\d+$/);
    const local = environmentOf("sandbox-proxy-local.environment.json").environment;
    expect(local.proxyVariables.NO_PROXY).toBe(
      "localhost,127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16",
    );
    expect(fixture("sandbox-proxy-on.proxy-env.txt")).toMatch(/^CODEX_NETWORK_PROXY_ACTIVE=1$/m);
  });
});

describe("outcomes this machine cannot reproduce (network-proxy.md, verbatim messages)", () => {
  const mitm: NetEnvironment = {
    ...proxyOn,
    caVariables: { NODE_EXTRA_CA_CERTS: "/home/u/.codex/proxy/ca-bundle-0a1b.pem" },
  };

  it("MITM: a client that ignores the injected CA, with the bundle named in the remedy", () => {
    const curl = attempt({
      curlExit: 60,
      connectStatus: 200,
      sslVerifyResult: 20,
      message: "curl: (60) SSL certificate problem: unable to get local issuer certificate",
    });
    expect(classify(curl, { environment: mitm })).toEqual({
      class: "tls-untrusted",
      qualifier: null,
      description:
        "curl: TLS untrusted issuer (exit 60): SSL certificate problem: unable to get local issuer certificate",
      remediation:
        'Trust the issuer, not "no verification": point NODE_EXTRA_CA_CERTS (Node) and SSL_CERT_FILE or CURL_CA_BUNDLE (curl) at the CA bundle that signed the certificate (Codex\'s proxy CA: /home/u/.codex/proxy/ca-bundle-0a1b.pem).',
    });
  });

  it("limited mode: a POST refused by the method policy", () => {
    const curl = attempt({
      url: "http://registry.example.invalid/-/v1/login",
      httpStatus: 403,
      curlExit: 22,
      proxyError: "blocked-by-method-policy",
      message: "curl: (22) The requested URL returned error: 403",
    });
    expect(lines([curl])).toEqual([
      "proxy-blocked | curl: blocked by the proxy policy (method): the proxy answered 403, x-proxy-error: blocked-by-method-policy",
    ]);
    expect(classify(curl, { profile: "p" }).remediation).toMatch(/^The proxy's limited mode allows only GET/);
  });

  it("an allowed host whose upstream is unreachable: reset (curl 35) and 502 (plain http)", () => {
    const tunnel = attempt({
      curlExit: 35,
      connectStatus: 200,
      message:
        "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to registry.example.invalid:443",
    });
    const plain = attempt({
      url: "http://registry.example.invalid/astro",
      client: "proxy",
      httpStatus: 502,
      errorBody: "upstream failure",
      message: "HTTP/1.1 502 Bad Gateway",
    });
    expect(lines([tunnel, plain])).toEqual([
      "reset | curl: connection reset (exit 35): OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to registry.example.invalid:443",
      "http-status | proxy: HTTP 502: upstream failure",
    ]);
  });

  it("Node 24's fetch through the proxy: undici's tunnel refusal", () => {
    const fetched = attempt({
      client: "fetch",
      proxy: "http://127.0.0.1:3128",
      errorCode: "UND_ERR_ABORTED",
      message: "Proxy response (403) !== 200 when HTTP Tunneling",
    });
    expect(classify(fetched, { environment: proxyOn, profile: "p" })).toEqual({
      class: "proxy-blocked",
      qualifier: "unspecified",
      description:
        "fetch: blocked by the proxy policy (unspecified): Proxy response (403) !== 200 when HTTP Tunneling",
      remediation:
        'Codex\'s proxy refused the request: allow "registry.example.invalid" under [permissions.p.network.domains] (a private address also needs allow_local_binding = true under [permissions.p.network]).',
    });
  });

  it("a proxy-honouring client that cannot reach the proxy itself: refused, not ignoring it", () => {
    const fetched = attempt({
      client: "fetch",
      proxy: "http://127.0.0.1:3128",
      errorCode: "ECONNREFUSED",
      message: "connect ECONNREFUSED 127.0.0.1:3128",
    });
    expect(lines([fetched])).toEqual([
      "refused | fetch: connection refused (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:3128",
    ]);
  });

  it("curl that cannot resolve its proxy: a DNS failure, not a client ignoring the proxy", () => {
    const curl = attempt({
      proxy: "http://proxy.corp.invalid:3128",
      curlExit: 5,
      message: "curl: (5) Could not resolve proxy: proxy.corp.invalid",
    });
    expect(lines([curl])).toEqual([
      "dns | curl: DNS failure (exit 5): Could not resolve proxy: proxy.corp.invalid",
    ]);
  });

  it("a proxy that is not Codex's refuses a tunnel without saying why", () => {
    const curl = attempt({
      curlExit: 22,
      connectStatus: 407,
      message: "curl: (22) The requested URL returned error: 407",
    });
    expect(classify(curl)).toMatchObject({
      class: "proxy-blocked",
      qualifier: "unspecified",
      description: "curl: blocked by the proxy policy (unspecified): CONNECT answered 407",
      remediation: 'A proxy refused the request: allow "registry.example.invalid" in that proxy\'s policy.',
    });
  });

  it("remedies by HTTP status", () => {
    const status = (code: number) => classify(attempt({ client: "fetch", httpStatus: code })).remediation;
    expect(status(404)).toBe(
      "The server is reachable but has no such path: check the URL (registry base, package name).",
    );
    expect(status(401)).toBe(
      "The server refused access (401): check the registry credentials (.npmrc) for this host.",
    );
    expect(status(418)).toBe("The server answered 418: check the URL.");
  });

  it("never suggests switching verification off", () => {
    const tlsAttempts = [
      attempt({ errorCode: "CERT_HAS_EXPIRED", client: "fetch", message: "certificate has expired" }),
      attempt({ errorCode: "CERT_NOT_YET_VALID", client: "fetch", message: "certificate is not yet valid" }),
      attempt({ curlExit: 35, message: "curl: (35) error:0A00010B:SSL routines::wrong version number" }),
      attempt({
        errorCode: "SELF_SIGNED_CERT_IN_CHAIN",
        client: "fetch",
        message: "self-signed certificate in certificate chain",
      }),
    ];
    expect(lines(tlsAttempts)).toEqual([
      "tls-other | fetch: TLS certificate expired (CERT_HAS_EXPIRED): certificate has expired",
      "tls-other | fetch: TLS certificate not yet valid (CERT_NOT_YET_VALID): certificate is not yet valid",
      "tls-other | curl: TLS handshake failed (exit 35): error:0A00010B:SSL routines::wrong version number",
      "tls-untrusted | fetch: TLS untrusted issuer (SELF_SIGNED_CERT_IN_CHAIN): self-signed certificate in certificate chain",
    ]);
    for (const a of tlsAttempts) {
      expect(classify(a).remediation).not.toMatch(/insecure|-k\b|REJECT_UNAUTHORIZED|verify\s*=\s*false/i);
    }
  });

  it("what fits no class stays unclassified, in the client's words", () => {
    const missing = attempt({ errorCode: "ENOENT", message: "curl could not start (ENOENT)" });
    expect(classify(missing)).toEqual({
      class: "unclassified",
      qualifier: null,
      description: "curl: failed (ENOENT): curl could not start (ENOENT)",
      remediation: "Unrecognised failure: read the client's message above.",
    });
  });
});

describe("attempts of real audits under the proxy (Codex 0.169, profile rules as named; messages verbatim)", () => {
  const proxy = "http://127.0.0.1:39557";
  const throughProxy = { mayUseProxy: true, proxy };

  it('"localhost" = "allow": Node 20\'s fetch connects to 127.0.0.1 itself, which is going around the proxy', () => {
    const fetchAttempt = attempt({
      ...throughProxy,
      client: "fetch",
      url: "http://localhost:18555/astro",
      errorCode: "ECONNREFUSED",
      message: "connect ECONNREFUSED 127.0.0.1:18555",
    });
    expect(lines([fetchAttempt])).toEqual([
      `proxy-ignored | fetch: ignores the proxy ${proxy} and resolves the host itself (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:18555`,
    ]);
  });

  it("a refused connection to the proxy's own address is not going around it", () => {
    const toProxy = attempt({
      ...throughProxy,
      client: "fetch",
      url: "http://localhost:39557/astro",
      errorCode: "ECONNREFUSED",
      message: "connect ECONNREFUSED 127.0.0.1:39557",
    });
    expect(classify(toProxy).class).toBe("refused");
  });

  it('"127.0.0.1" = "allow" and nothing listens upstream: reset over https, the proxy\'s 502 over http', () => {
    const https = "https://127.0.0.1:1/astro";
    const http = "http://127.0.0.1:1/astro";
    expect(
      lines([
        attempt({
          ...throughProxy,
          url: https,
          curlExit: 35,
          message: "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 127.0.0.1:1",
        }),
        attempt({ ...throughProxy, client: "proxy", url: https, connectStatus: 200 }),
        attempt({
          ...throughProxy,
          url: http,
          httpStatus: 502,
          curlExit: 22,
          message: "curl: (22) The requested URL returned error: 502",
        }),
        attempt({
          ...throughProxy,
          client: "proxy",
          url: http,
          httpStatus: 502,
          errorBody: "upstream failure",
        }),
      ]),
    ).toEqual([
      "reset | curl: connection reset (exit 35): OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 127.0.0.1:1",
      "ok | proxy: ok (CONNECT 200)",
      "http-status | curl: HTTP 502 (exit 22): The requested URL returned error: 502",
      "http-status | proxy: HTTP 502: upstream failure",
    ]);
  });

  it("an allowed upstream that never answers: curl's own timeout", () => {
    const hang = attempt({
      ...throughProxy,
      url: "http://127.0.0.1:18555/hang/astro",
      curlExit: 28,
      timedOut: true,
      message: "curl: (28) Operation timed out after 5017 milliseconds with 0 bytes received",
    });
    expect(lines([hang])).toEqual([
      "timeout | curl: timed out (exit 28): Operation timed out after 5017 milliseconds with 0 bytes received",
    ]);
  });
});
