// The runner's network probes where the answer is odd: what a proxy-honouring client would send and to which
// proxy, how much of a proxy's answer is kept and when it is complete, what the environment says, and long error
// bodies. Loopback servers that answer byte by byte, as Codex's proxy or a broken one would.
import { createServer as createHttpServer } from "node:http";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import {
  curlAttempt,
  fetchAttempt,
  netEnvironment,
  nodeHttpsAttempt,
  proxyAnswerAttempt,
} from "../../src/runner/net.js";
import type { HttpAttempt } from "../../src/runner/net-types.js";
import { listenOnLoopback } from "../../src/util/loopback.js";

const closers: Array<() => void> = [];
afterAll(() => {
  for (const close of closers) close();
});

async function serve(server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listenOnLoopback(server);
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return port;
}

/** A proxy that records each request head and answers it with `answer`. */
async function rawProxy(answer: (socket: Socket) => void): Promise<{ url: string; heads: string[] }> {
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
  return { url: `http://127.0.0.1:${await serve(server)}`, heads };
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
      socket.end("\n  go away  \nbye\n"),
    );
    expect(words.message).toBe("go away");
    const other = await proxyAnswer("https://registry.invalid/", (socket) =>
      socket.write("SSH-2.0-x\r\n\r\n"),
    );
    expect(other).toMatchObject({
      connectStatus: null,
      message: "SSH-2.0-x",
      timedOut: false,
      errorBody: null,
    });
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
  });
});

describe("the environment the network part records", () => {
  it("proxy and CA variables as set, without credentials; Codex's proxy and local binding as flags", async () => {
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
