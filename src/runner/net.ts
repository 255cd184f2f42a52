// Network probes of the in-sandbox runner: each retrieves one URL with one real client and records what the
// client reported, including the proxy's own reason (`x-proxy-error`, the 403's body). They judge nothing:
// checks/net/_classify.ts turns an attempt into a class. This module runs inside the sandbox, where no
// node_modules are readable, so it imports Node builtins only (the type import is erased).
import { spawn } from "node:child_process";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { createServer as createHttpsServer, Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { type AddressInfo, connect } from "node:net";
import type { HttpAttempt, HttpClient, NetEnvironment, TlsControl } from "./net-types.js";

/** decisions §7: every network probe, DNS included, ends within this. */
const NETWORK_TIMEOUT_MS = 5_000;
const TEXT_MAX = 200;
/** curl's stdout carries only response heads and the write-out line; a bound all the same. */
const CAPTURE_MAX = 64 * 1024;
/**
 * curl's write-out line (`-w`), after the heads: the status, the CONNECT answer (`000` for none) and the TLS
 * verification result. No head has such a line: a status line starts with `HTTP/`, a header with its name.
 */
const WRITE_OUT = /\n(\d+) (\d+) (\d+)/;
/** Grace after curl's own --max-time, so curl reports its timeout (exit 28) before we kill it. */
const CURL_KILL_GRACE_MS = 1_000;

export interface ProbeOptions {
  /** ≤ 5 s in the runner (decisions §7). */
  timeoutMs?: number;
  /** The environment the client sees (curl's child env; proxy look-up). Default: this process's. */
  env?: NodeJS.ProcessEnv;
}

// --- small helpers --------------------------------------------------------------------------------------------

function firstLine(text: string): string | null {
  const line = text.split("\n").find((l) => l.trim() !== "");
  return line === undefined ? null : line.trim().slice(0, TEXT_MAX);
}

function excerpt(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed.slice(0, TEXT_MAX);
}

/** A proxy URL without its user:password. */
function withoutCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/\s]*@/i, "$1");
}

/** An IPv6 literal without its URL brackets (`[::1]` is `::1`). */
function unbracketed(host: string): string {
  return host.replace(/[[\]]/g, "");
}

function inNoProxy(host: string, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const bare = unbracketed(host).toLowerCase();
  return noProxy
    .split(/[\s,]+/)
    .filter((entry) => entry !== "")
    .some((entry) => {
      if (entry === "*") return true;
      const suffix = entry.replace(/^\*?\./, "").toLowerCase();
      return bare === suffix || bare.endsWith(`.${suffix}`);
    });
}

/**
 * The proxy a proxy-honouring client would use for `url` (scheme variable, then ALL_PROXY; NO_PROXY host and
 * domain entries and `*`; CIDR entries are not interpreted). Null when none applies.
 */
function proxyFor(url: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const target = new URL(url);
  const scheme = target.protocol.replace(":", "");
  const pick = (...names: string[]) => names.map((n) => env[n]).find((v) => v !== undefined && v !== "");
  const proxy = pick(`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, "all_proxy", "ALL_PROXY");
  if (proxy === undefined) return null;
  if (inNoProxy(target.hostname, pick("no_proxy", "NO_PROXY"))) return null;
  return withoutCredentials(proxy);
}

/** `proxy`: the one the environment names for `url` when the client may use one (proxyFor), else null. */
function blankAttempt(client: HttpClient, url: string, mayUseProxy: boolean, proxy: string | null) {
  const attempt: HttpAttempt = {
    client,
    url,
    mayUseProxy,
    proxy,
    httpStatus: null,
    connectStatus: null,
    curlExit: null,
    errorCode: null,
    message: null,
    proxyError: null,
    errorBody: null,
    sslVerifyResult: null,
    timedOut: false,
    durationMs: 0,
  };
  return attempt;
}

/** The errno-like code of a Node error (happy eyeballs' AggregateError carries its first address's); else null. */
function nodeErrorCode(error: unknown): string | null {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : null;
}

function errorMessage(error: unknown): string | null {
  return firstLine(String((error as Error).message ?? error));
}

// --- HTTP heads -----------------------------------------------------------------------------------------------

interface Head {
  status: number;
  headers: Map<string, string>;
}

/**
 * A response head: the status line's code and every `name: value` line after it (names in lower case). Given
 * several heads (curl -D -: a proxy's CONNECT answer, then the server's), the map holds each name's last value:
 * status lines and the write-out line have no colon, so they add no header.
 */
function parseHead(text: string): Head | null {
  const status = text.match(/^HTTP\/[\d.]+ (\d{3})/);
  if (!status) return null;
  const headers = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(status[1]), headers };
}

// --- curl -----------------------------------------------------------------------------------------------------

interface CurlRun {
  exitCode: number | null;
  /** The response heads (`-D -`) and the write-out line. */
  stdout: string;
  stderr: string;
  /** We killed curl at the deadline. */
  killed: boolean;
  /** curl could not be started (ENOENT). */
  spawnError: string | null;
}

/** Async spawn with stdin ignored: spawnSync's piped stdin fails with EPERM under the network-off seccomp filter. */
function runCurl(args: string[], env: NodeJS.ProcessEnv, deadlineMs: number): Promise<CurlRun> {
  return new Promise((done) => {
    let stdout = "";
    let stderr = "";
    let killed = false;
    const child = spawn("curl", args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, deadlineMs);
    child.stdout.on("data", (chunk: Buffer) => {
      if (stdout.length < CAPTURE_MAX) stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < CAPTURE_MAX) stderr += chunk.toString("utf8");
    });
    const end = (exitCode: number | null, spawnError: string | null) => {
      clearTimeout(timer);
      done({ exitCode: killed ? null : exitCode, stdout, stderr, killed, spawnError });
    };
    child.on("error", (error) => end(null, nodeErrorCode(error) ?? "ERROR"));
    child.on("close", (code) => end(code, null));
  });
}

/**
 * The README's `curl -fsS <url>` (its exit codes exactly: a refused CONNECT is 22 with -f, 56 without), the
 * response heads on stdout (the proxy's CONNECT answer too, with its `x-proxy-error`) and a write-out line last.
 * With -f curl keeps no error body; proxyAnswerAttempt hears the proxy's reason instead.
 */
function curlArgs(url: string, timeoutMs: number, bypassProxy: boolean): string[] {
  return [
    "-fsS",
    "-D",
    "-",
    "-o",
    "/dev/null",
    "--max-time",
    String(timeoutMs / 1000),
    "-w",
    "\n%{http_code} %{http_connect} %{ssl_verify_result}",
    ...(bypassProxy ? ["--noproxy", "*"] : []),
    url,
  ];
}

/** curl's statuses (`000`, no answer, is null), its TLS verification result and the last `x-proxy-error`. */
function parseCurlStdout(stdout: string) {
  // No write-out line when we killed curl.
  const writeOut = stdout.match(WRITE_OUT);
  return {
    httpStatus: Number(writeOut?.[1]) || null,
    connectStatus: Number(writeOut?.[2]) || null,
    verifyResult: writeOut ? Number(writeOut[3]) : null,
    proxyError: parseHead(stdout)?.headers.get("x-proxy-error") ?? null,
  };
}

function curlFacts(attempt: HttpAttempt, run: CurlRun, timeoutMs: number): HttpAttempt {
  if (run.spawnError !== null) {
    return { ...attempt, errorCode: run.spawnError, message: `curl could not start (${run.spawnError})` };
  }
  const out = parseCurlStdout(run.stdout);
  // ssl_verify_result is 0 also when no handshake happened: it means something only once TLS was reached.
  const reachedTls =
    attempt.url.startsWith("https:") && (out.httpStatus !== null || (out.verifyResult ?? 0) !== 0);
  return {
    ...attempt,
    httpStatus: out.httpStatus,
    connectStatus: out.connectStatus,
    curlExit: run.exitCode,
    message: firstLine(run.stderr) ?? (run.killed ? `no answer within ${timeoutMs} ms` : null),
    proxyError: out.proxyError,
    sslVerifyResult: reachedTls ? out.verifyResult : null,
    timedOut: run.killed || run.exitCode === 28,
  };
}

/** curl retrieves `url`; with `bypassProxy`, `--noproxy '*'` keeps it off the proxy variables. */
export async function curlAttempt(
  url: string,
  opts: ProbeOptions & { bypassProxy?: boolean } = {},
): Promise<HttpAttempt> {
  const timeoutMs = opts.timeoutMs ?? NETWORK_TIMEOUT_MS;
  const env = opts.env ?? process.env;
  const bypass = opts.bypassProxy ?? false;
  const started = performance.now();
  const run = await runCurl(curlArgs(url, timeoutMs, bypass), env, timeoutMs + CURL_KILL_GRACE_MS);
  const attempt = blankAttempt("curl", url, !bypass, bypass ? null : proxyFor(url, env));
  const facts = curlFacts(attempt, run, timeoutMs);
  return { ...facts, durationMs: Math.round(performance.now() - started) };
}

// --- Node clients ---------------------------------------------------------------------------------------------

/** The first TEXT_MAX characters of a fetch body; the rest is never downloaded. */
async function fetchBodyExcerpt(body: ReadableStream<Uint8Array> | null): Promise<string | null> {
  if (body === null) return null;
  // The decoder stream keeps a character split between two chunks whole. (Its input is typed BufferSource, of
  // which a Uint8Array is one.)
  const decoder = new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>;
  const reader = body.pipeThrough(decoder).getReader();
  let text = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    text += chunk.value;
    if (text.length >= TEXT_MAX) break;
  }
  await reader.cancel();
  return excerpt(text);
}

/** fetch rejects with `TypeError: fetch failed` whose `cause` holds the code; a timeout is a DOMException. */
function fetchFailure(error: unknown): Partial<HttpAttempt> {
  if ((error as { name?: unknown }).name === "TimeoutError")
    return { timedOut: true, message: errorMessage(error) };
  const cause = (error as { cause?: unknown }).cause ?? error;
  return { errorCode: nodeErrorCode(cause), message: errorMessage(cause) };
}

/** Node's global fetch, as a user's script calls it: it may use the proxy variables if this Node honours them. */
export async function fetchAttempt(url: string, opts: ProbeOptions = {}): Promise<HttpAttempt> {
  const attempt = blankAttempt("fetch", url, true, proxyFor(url, opts.env));
  const started = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? NETWORK_TIMEOUT_MS) });
    attempt.httpStatus = response.status;
    attempt.proxyError = response.headers.get("x-proxy-error");
    if (response.status >= 400) attempt.errorBody = await fetchBodyExcerpt(response.body);
    else await response.body?.cancel();
  } catch (error) {
    Object.assign(attempt, fetchFailure(error));
  }
  attempt.durationMs = Math.round(performance.now() - started);
  return attempt;
}

/** Reads a response: status, `x-proxy-error`, and for an error status the first TEXT_MAX characters. */
function readResponse(response: IncomingMessage, attempt: HttpAttempt, finish: () => void): void {
  attempt.httpStatus = response.statusCode ?? null;
  const proxyError = response.headers["x-proxy-error"];
  attempt.proxyError = typeof proxyError === "string" ? proxyError : null;
  // A connection lost in the middle of the body ends the response with an error instead of `end`.
  response.on("error", finish);
  if ((attempt.httpStatus ?? 0) < 400) {
    finish();
    return;
  }
  let text = "";
  response.setEncoding("utf8");
  response.on("data", (chunk: string) => {
    text += chunk;
    attempt.errorBody = excerpt(text);
    if (text.length >= TEXT_MAX) finish();
  });
  response.on("end", finish);
}

/**
 * Node's `https.request` (`http.request` for http URLs) with its own agent: it never uses a proxy, whatever the
 * environment says (Node 24's NODE_USE_ENV_PROXY only changes the global agent).
 */
export function nodeHttpsAttempt(url: string, opts: ProbeOptions = {}): Promise<HttpAttempt> {
  const timeoutMs = opts.timeoutMs ?? NETWORK_TIMEOUT_MS;
  const attempt = blankAttempt("node-https", url, false, null);
  const started = performance.now();
  const plain = url.startsWith("http:");
  const agent = plain ? new HttpAgent() : new HttpsAgent();
  return new Promise((resolve) => {
    // The answer is a copy: what a later event writes into `attempt` (the error our own destroy raises, the rest
    // of a body) is not part of it, and a second finish resolves nothing.
    const finish = () => {
      clearTimeout(timer);
      request.destroy();
      agent.destroy();
      resolve({ ...attempt, durationMs: Math.round(performance.now() - started) });
    };
    const onResponse = (response: IncomingMessage) => readResponse(response, attempt, finish);
    const request = plain
      ? httpRequest(url, { agent }, onResponse)
      : httpsRequest(url, { agent }, onResponse);
    request.on("error", (error) => {
      attempt.errorCode = nodeErrorCode(error);
      attempt.message = errorMessage(error);
      finish();
    });
    const timer = setTimeout(() => {
      attempt.timedOut = true;
      attempt.message = `no answer within ${timeoutMs} ms`;
      finish();
    }, timeoutMs);
    request.end();
  });
}

// --- the proxy's own answer -----------------------------------------------------------------------------------

/** A chunked body decoded as far as it has arrived; `complete` once the last (empty) chunk was seen. */
function dechunk(raw: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let rest = raw;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    const size = lineEnd < 0 ? Number.NaN : Number.parseInt(rest.subarray(0, lineEnd).toString("latin1"), 16);
    if (Number.isNaN(size)) return { body: Buffer.concat(parts), complete: false };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
    rest = rest.subarray(lineEnd + 4 + size);
  }
}

/**
 * Fills the attempt from the proxy's answer so far; true once it is complete (the head; for an error status
 * also the body, up to TEXT_MAX characters, its content-length or its last chunk).
 */
function readProxyAnswer(attempt: HttpAttempt, received: Buffer, ended: boolean): boolean {
  const headEnd = received.indexOf("\r\n\r\n");
  if (headEnd < 0) {
    const text = received.toString("utf8");
    if (ended) attempt.message = firstLine(text) ?? "the proxy closed the connection without an answer";
    return ended;
  }
  const head = parseHead(received.subarray(0, headEnd).toString("utf8"));
  const status = head?.status ?? null;
  if (attempt.url.startsWith("https:")) attempt.connectStatus = status;
  else attempt.httpStatus = status;
  attempt.proxyError = head?.headers.get("x-proxy-error") ?? null;
  attempt.message = firstLine(received.toString("utf8"));
  if (head === null || head.status < 400) return true;
  const raw = received.subarray(headEnd + 4);
  const chunked = /chunked/i.test(head.headers.get("transfer-encoding") ?? "");
  const { body, complete } = chunked ? dechunk(raw) : { body: raw, complete: false };
  attempt.errorBody = excerpt(body.toString("utf8"));
  const length = Number(head.headers.get("content-length") ?? Number.POSITIVE_INFINITY);
  return ended || complete || body.length >= Math.min(length, TEXT_MAX);
}

/** What a proxy-honouring client sends the proxy first: CONNECT for https, an absolute-form GET for http. */
function proxyRequestHead(url: string): string {
  const target = new URL(url);
  if (target.protocol === "http:") {
    return `GET ${target.href} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`;
  }
  const authority = `${target.hostname}:${target.port || "443"}`;
  return `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`;
}

/**
 * Sends the environment's HTTP proxy the request a client would (CONNECT for https, GET for http) and keeps its
 * whole answer: curl -f reports a refused request as exit 22 and drops the body, where Codex's proxy says why
 * (`Domain not in allowlist.`, or JSON with a `reason`). Null when no http:// proxy applies to `url`.
 */
export function proxyAnswerAttempt(url: string, opts: ProbeOptions = {}): Promise<HttpAttempt> | null {
  const attempt = blankAttempt("proxy", url, true, proxyFor(url, opts.env));
  if (attempt.proxy === null || !attempt.proxy.startsWith("http://")) return null;
  const proxy = new URL(attempt.proxy);
  const timeoutMs = opts.timeoutMs ?? NETWORK_TIMEOUT_MS;
  const started = performance.now();
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const socket = connect({ host: unbracketed(proxy.hostname), port: Number(proxy.port || 80) });
    // A copy, as in nodeHttpsAttempt: the close that follows our own destroy, or an error, changes no answer given.
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...attempt, durationMs: Math.round(performance.now() - started) });
    };
    const timer = setTimeout(() => {
      attempt.timedOut = true;
      attempt.message ??= `no answer within ${timeoutMs} ms`;
      finish();
    }, timeoutMs);
    socket.on("connect", () => socket.write(proxyRequestHead(url)));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (readProxyAnswer(attempt, received, false)) finish();
    });
    socket.on("error", (error) => {
      attempt.errorCode = nodeErrorCode(error);
      attempt.message = errorMessage(error);
      finish();
    });
    socket.on("close", () => {
      readProxyAnswer(attempt, received, true);
      finish();
    });
  });
}

// --- environment ----------------------------------------------------------------------------------------------

const PROXY_VARIABLES = [
  "http_proxy",
  "HTTP_PROXY",
  "https_proxy",
  "HTTPS_PROXY",
  "all_proxy",
  "ALL_PROXY",
  "no_proxy",
  "NO_PROXY",
  "NODE_USE_ENV_PROXY",
];
const CA_VARIABLES = [
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "CURL_CA_BUNDLE",
  "NPM_CONFIG_CAFILE",
  "npm_config_cafile",
  "GIT_SSL_CAINFO",
  "REQUESTS_CA_BUNDLE",
];
/** Nothing listens on tcpmux, inside the sandbox's own network namespace or on a usual host. */
const CLOSED_LOOPBACK_PORT = 1;

function setVariables(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) found[name] = withoutCredentials(value);
  }
  return found;
}

/** Whether this process may open an IPv4 socket at all: the network-off seccomp filter answers EPERM. */
function inetSocketOutcome(timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port: CLOSED_LOOPBACK_PORT });
    const done = (outcome: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done("TIMEOUT"), timeoutMs);
    socket.on("connect", () => done("connected"));
    socket.on("error", (error) => done(nodeErrorCode(error) ?? "ERROR"));
  });
}

export async function netEnvironment(opts: ProbeOptions = {}): Promise<NetEnvironment> {
  const env = opts.env ?? process.env;
  const localBinding = env.CODEX_NETWORK_ALLOW_LOCAL_BINDING;
  return {
    proxyVariables: setVariables(env, PROXY_VARIABLES),
    caVariables: setVariables(env, CA_VARIABLES),
    codexProxyActive: env.CODEX_NETWORK_PROXY_ACTIVE === "1",
    allowLocalBinding: localBinding === undefined ? null : localBinding === "1",
    inetSocket: await inetSocketOutcome(opts.timeoutMs ?? NETWORK_TIMEOUT_MS),
  };
}

// --- the in-sandbox TLS negative control ----------------------------------------------------------------------

interface UntrustedTlsService {
  /** `https://127.0.0.1:<port>/`, null when listening failed. */
  url: string | null;
  listenError: string | null;
  close(): Promise<void>;
}

/**
 * Serves `certPem` (made on the host, trusted by nobody) on 127.0.0.1 from inside the sandbox: no host service
 * is reachable from the sandbox's own network namespace, and a loopback server there works in every proxy setup.
 */
function serveUntrustedTls(cert: { certPem: string; keyPem: string }): Promise<UntrustedTlsService> {
  // A client that accepts the certificate gets an empty 200; one that rejects it aborts the handshake, which the
  // server only reports as an (unheard) `tlsClientError`.
  const server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, (_request, response) =>
    response.end(),
  );
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return new Promise((resolve) => {
    server.once("error", (error) =>
      resolve({ url: null, listenError: nodeErrorCode(error) ?? "ERROR", close }),
    );
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `https://127.0.0.1:${port}/`, listenError: null, close });
    });
  });
}

/**
 * The negative control: clients that bypass the proxy (a proxied request to a loopback address is refused with
 * 403, and under `exec` Codex kills the command) must reject the untrusted certificate.
 */
export async function tlsNegativeControl(
  cert: { certPem: string; keyPem: string },
  opts: ProbeOptions = {},
): Promise<TlsControl> {
  const service = await serveUntrustedTls(cert);
  if (service.url === null) return { url: null, listenError: service.listenError, attempts: [] };
  try {
    const attempts = await Promise.all([
      curlAttempt(service.url, { ...opts, bypassProxy: true }),
      nodeHttpsAttempt(service.url, opts),
    ]);
    return { url: service.url, listenError: null, attempts };
  } finally {
    await service.close();
  }
}
