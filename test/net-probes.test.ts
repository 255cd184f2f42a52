// The network probes against loopback reproductions of every failure class, with the real curl and Node
// clients, each attempt classified and described. Node clients that must trust a test CA run in a child process
// (NODE_EXTRA_CA_CERTS is read at start-up) from the compiled module, as the sandbox runs it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classify } from "../checks/net/_classify.js";
import { findCodexInstall } from "../src/demo/codex-install.js";
import { launch } from "../src/gather/launch.js";
import {
  curlAttempt,
  fetchAttempt,
  netEnvironment,
  nodeHttpsAttempt,
  proxyAnswerAttempt,
  tlsNegativeControl,
} from "../src/runner/net.js";
import type { HttpAttempt, NetEnvironment, TlsControl } from "../src/runner/net-types.js";
import { generateCertificate, type IssuedCertificate } from "../src/tls/self-signed.js";
import { listenOnLoopback } from "../src/util/loopback.js";

const NET_JS = fileURLToPath(new URL("../dist/src/runner/net.js", import.meta.url));
const dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "net-probes-"));
const closers: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const close of closers) await close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `server` on loopback and closes it (and every socket it accepted) after the file's tests. */
async function serve(server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listenOnLoopback(server);
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return port;
}

function describeAll(attempts: HttpAttempt[]): string[] {
  return attempts.map((attempt) => `${classify(attempt).class} | ${classify(attempt).description}`);
}

/** fetch and https.request in a child Node that trusts `caFile`. */
async function nodeClientsTrusting(caFile: string, url: string): Promise<HttpAttempt[]> {
  const script = `import { fetchAttempt, nodeHttpsAttempt } from ${JSON.stringify(NET_JS)};
const attempts = [await fetchAttempt(process.argv[1]), await nodeHttpsAttempt(process.argv[1])];
process.stdout.write(JSON.stringify(attempts));
process.exit(0);`;
  const child = await execa(process.execPath, ["--input-type=module", "-e", script, url], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
  });
  return JSON.parse(child.stdout) as HttpAttempt[];
}

function httpsServer(leaf: IssuedCertificate): Server {
  const server = createHttpsServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => res.end("ok"));
  server.on("tlsClientError", () => {});
  return server;
}

describe("plain outcomes", () => {
  let base = "";
  beforeAll(async () => {
    const server = createHttpServer((req, res) => {
      const status = Number(req.url?.slice(1)) || 200;
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status === 200 ? "package document" : `codex-smoke test server: ${status}`);
    });
    base = `http://127.0.0.1:${await serve(server)}`;
  });

  it("ok: every client gets 200", async () => {
    const url = `${base}/astro`;
    const attempts = [await curlAttempt(url), await fetchAttempt(url), await nodeHttpsAttempt(url)];
    expect(describeAll(attempts)).toEqual([
      "ok | curl: ok (HTTP 200)",
      "ok | fetch: ok (HTTP 200)",
      "ok | node-https: ok (HTTP 200)",
    ]);
    expect(attempts[0]).toMatchObject({
      curlExit: 0,
      httpStatus: 200,
      connectStatus: null,
      errorBody: null,
      sslVerifyResult: null,
      proxyError: null,
      timedOut: false,
    });
  });

  it("HTTP status: 404 and 503 with the body's first words (curl -f keeps no body)", async () => {
    const attempts = [
      await curlAttempt(`${base}/404`),
      await fetchAttempt(`${base}/404`),
      await nodeHttpsAttempt(`${base}/503`),
    ];
    expect(describeAll(attempts)).toEqual([
      "http-status | curl: HTTP 404 (exit 22): The requested URL returned error: 404",
      "http-status | fetch: HTTP 404: codex-smoke test server: 404",
      "http-status | node-https: HTTP 503: codex-smoke test server: 503",
    ]);
    expect(classify(attempts[2] as HttpAttempt).remediation).toMatch(/failed with 503/);
  });

  it("refused: a closed port", async () => {
    const probe = createNetServer();
    const port = await listenOnLoopback(probe);
    await new Promise((resolve) => probe.close(resolve));
    const url = `http://127.0.0.1:${port}/`;
    const attempts = [await curlAttempt(url), await fetchAttempt(url), await nodeHttpsAttempt(url)];
    // curl says how long it tried: 0 ms on an idle machine, more under load.
    expect(describeAll(attempts).map((line) => line.replace(/ after \d+ ms:/, " after N ms:"))).toEqual([
      `refused | curl: connection refused (exit 7): Failed to connect to 127.0.0.1 port ${port} after N ms: Couldn't connect to server`,
      `refused | fetch: connection refused (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:${port}`,
      `refused | node-https: connection refused (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:${port}`,
    ]);
  });

  it("reset: the server resets the connection when the request arrives", async () => {
    const port = await serve(
      createNetServer((socket) => socket.once("data", () => socket.resetAndDestroy())),
    );
    const attempts = [
      await curlAttempt(`http://127.0.0.1:${port}/`),
      await curlAttempt(`https://127.0.0.1:${port}/`),
      await fetchAttempt(`https://127.0.0.1:${port}/`),
      await nodeHttpsAttempt(`http://127.0.0.1:${port}/`),
    ];
    expect(describeAll(attempts)).toEqual([
      "reset | curl: connection reset (exit 56): Recv failure: Connection reset by peer",
      "reset | curl: connection reset (exit 35): Recv failure: Connection reset by peer",
      "reset | fetch: connection reset (ECONNRESET): read ECONNRESET",
      "reset | node-https: connection reset (ECONNRESET): read ECONNRESET",
    ]);
  });

  it("reset: the server closes the connection without answering", async () => {
    const port = await serve(createNetServer((socket) => socket.once("data", () => socket.end())));
    const url = `http://127.0.0.1:${port}/`;
    const attempts = [await curlAttempt(url), await fetchAttempt(url), await nodeHttpsAttempt(url)];
    expect(describeAll(attempts)).toEqual([
      "reset | curl: connection reset (exit 52): Empty reply from server",
      "reset | fetch: connection reset (UND_ERR_SOCKET): other side closed",
      "reset | node-https: connection reset (ECONNRESET): socket hang up",
    ]);
  });

  it("timeout: a server that never answers is given up at the probe's own deadline", async () => {
    const port = await serve(createNetServer(() => {}));
    const url = `https://127.0.0.1:${port}/`;
    const attempts = await Promise.all([
      curlAttempt(url, { timeoutMs: 600 }),
      fetchAttempt(url, { timeoutMs: 600 }),
      nodeHttpsAttempt(url, { timeoutMs: 600 }),
    ]);
    const lines = describeAll(attempts);
    expect(lines[0]).toMatch(
      /^timeout \| curl: timed out \(exit 28\): Connection timed out after 6\d\d milliseconds$/,
    );
    expect(lines.slice(1)).toEqual([
      "timeout | fetch: timed out: The operation was aborted due to timeout",
      "timeout | node-https: timed out: no answer within 600 ms",
    ]);
    for (const attempt of attempts) {
      expect(attempt.timedOut).toBe(true);
      expect(attempt.durationMs).toBeLessThan(1_600);
    }
  });

  it("DNS failure: a .invalid name", async () => {
    const url = "https://codex-smoke.invalid/astro";
    const attempts = [await curlAttempt(url), await fetchAttempt(url), await nodeHttpsAttempt(url)];
    expect(describeAll(attempts)).toEqual([
      "dns | curl: DNS failure (exit 6): Could not resolve host: codex-smoke.invalid",
      "dns | fetch: DNS failure (ENOTFOUND): getaddrinfo ENOTFOUND codex-smoke.invalid",
      "dns | node-https: DNS failure (ENOTFOUND): getaddrinfo ENOTFOUND codex-smoke.invalid",
    ]);
  });
});

describe("certificates", () => {
  const ca = generateCertificate({ commonName: "codex-smoke-test-ca", ca: true });
  const caFile = join(dir, "ca.pem");
  const curlTrustingCa = { env: { ...process.env, CURL_CA_BUNDLE: caFile } };
  const servers = {
    fine: httpsServer(generateCertificate({ commonName: "fine", issuer: ca, ipAddresses: ["127.0.0.1"] })),
    expired: httpsServer(
      generateCertificate({
        commonName: "expired",
        issuer: ca,
        ipAddresses: ["127.0.0.1"],
        notBefore: new Date("2024-01-01T00:00:00Z"),
        notAfter: new Date("2024-02-01T00:00:00Z"),
      }),
    ),
    notYetValid: httpsServer(
      generateCertificate({
        commonName: "not-yet-valid",
        issuer: ca,
        ipAddresses: ["127.0.0.1"],
        notBefore: new Date("2049-01-01T00:00:00Z"),
        notAfter: new Date("2049-02-01T00:00:00Z"),
      }),
    ),
    otherHost: httpsServer(
      generateCertificate({ commonName: "other", issuer: ca, dnsNames: ["registry.invalid"] }),
    ),
  };
  const urls = { fine: "", expired: "", notYetValid: "", otherHost: "" };
  beforeAll(async () => {
    writeFileSync(caFile, ca.certPem);
    for (const name of ["fine", "expired", "notYetValid", "otherHost"] as const) {
      urls[name] = `https://127.0.0.1:${await serve(servers[name])}/astro`;
    }
  });

  it("untrusted issuer: a CA the clients do not trust", async () => {
    const attempts = [
      await curlAttempt(urls.fine),
      await fetchAttempt(urls.fine),
      await nodeHttpsAttempt(urls.fine),
    ];
    expect(describeAll(attempts)).toEqual([
      "tls-untrusted | curl: TLS untrusted issuer (exit 60): SSL certificate problem: unable to get local issuer certificate",
      "tls-untrusted | fetch: TLS untrusted issuer (UNABLE_TO_VERIFY_LEAF_SIGNATURE): unable to verify the first certificate",
      "tls-untrusted | node-https: TLS untrusted issuer (UNABLE_TO_VERIFY_LEAF_SIGNATURE): unable to verify the first certificate",
    ]);
    expect(attempts[0]?.sslVerifyResult).toBe(20);
    expect(classify(attempts[0] as HttpAttempt).remediation).toMatch(/NODE_EXTRA_CA_CERTS.*SSL_CERT_FILE/);
    expect(classify(attempts[0] as HttpAttempt).remediation).not.toMatch(/insecure|-k\b|REJECT_UNAUTHORIZED/);
  });

  it("the same CA trusted through the environment: ok", async () => {
    const attempts = [
      await curlAttempt(urls.fine, curlTrustingCa),
      ...(await nodeClientsTrusting(caFile, urls.fine)),
    ];
    expect(describeAll(attempts)).toEqual([
      "ok | curl: ok (HTTP 200, certificate verified)",
      "ok | fetch: ok (HTTP 200)",
      "ok | node-https: ok (HTTP 200)",
    ]);
    expect(attempts[0]?.sslVerifyResult).toBe(0);
  });

  it("expired certificate from a trusted CA", async () => {
    const attempts = [
      await curlAttempt(urls.expired, curlTrustingCa),
      ...(await nodeClientsTrusting(caFile, urls.expired)),
    ];
    expect(describeAll(attempts)).toEqual([
      "tls-other | curl: TLS certificate expired (exit 60): SSL certificate problem: certificate has expired",
      "tls-other | fetch: TLS certificate expired (CERT_HAS_EXPIRED): certificate has expired",
      "tls-other | node-https: TLS certificate expired (CERT_HAS_EXPIRED): certificate has expired",
    ]);
  });

  it("a certificate not valid yet, from a trusted CA", async () => {
    const attempts = [
      await curlAttempt(urls.notYetValid, curlTrustingCa),
      ...(await nodeClientsTrusting(caFile, urls.notYetValid)),
    ];
    expect(describeAll(attempts)).toEqual([
      "tls-other | curl: TLS certificate not yet valid (exit 60): SSL certificate problem: certificate is not yet valid",
      "tls-other | fetch: TLS certificate not yet valid (CERT_NOT_YET_VALID): certificate is not yet valid",
      "tls-other | node-https: TLS certificate not yet valid (CERT_NOT_YET_VALID): certificate is not yet valid",
    ]);
  });

  it("a certificate for another host name", async () => {
    const attempts = [
      await curlAttempt(urls.otherHost, curlTrustingCa),
      ...(await nodeClientsTrusting(caFile, urls.otherHost)),
    ];
    const hostMismatch =
      "TLS certificate does not match the host name (ERR_TLS_CERT_ALTNAME_INVALID): Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list:";
    expect(describeAll(attempts)).toEqual([
      "tls-other | curl: TLS certificate does not match the host name (exit 60): SSL: no alternative certificate subject name matches target host name '127.0.0.1'",
      `tls-other | fetch: ${hostMismatch}`,
      `tls-other | node-https: ${hostMismatch}`,
    ]);
  });
});

describe("a proxy that refuses (Codex's managed proxy, reproduced)", () => {
  let proxyUrl = "";
  let connects: string[] = [];
  beforeAll(async () => {
    const proxy: HttpServer = createHttpServer((req, res) => {
      const body = JSON.stringify({
        status: "blocked",
        host: new URL(req.url ?? "http://unknown/").hostname,
        reason: "not_allowed",
        decision: "deny",
        source: "baseline_policy",
        protocol: "http",
        port: 80,
        message: "Domain not in allowlist.",
      });
      res.writeHead(403, { "content-type": "application/json", "x-proxy-error": "blocked-by-allowlist" });
      res.end(body);
    });
    proxy.on("connect", (req, socket: Socket) => {
      connects.push(req.url ?? "");
      const body = "Domain not in allowlist.";
      socket.on("error", () => {});
      socket.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nx-proxy-error: blocked-by-allowlist\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
      );
    });
    proxyUrl = `http://127.0.0.1:${await serve(proxy)}`;
  });

  const proxyEnv = () => ({ ...process.env, HTTPS_PROXY: proxyUrl, http_proxy: proxyUrl, NO_PROXY: "" });

  it("CONNECT answered 403 with x-proxy-error: curl (exit 22) and the proxy's own words", async () => {
    const url = "https://registry.invalid/astro";
    const curl = await curlAttempt(url, { env: proxyEnv() });
    const answer = await proxyAnswerAttempt(url, { env: proxyEnv() });
    expect(curl).toMatchObject({
      curlExit: 22,
      connectStatus: 403,
      httpStatus: null,
      proxy: proxyUrl,
      sslVerifyResult: null,
      errorBody: null,
    });
    expect(answer).toMatchObject({ connectStatus: 403, errorBody: "Domain not in allowlist." });
    expect(describeAll([curl, answer as HttpAttempt])).toEqual([
      "proxy-blocked | curl: blocked by the proxy policy (allowlist): CONNECT answered 403, x-proxy-error: blocked-by-allowlist",
      "proxy-blocked | proxy: blocked by the proxy policy (allowlist): Domain not in allowlist.",
    ]);
    expect(classify(curl, { profile: "azi4a2-autonomous" }).remediation).toBe(
      'Allow the host in the profile: add "registry.invalid" = "allow" under [permissions.azi4a2-autonomous.network.domains].',
    );
  });

  it("plain http answered 403 with JSON: curl sees the header, the proxy probe the reason", async () => {
    const url = "http://registry.invalid/astro";
    const curl = await curlAttempt(url, { env: proxyEnv() });
    const answer = (await proxyAnswerAttempt(url, { env: proxyEnv() })) as HttpAttempt;
    expect(answer.errorBody).toMatch(
      /^\{"status":"blocked","host":"registry.invalid","reason":"not_allowed"/,
    );
    expect(describeAll([curl, answer])).toEqual([
      "proxy-blocked | curl: blocked by the proxy policy (allowlist): the proxy answered 403, x-proxy-error: blocked-by-allowlist",
      "proxy-blocked | proxy: blocked by the proxy policy (allowlist): Domain not in allowlist.",
    ]);
  });

  it("a client that ignores the proxy: Node 20's fetch resolves the host itself", async () => {
    connects = [];
    const url = "https://registry.invalid/astro";
    const attempts = [
      await curlAttempt(url, { env: proxyEnv() }),
      await fetchAttempt(url, { env: proxyEnv() }),
    ];
    // Only curl asked the proxy: fetch went to DNS on its own.
    expect(connects).toEqual(["registry.invalid:443"]);
    expect(describeAll(attempts)[1]).toBe(
      `proxy-ignored | fetch: ignores the proxy ${proxyUrl} and resolves the host itself (ENOTFOUND): getaddrinfo ENOTFOUND registry.invalid`,
    );
  });

  it("bypassing clients are not offered the proxy and NO_PROXY is honoured", async () => {
    const url = "https://registry.invalid/astro";
    const bypass = await curlAttempt(url, { env: proxyEnv(), bypassProxy: true });
    expect(bypass).toMatchObject({ mayUseProxy: false, proxy: null, curlExit: 6 });
    const listed = await curlAttempt(url, { env: { ...proxyEnv(), NO_PROXY: ".invalid" } });
    expect(listed).toMatchObject({ mayUseProxy: true, proxy: null, curlExit: 6 });
    expect(proxyAnswerAttempt(url, { env: { ...proxyEnv(), NO_PROXY: "*" } })).toBeNull();
  });

  it("proxy variables are recorded without credentials", async () => {
    const env = await netEnvironment({ env: { HTTPS_PROXY: "http://user:secret@127.0.0.1:3128", PATH: "" } });
    expect(env.proxyVariables).toEqual({ HTTPS_PROXY: "http://127.0.0.1:3128" });
    expect(env.inetSocket).toBe("ECONNREFUSED");
  });
});

describe("the in-sandbox TLS control, on the host", () => {
  it("serves the given certificate and both bypassing clients reject it", async () => {
    const cert = generateCertificate({ commonName: "codex-smoke-untrusted", ipAddresses: ["127.0.0.1"] });
    const control = await tlsNegativeControl(cert, {
      env: { ...process.env, HTTPS_PROXY: "http://127.0.0.1:9" },
    });
    expect(control.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(describeAll(control.attempts)).toEqual([
      "tls-untrusted | curl: TLS untrusted issuer (exit 60): SSL certificate problem: self-signed certificate",
      "tls-untrusted | node-https: TLS untrusted issuer (DEPTH_ZERO_SELF_SIGNED_CERT): self-signed certificate",
    ]);
    expect(control.attempts.map((a) => a.mayUseProxy)).toEqual([false, false]);
  });
});

describe("inside Codex's sandbox (codex sandbox, the dev-dependency release)", () => {
  const codex = findCodexInstall();
  const lab = join(dir, "lab");
  const home = join(lab, "home");
  const project = join(lab, "proj");
  const profile = (name: string, network: string, features = "") => `default_permissions = "${name}"
${features}
[permissions.${name}.filesystem]
":minimal" = "read"
${JSON.stringify(codex.vendorDir)} = "read"
[permissions.${name}.filesystem.":workspace_roots"]
"." = "write"
[permissions.${name}.network]
${network}
`;

  beforeAll(() => {
    mkdirSync(join(home, ".codex"), { recursive: true });
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(home, ".codex", "config.toml"),
      "[analytics]\nenabled = false\n[features]\nplugins = false\n",
    );
    writeFileSync(join(home, ".codex", "net-off.config.toml"), profile("net-off", "enabled = false"));
    writeFileSync(
      join(home, ".codex", "proxy-on.config.toml"),
      profile("proxy-on", "enabled = true", "[features]\nnetwork_proxy = true"),
    );
    copyFileSync(NET_JS, join(project, "net.js"));
    const cert = generateCertificate({ commonName: "codex-smoke-untrusted", ipAddresses: ["127.0.0.1"] });
    writeFileSync(join(project, "cert.json"), JSON.stringify(cert));
    // writeSync: with the network off, Node's asynchronous writes to a socket stdout vanish (fixtures/proxy).
    writeFileSync(
      join(project, "probe.mjs"),
      `import { readFileSync, writeSync } from "node:fs";
import { curlAttempt, netEnvironment, nodeHttpsAttempt, proxyAnswerAttempt, tlsNegativeControl } from "./net.js";
const url = process.argv[2];
const facts = {
  environment: await netEnvironment(),
  tls: await tlsNegativeControl(JSON.parse(readFileSync("cert.json", "utf8"))),
  attempts: [await curlAttempt(url), await proxyAnswerAttempt(url), await nodeHttpsAttempt(url)].filter(Boolean),
};
writeSync(1, JSON.stringify(facts));
process.exit(0);
`,
    );
  });

  async function probeInSandbox(setup: string, url: string) {
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: home,
      CODEX_HOME: join(home, ".codex"),
      LANG: "C.UTF-8",
    };
    const args = ["sandbox", "-p", setup, "-P", setup, "-C", project, "--", "node", "probe.mjs", url];
    const run = await launch(codex.bin, args, { cwd: project, env, timeoutMs: 60_000 });
    expect(run.stderr).toBe("");
    return JSON.parse(run.stdout) as {
      environment: NetEnvironment;
      tls: TlsControl;
      attempts: HttpAttempt[];
    };
  }

  it("network off: sockets are refused (EPERM), the TLS control cannot listen, every client is told why", async () => {
    const facts = await probeInSandbox("net-off", "https://127.0.0.1:8443/astro");
    expect(facts.environment.inetSocket).toBe("EPERM");
    expect(facts.tls).toEqual({ url: null, listenError: "EPERM", attempts: [] });
    expect(facts.attempts.map((a) => classify(a, { environment: facts.environment }).class)).toEqual([
      "network-disabled",
      "network-disabled",
    ]);
  });

  it("proxy on: the real proxy blocks a .invalid host; the TLS control is rejected by both bypassing clients", async () => {
    const facts = await probeInSandbox("proxy-on", "https://codex-smoke-blocked.invalid/astro");
    expect(facts.environment).toMatchObject({ codexProxyActive: true, inetSocket: "ECONNREFUSED" });
    expect(facts.tls.attempts.map((a) => classify(a).description)).toEqual([
      "curl: TLS untrusted issuer (exit 60): SSL certificate problem: self-signed certificate",
      "node-https: TLS untrusted issuer (DEPTH_ZERO_SELF_SIGNED_CERT): self-signed certificate",
    ]);
    expect(facts.attempts.map((a) => classify(a, { environment: facts.environment }).description)).toEqual([
      "curl: blocked by the proxy policy (allowlist): CONNECT answered 403, x-proxy-error: blocked-by-allowlist",
      "proxy: blocked by the proxy policy (allowlist): Domain not in allowlist.",
      "node-https: DNS failure (EAI_AGAIN): getaddrinfo EAI_AGAIN codex-smoke-blocked.invalid",
    ]);
  });
});
