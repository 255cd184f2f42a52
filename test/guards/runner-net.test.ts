// The runner's network probes where the answer is odd: what a proxy-honouring client would send and to which
// proxy, how much of a proxy's answer is kept and when it is complete, what the environment says, and long error
// bodies. Loopback servers that answer byte by byte, as Codex's proxy or a broken one would.
import { chmodSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import {
  type AddressInfo,
  connect,
  createServer as createNetServer,
  type Server,
  type Socket,
} from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  curlAttempt,
  fetchAttempt,
  netEnvironment,
  nodeHttpsAttempt,
  proxyAnswerAttempt,
  tlsNegativeControl,
} from "../../src/runner/net.js";
import type { HttpAttempt } from "../../src/runner/net-types.js";
import { generateCertificate } from "../../src/tls/self-signed.js";
import { listenOnLoopback } from "../../src/util/loopback.js";
import { tempDirs } from "../helpers/temp-dirs.js";

const { tempDir } = tempDirs("runner-net-");

const closers: Array<() => void> = [];
afterAll(() => {
  for (const close of closers) close();
});

/** Starts `server` on `host` (127.0.0.1, or ::1) and closes it and its sockets after the file's tests. */
async function serve(server: Server, host = "127.0.0.1"): Promise<number> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return port;
}

/** A proxy that records each request head and answers it with `answer`. */
async function rawProxy(
  answer: (socket: Socket) => void,
  host = "127.0.0.1",
): Promise<{ url: string; heads: string[] }> {
  const heads: string[] = [];
  const server = createNetServer((socket) => {
    let received = "";
    const onData = (chunk: Buffer) => {
      received += chunk.toString("latin1");
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData);
      heads.push(received.slice(0, end));
      answer(socket);
    };
    socket.on("data", onData);
  });
  const port = await serve(server, host);
  return { url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`, heads };
}

/** The proxy's answer to `url` through a proxy answering `answer`, with a short deadline. */
async function proxyAnswer(url: string, answer: (socket: Socket) => void): Promise<HttpAttempt> {
  const proxy = await rawProxy(answer);
  const attempt = await proxyAnswerAttempt(url, {
    env: { http_proxy: proxy.url, HTTPS_PROXY: proxy.url },
    timeoutMs: 400,
  });
  if (attempt === null) throw new Error("no proxy applied");
  return attempt;
}

const FORBIDDEN = "HTTP/1.1 403 Forbidden\r\n";

describe("the proxy's own answer", () => {
  it("CONNECT to the target's host and port (443 when it names none); an absolute-form GET for http", async () => {
    const proxy = await rawProxy((socket) => socket.end("HTTP/1.1 200 Connection established\r\n\r\n"));
    const env = { HTTPS_PROXY: proxy.url, http_proxy: proxy.url };
    const https = await proxyAnswerAttempt("https://registry.invalid/astro", { env });
    await proxyAnswerAttempt("https://registry.invalid:8443/astro", { env });
    const http = await proxyAnswerAttempt("http://registry.invalid/astro?v=1", { env });
    expect(proxy.heads).toEqual([
      "CONNECT registry.invalid:443 HTTP/1.1\r\nHost: registry.invalid:443",
      "CONNECT registry.invalid:8443 HTTP/1.1\r\nHost: registry.invalid:8443",
      "GET http://registry.invalid/astro?v=1 HTTP/1.1\r\nHost: registry.invalid\r\nConnection: close",
    ]);
    expect(https).toMatchObject({
      client: "proxy",
      mayUseProxy: true,
      proxy: proxy.url,
      connectStatus: 200,
      httpStatus: null,
      errorBody: null,
      proxyError: null,
      message: "HTTP/1.1 200 Connection established",
      timedOut: false,
    });
    expect(http).toMatchObject({ connectStatus: null, httpStatus: 200 });
  });

  it("a chunked refusal is complete at its last chunk, though the proxy keeps the connection open", async () => {
    const attempt = await proxyAnswer("https://registry.invalid/", (socket) => {
      socket.write(
        `${FORBIDDEN}Transfer-Encoding: Chunked\r\nx-proxy-error: blocked-by-allowlist\r\n\r\n6\r\nDoma`,
      );
      setImmediate(() => socket.write("in\r\nc\r\n not allowed\r\n0\r\n\r\n"));
    });
    expect(attempt).toMatchObject({
      connectStatus: 403,
      proxyError: "blocked-by-allowlist",
      errorBody: "Domain not allowed",
      timedOut: false,
      message: "HTTP/1.1 403 Forbidden",
    });
  });

  it("a 400 answer is a refusal too: its body is kept", async () => {
    const attempt = await proxyAnswer("http://registry.invalid/", (socket) =>
      socket.write("HTTP/1.1 400 Bad Request\r\ncontent-length: 8\r\n\r\nbad host"),
    );
    expect(attempt).toMatchObject({ httpStatus: 400, errorBody: "bad host", timedOut: false });
  });

  it("a refusal with a content-length is complete at that length; a long one at 200 characters", async () => {
    const short = await proxyAnswer("https://registry.invalid/", (socket) =>
      socket.write(`${FORBIDDEN}Content-Length: 5\r\n\r\nnope!`),
    );
    expect(short).toMatchObject({ errorBody: "nope!", timedOut: false });
    const long = await proxyAnswer("https://registry.invalid/", (socket) =>
      socket.write(`${FORBIDDEN}\r\n${"why ".repeat(100)}`),
    );
    expect(long).toMatchObject({ errorBody: "why ".repeat(50), timedOut: false });
  });

  it("a refusal whose body never completes: what came, the head's words, timed out at the deadline", async () => {
    const attempt = await proxyAnswer("http://registry.invalid/", (socket) =>
      socket.write(`${FORBIDDEN}content-length: 100\r\n\r\nshort`),
    );
    expect(attempt).toMatchObject({
      httpStatus: 403,
      errorBody: "short",
      timedOut: true,
      message: "HTTP/1.1 403 Forbidden",
    });
    expect(attempt.durationMs).toBeGreaterThanOrEqual(350);
  });

  it("a proxy that never answers: timed out with the deadline named", async () => {
    const attempt = await proxyAnswer("https://registry.invalid/", () => {});
    expect(attempt).toMatchObject({
      timedOut: true,
      message: "no answer within 400 ms",
      connectStatus: null,
    });
  });

  it("a proxy that closes without an answer, with a line that is not HTTP, or with a head that is not HTTP", async () => {
    const silent = await proxyAnswer("https://registry.invalid/", (socket) => socket.end());
    expect(silent).toMatchObject({
      message: "the proxy closed the connection without an answer",
      timedOut: false,
      connectStatus: null,
    });
    const words = await proxyAnswer("https://registry.invalid/", (socket) =>
      socket.end("\n \t \n  go away  \nbye\n"),
    );
    expect(words.message).toBe("go away");
    const long = await proxyAnswer("https://registry.invalid/", (socket) =>
      socket.end(`${"no ".repeat(100)}\n`),
    );
    expect(long.message).toBe("no ".repeat(67).slice(0, 200));
    const other = await proxyAnswer("https://registry.invalid/", (socket) =>
      socket.write("SSH-2.0-x\r\n\r\n"),
    );
    expect(other).toMatchObject({
      connectStatus: null,
      message: "SSH-2.0-x",
      timedOut: false,
      errorBody: null,
    });
    const late = await proxyAnswer("https://registry.invalid/", (socket) =>
      socket.write("SOCKS HTTP/1.1 200 OK\r\n\r\n"),
    );
    expect(late).toMatchObject({ connectStatus: null, message: "SOCKS HTTP/1.1 200 OK", timedOut: false });
  });

  it("an answer that starts with an empty line is no HTTP head: complete at once, no status", async () => {
    const attempt = await proxyAnswer("https://registry.invalid/", (socket) =>
      socket.write("\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"),
    );
    expect(attempt).toMatchObject({ connectStatus: null, message: "HTTP/1.1 200 OK", timedOut: false });
  });

  it("a CONNECT answered 200 is complete at its head, though the proxy holds the tunnel open", async () => {
    const before = performance.now();
    const attempt = await proxyAnswer("https://registry.invalid/", (socket) =>
      socket.write("HTTP/1.1 200 Connection established\r\nx-proxy-error : none\r\n\r\n"),
    );
    const took = performance.now() - before;
    expect(attempt).toMatchObject({
      connectStatus: 200,
      proxyError: "none",
      errorBody: null,
      timedOut: false,
      message: "HTTP/1.1 200 Connection established",
    });
    expect(attempt.durationMs).toBeLessThanOrEqual(Math.ceil(took));
  });

  it("a head cut short and held: the deadline named, not the half line", async () => {
    const attempt = await proxyAnswer("https://registry.invalid/", (socket) =>
      socket.write("HTTP/1.1 403 Forbidden\r\n"),
    );
    expect(attempt).toMatchObject({
      connectStatus: null,
      timedOut: true,
      message: "no answer within 400 ms",
    });
  });

  it("a chunked refusal held after a size line cut short: the chunks that came, timed out", async () => {
    const attempt = await proxyAnswer("https://registry.invalid/", (socket) =>
      socket.write(`${FORBIDDEN}transfer-encoding: chunked\r\n\r\n6\r\nDomain\r\n12`),
    );
    expect(attempt).toMatchObject({ connectStatus: 403, errorBody: "Domain", timedOut: true });
  });

  it("a proxy on an IPv6 loopback address, named in brackets", async () => {
    const proxy = await rawProxy(
      (socket) => socket.write("HTTP/1.1 200 Connection established\r\n\r\n"),
      "::1",
    );
    const attempt = await proxyAnswerAttempt("https://registry.invalid/", {
      env: { HTTPS_PROXY: proxy.url },
    });
    expect(proxy.heads).toEqual(["CONNECT registry.invalid:443 HTTP/1.1\r\nHost: registry.invalid:443"]);
    expect(attempt).toMatchObject({ proxy: proxy.url, connectStatus: 200, errorCode: null, timedOut: false });
  });

  it("a proxy that refuses the connection: its errno and words", async () => {
    const closed = createNetServer();
    const port = await listenOnLoopback(closed);
    await new Promise((resolve) => closed.close(resolve));
    const attempt = await proxyAnswerAttempt("https://registry.invalid/", {
      env: { HTTPS_PROXY: `http://127.0.0.1:${port}` },
    });
    expect(attempt).toMatchObject({
      errorCode: "ECONNREFUSED",
      message: `connect ECONNREFUSED 127.0.0.1:${port}`,
      timedOut: false,
    });
  });
});

describe("which proxy a proxy-honouring client uses", () => {
  it("the scheme's variable, lower case first, an empty one skipped, else ALL_PROXY; credentials dropped", async () => {
    const proxy = await rawProxy((socket) => socket.end("HTTP/1.1 200 OK\r\n\r\n"));
    const port = proxy.url.split(":")[2];
    const elsewhere = "http://127.0.0.1:9";
    const used = async (env: NodeJS.ProcessEnv, url = "https://registry.invalid/") =>
      (await proxyAnswerAttempt(url, { env }))?.proxy ?? null;
    expect(await used({ https_proxy: proxy.url, HTTPS_PROXY: elsewhere })).toBe(proxy.url);
    expect(await used({ https_proxy: "", HTTPS_PROXY: proxy.url, ALL_PROXY: elsewhere })).toBe(proxy.url);
    expect(await used({ http_proxy: elsewhere, all_proxy: proxy.url, ALL_PROXY: elsewhere })).toBe(proxy.url);
    expect(await used({ ALL_PROXY: proxy.url })).toBe(proxy.url);
    expect(await used({ HTTP_PROXY: proxy.url, HTTPS_PROXY: elsewhere }, "http://registry.invalid/")).toBe(
      proxy.url,
    );
    expect(await used({ HTTPS_PROXY: `http://user:secret@127.0.0.1:${port}` })).toBe(proxy.url);
    expect(await used({ http_proxy: proxy.url })).toBeNull();
    expect(await used({ HTTPS_PROXY: "https://127.0.0.1:9" })).toBeNull();
  });

  it("NO_PROXY: names and domain suffixes, a leading dot or *., any case, commas or spaces; no_proxy first", async () => {
    const proxy = await rawProxy((socket) => socket.end("HTTP/1.1 200 OK\r\n\r\n"));
    const applies = async (noProxy: NodeJS.ProcessEnv, url = "https://registry.invalid/") =>
      (await proxyAnswerAttempt(url, { env: { HTTPS_PROXY: proxy.url, ...noProxy } })) !== null;
    expect(await applies({ NO_PROXY: "other.test, ,.invalid" })).toBe(false);
    expect(await applies({ NO_PROXY: "other.test *.INVALID" })).toBe(false);
    expect(await applies({ NO_PROXY: "invalid" })).toBe(false);
    expect(await applies({ NO_PROXY: "Registry.Invalid" })).toBe(false);
    expect(await applies({ no_proxy: "", NO_PROXY: "*" })).toBe(false);
    expect(await applies({ no_proxy: "other.test", NO_PROXY: "*" })).toBe(true);
    expect(await applies({ NO_PROXY: "istry.invalid" })).toBe(true);
    expect(await applies({ NO_PROXY: "registry.invalid.test" })).toBe(true);
    expect(await applies({ NO_PROXY: "::1" }, "https://[::1]:8443/")).toBe(false);
    // Separators at either end make no empty entry that would match a host name's trailing dot.
    expect(await applies({ NO_PROXY: " other.test," }, "https://registry.invalid./")).toBe(true);
  });
});

describe("the environment the network part records", () => {
  it("proxy and CA variables as set, without credentials; Codex's proxy and local binding as flags", async () => {
    const every = Object.fromEntries(
      [
        ...["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"],
        ...[
          "no_proxy",
          "NO_PROXY",
          "NODE_USE_ENV_PROXY",
          "NODE_EXTRA_CA_CERTS",
          "SSL_CERT_FILE",
          "SSL_CERT_DIR",
        ],
        ...[
          "CURL_CA_BUNDLE",
          "NPM_CONFIG_CAFILE",
          "npm_config_cafile",
          "GIT_SSL_CAINFO",
          "REQUESTS_CA_BUNDLE",
        ],
      ].map((name) => [name, `${name}-value`]),
    );
    const all = await netEnvironment({ env: { ...every, PATH: "/bin" } });
    expect(Object.keys({ ...all.proxyVariables, ...all.caVariables }).sort()).toEqual(
      Object.keys(every).sort(),
    );
    const env = await netEnvironment({
      env: {
        http_proxy: "user:pw@proxy.test:3128",
        NO_PROXY: "localhost",
        NODE_USE_ENV_PROXY: "1",
        ALL_PROXY: "http://127.0.0.1:3128/a@b",
        NODE_EXTRA_CA_CERTS: "/ca/extra.pem",
        SSL_CERT_DIR: "/ca",
        GIT_SSL_CAINFO: "/ca/git.pem",
        REQUESTS_CA_BUNDLE: "/ca/req.pem",
        CODEX_NETWORK_PROXY_ACTIVE: "1",
        CODEX_NETWORK_ALLOW_LOCAL_BINDING: "1",
        HOME: "/home/x",
      },
      timeoutMs: 2_000,
    });
    expect(env).toEqual({
      proxyVariables: {
        http_proxy: "proxy.test:3128",
        ALL_PROXY: "http://127.0.0.1:3128/a@b",
        NO_PROXY: "localhost",
        NODE_USE_ENV_PROXY: "1",
      },
      caVariables: {
        NODE_EXTRA_CA_CERTS: "/ca/extra.pem",
        SSL_CERT_DIR: "/ca",
        GIT_SSL_CAINFO: "/ca/git.pem",
        REQUESTS_CA_BUNDLE: "/ca/req.pem",
      },
      codexProxyActive: true,
      allowLocalBinding: true,
      inetSocket: "ECONNREFUSED",
    });
    const other = await netEnvironment({
      env: { CODEX_NETWORK_PROXY_ACTIVE: "true", CODEX_NETWORK_ALLOW_LOCAL_BINDING: "0" },
    });
    expect([other.codexProxyActive, other.allowLocalBinding]).toEqual([false, false]);
    expect((await netEnvironment({ env: {} })).allowLocalBinding).toBeNull();
  });
});

describe("error answers and their bodies", () => {
  it("each client keeps the first 200 characters of an error body and the x-proxy-error header", async () => {
    const body = `${"reason ".repeat(60)}end`;
    const server = createHttpServer((_req, res) => {
      res.writeHead(502, { "x-proxy-error": "upstream-failed", "content-type": "text/plain" });
      res.end(body);
    });
    const url = `http://127.0.0.1:${await serve(server)}/`;
    const env = { PATH: process.env.PATH };
    const [curl, fetched, node] = [
      await curlAttempt(url, { env }),
      await fetchAttempt(url, { env }),
      await nodeHttpsAttempt(url, { env }),
    ];
    expect(curl).toMatchObject({
      httpStatus: 502,
      curlExit: 22,
      proxyError: "upstream-failed",
      errorBody: null,
    });
    for (const attempt of [fetched, node])
      expect(attempt).toMatchObject({
        httpStatus: 502,
        proxyError: "upstream-failed",
        errorBody: body.slice(0, 200).trim(),
      });
  });

  it("a success keeps no body and no proxy error", async () => {
    const server = createHttpServer((_req, res) => res.end("fine"));
    const url = `http://127.0.0.1:${await serve(server)}/`;
    for (const attempt of [await fetchAttempt(url), await nodeHttpsAttempt(url)])
      expect(attempt).toMatchObject({ httpStatus: 200, errorBody: null, proxyError: null, errorCode: null });
  });

  it("curl that cannot start: its errno and why, no exit code", async () => {
    const attempt = await curlAttempt("http://127.0.0.1:9/", { env: { PATH: "/nonexistent" } });
    expect(attempt).toMatchObject({
      client: "curl",
      curlExit: null,
      errorCode: "ENOENT",
      message: "curl could not start (ENOENT)",
    });
  });
});

describe("what the Node clients keep of an answer", () => {
  /** A server whose every request is answered by `answer`, and its URL. */
  async function answering(answer: (res: ServerResponse) => void): Promise<string> {
    return `http://127.0.0.1:${await serve(createHttpServer((_req, res) => answer(res)))}/`;
  }
  const bothClients = async (url: string) => [
    await fetchAttempt(url, { timeoutMs: 1_000 }),
    await nodeHttpsAttempt(url, { timeoutMs: 1_000 }),
  ];

  it("an error body is trimmed; an empty one is none; 400 is an error status", async () => {
    const spaced = await answering((res) => {
      res.writeHead(400);
      res.end("\n  bad request  \n");
    });
    const empty = await answering((res) => {
      res.writeHead(404);
      res.end(" \n");
    });
    for (const attempt of await bothClients(spaced))
      expect(attempt).toMatchObject({ httpStatus: 400, errorBody: "bad request" });
    for (const attempt of await bothClients(empty))
      expect(attempt).toMatchObject({ httpStatus: 404, errorBody: null });
  });

  it("an error body sent in chunks is read to its end, a character split between chunks whole", async () => {
    const url = await answering((res) => {
      res.writeHead(503);
      const e = Buffer.from("é");
      res.write(Buffer.concat([Buffer.from("caf"), e.subarray(0, 1)]), () =>
        res.end(Buffer.concat([e.subarray(1), Buffer.from(" closed")])),
      );
    });
    for (const attempt of await bothClients(url))
      expect(attempt).toMatchObject({ httpStatus: 503, errorBody: "café closed", timedOut: false });
  });

  it("an error body that never ends: its first 200 characters, read without waiting for the rest", async () => {
    const url = await answering((res) => {
      res.writeHead(502);
      res.write("x".repeat(200));
    });
    for (const attempt of await bothClients(url))
      expect(attempt).toMatchObject({
        httpStatus: 502,
        errorBody: "x".repeat(200),
        timedOut: false,
        message: null,
      });
  });

  it("an error body cut by a reset: what came, no timeout", async () => {
    const url = await answering((res) => {
      res.writeHead(503);
      res.write("partial", () => res.socket?.resetAndDestroy());
    });
    const attempt = await nodeHttpsAttempt(url, { timeoutMs: 1_000 });
    expect(attempt).toMatchObject({ httpStatus: 503, errorBody: "partial", timedOut: false });
  });

  it("a success without a body (204): no error", async () => {
    const url = await answering((res) => {
      res.writeHead(204);
      res.end();
    });
    for (const attempt of await bothClients(url))
      expect(attempt).toMatchObject({ httpStatus: 204, errorCode: null, message: null, errorBody: null });
  });

  it("a URL fetch cannot retrieve (an unknown scheme): no errno, fetch's own words", async () => {
    const attempt = await fetchAttempt("ftp://127.0.0.1:9/");
    const { errorCode, message, timedOut, mayUseProxy } = attempt;
    expect({ errorCode, message, timedOut, mayUseProxy }).toEqual({
      errorCode: null,
      message: "unknown scheme",
      timedOut: false,
      mayUseProxy: true,
    });
  });
});

describe("curl's heads", () => {
  it("a proxy's CONNECT answer (LF line ends), then the server's head: the last x-proxy-error is the one kept", async () => {
    const dir = tempDir();
    const cert = generateCertificate({ commonName: "codex-smoke-net", ipAddresses: ["127.0.0.1"] });
    writeFileSync(join(dir, "ca.pem"), cert.certPem);
    const server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
      if (req.url === "/said") res.setHeader("x-proxy-error", "server-said");
      res.end("ok");
    });
    const serverPort = await serve(server);
    // A CONNECT proxy that answers with bare LF line ends (curl passes a head on as it came) and then tunnels.
    const proxy = await rawProxy((socket) => {
      socket.write("HTTP/1.1 200 Connection established\nx-proxy-error: tunnel-note\n\n");
      const upstream = connect({ host: "127.0.0.1", port: serverPort });
      upstream.on("error", () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    });
    const env = { PATH: process.env.PATH, HTTPS_PROXY: proxy.url, CURL_CA_BUNDLE: join(dir, "ca.pem") };
    const [quiet, said] = [
      await curlAttempt(`https://127.0.0.1:${serverPort}/quiet`, { env }),
      await curlAttempt(`https://127.0.0.1:${serverPort}/said`, { env }),
    ];
    const facts = { curlExit: 0, httpStatus: 200, connectStatus: 200, sslVerifyResult: 0, proxy: proxy.url };
    expect(quiet).toMatchObject({ ...facts, proxyError: "tunnel-note" });
    expect(said).toMatchObject({ ...facts, proxyError: "server-said" });
  });

  it("curl that hangs past its own --max-time: killed at the deadline, with the heads it wrote", async () => {
    // Real curl honours --max-time; this stand-in does not, and ignores SIGTERM as well.
    const dir = tempDir();
    writeFileSync(
      join(dir, "curl"),
      "#!/bin/sh\nprintf 'HTTP/1.1 200 Connection established\\r\\nx-proxy-error: from-the-head\\r\\n\\r\\n'\ntrap '' TERM\nexec sleep 30\n",
    );
    chmodSync(join(dir, "curl"), 0o755);
    const attempt = await curlAttempt("https://127.0.0.1:9/", {
      env: { PATH: `${dir}:/usr/bin:/bin` },
      timeoutMs: 100,
    });
    expect(attempt).toMatchObject({
      curlExit: null,
      timedOut: true,
      message: "no answer within 100 ms",
      httpStatus: null,
      connectStatus: null,
      sslVerifyResult: null,
      proxyError: "from-the-head",
      errorCode: null,
    });
  });
});

describe("the TLS control's server", () => {
  it("a client that trusts the certificate gets 200; once the control is done nothing listens there", async () => {
    const dir = tempDir();
    const cert = generateCertificate({ commonName: "codex-smoke-untrusted", ipAddresses: ["127.0.0.1"] });
    writeFileSync(join(dir, "cert.pem"), cert.certPem);
    const control = await tlsNegativeControl(cert, {
      env: { PATH: process.env.PATH, CURL_CA_BUNDLE: join(dir, "cert.pem") },
      timeoutMs: 2_000,
    });
    expect(control.attempts.map((a) => [a.client, a.httpStatus, a.errorCode])).toEqual([
      ["curl", 200, null],
      ["node-https", null, "DEPTH_ZERO_SELF_SIGNED_CERT"],
    ]);
    const port = Number(new URL(control.url ?? "").port);
    const refused = await new Promise((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.on("connect", () => resolve("connected"));
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(refused).toBe("ECONNREFUSED");
  });
});
