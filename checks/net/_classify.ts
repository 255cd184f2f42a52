// Why a network attempt failed, from the raw facts the in-sandbox probes gathered (src/runner/net.ts): one class,
// a one-line description in the client's and the proxy's own words, and what to change. Pure: no I/O.
// Facts about Codex's managed proxy behind the rules: x-proxy-error values, 403 bodies and the kill message.
import type { ProxyKill, ProxyRule } from "../../src/gather/proxy-kill.js";
import type { HttpAttempt, NetEnvironment } from "../../src/runner/net-types.js";

type NetClass =
  | "ok"
  | "dns"
  | "refused"
  | "reset"
  | "proxy-blocked"
  | "tls-untrusted"
  | "tls-other"
  | "http-status"
  | "timeout"
  | "network-disabled"
  | "proxy-ignored"
  | "unclassified";

type TlsProblem = "expired" | "not-yet-valid" | "host-name" | "handshake";

export interface NetClassification {
  class: NetClass;
  /** The rule for `proxy-blocked`, the problem for `tls-other`, else null. */
  qualifier: ProxyRule | TlsProblem | null;
  /** One line: `<client>: <what happened>: <the client's or the proxy's own words>`. */
  description: string;
  /** What to change (never "switch verification off"); empty for `ok`. */
  remediation: string;
}

export interface ClassifyContext {
  environment?: NetEnvironment | null;
  /** Codex's kill message for the command that made the attempt (parseProxyKill). */
  kill?: ProxyKill | null;
  /** The permission profile, for remediations that name its tables. */
  profile?: string | null;
}

/** What the rules found before it is worded. */
interface Finding {
  class: NetClass;
  rule: ProxyRule | null;
  problem: TlsProblem | null;
  /** The parenthesis after the class phrase: an exit code, an error code, a status. */
  code: string | null;
  /** The client's or the proxy's own words. */
  why: string | null;
}

// --- the rules ------------------------------------------------------------------------------------------------

// Keyed by the attempt's own fields, null (no error code, no verify result) included: it is in none of them.
const DNS_CODES = new Set<string | null>(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME"]);
const RESET_CODES = new Set<string | null>(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "ECONNABORTED"]);
/** Connecting to an address that failed: with a proxy in use, the address would be the proxy's. */
const DIRECT_CONNECT_CODES = new Set<string | null>(["ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH"]);
const UNTRUSTED_CODES = new Set<string | null>([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
]);
const TLS_PROBLEM_CODES = new Map<string | null, TlsProblem>([
  ["CERT_HAS_EXPIRED", "expired"],
  ["CERT_NOT_YET_VALID", "not-yet-valid"],
  ["ERR_TLS_CERT_ALTNAME_INVALID", "host-name"],
]);
/** OpenSSL verify results curl reports in %{ssl_verify_result}. */
const UNTRUSTED_VERIFY_RESULTS = new Set<number | null>([2, 18, 19, 20, 21, 27]);
/** curl checks the host name itself (ssl_verify_result stays 0): only validity shows here. */
const VERIFY_PROBLEMS = new Map<number | null, TlsProblem>([
  [9, "not-yet-valid"],
  [10, "expired"],
]);

/** Whether a text the attempt may lack (a message, a body) says something. */
function says(text: string | null, pattern: RegExp): boolean {
  return pattern.test(text ?? "");
}

/** The client's own words: curl's `curl: (N) ` prefix goes (the exit code is shown apart). */
function words(attempt: HttpAttempt): string | null {
  return attempt.message?.replace(/^curl: \(\d+\) /, "") ?? null;
}

function codeOf(attempt: HttpAttempt): string | null {
  if (attempt.curlExit !== null) return `exit ${attempt.curlExit}`;
  return attempt.errorCode;
}

function found(
  attempt: HttpAttempt,
  kind: NetClass,
  qualifier: { rule?: ProxyRule; problem?: TlsProblem } = {},
  why = words(attempt),
): Finding {
  const { rule = null, problem = null } = qualifier;
  return { class: kind, rule, problem, code: codeOf(attempt), why };
}

function succeeded(attempt: HttpAttempt): boolean {
  const status = attempt.httpStatus ?? attempt.connectStatus;
  const clean = attempt.errorCode === null && !attempt.timedOut && (attempt.curlExit ?? 0) === 0;
  return clean && status !== null && status < 400;
}

/**
 * The rule a proxy's 403 names: `x-proxy-error`, except that Codex's proxy sends `blocked-by-allowlist` for a
 * private address too, which only its body (the sentence, or the JSON's message) tells apart.
 */
function proxyRule(attempt: HttpAttempt): ProxyRule {
  if (says(attempt.errorBody, /local\/private network/i)) return "private-address";
  switch (attempt.proxyError) {
    case "blocked-by-allowlist":
      return "allowlist";
    case "blocked-by-denylist":
      return "denylist";
    case "blocked-by-method-policy":
      return "method";
    default:
      return "unspecified";
  }
}

/** The proxy's reason in words: its JSON `message`, its body, else what the client saw of the refusal. */
function proxyReason(attempt: HttpAttempt): string | null {
  const body = attempt.errorBody;
  const jsonMessage = body?.match(/"message"\s*:\s*"([^"]+)"/)?.[1];
  if (jsonMessage !== undefined) return jsonMessage;
  if (body !== null && !body.startsWith("{")) return body;
  const header = attempt.proxyError === null ? "" : `, x-proxy-error: ${attempt.proxyError}`;
  const status = attempt.connectStatus ?? attempt.httpStatus;
  return `${attempt.connectStatus === null ? "the proxy" : "CONNECT"} answered ${status}${header}`;
}

/** undici (Node 24's fetch through the proxy) reports a refused CONNECT only in its message. */
const UNDICI_TUNNEL_REFUSED = /Proxy response \((4\d\d|5\d\d)\) !== 200 when HTTP Tunneling/;

function proxyRefusal(attempt: HttpAttempt): Finding | null {
  const blockedHeader = attempt.proxyError?.startsWith("blocked-by-") === true;
  const refusedTunnel = (attempt.connectStatus ?? 0) >= 400;
  if (says(attempt.message, UNDICI_TUNNEL_REFUSED))
    return found(attempt, "proxy-blocked", { rule: "unspecified" });
  if (!blockedHeader && !refusedTunnel) return null;
  return found(attempt, "proxy-blocked", { rule: proxyRule(attempt) }, proxyReason(attempt));
}

function tlsFinding(attempt: HttpAttempt): Finding | null {
  const code = attempt.errorCode;
  const verify = attempt.sslVerifyResult;
  const problem = TLS_PROBLEM_CODES.get(code) ?? VERIFY_PROBLEMS.get(verify);
  if (problem) return found(attempt, "tls-other", { problem });
  if (UNTRUSTED_CODES.has(code) || UNTRUSTED_VERIFY_RESULTS.has(verify))
    return found(attempt, "tls-untrusted");
  if (says(attempt.message, /subject name|does not match|altnames/i) || attempt.curlExit === 51)
    return found(attempt, "tls-other", { problem: "host-name" });
  if (attempt.curlExit === 35 || code?.startsWith("ERR_SSL_") === true || code === "EPROTO")
    return found(attempt, "tls-other", { problem: "handshake" });
  return null;
}

function isReset(attempt: HttpAttempt): boolean {
  if (RESET_CODES.has(attempt.errorCode)) return true;
  if (attempt.curlExit === 52) return true; // empty reply from server
  // 56: cut while receiving; 35: cut during the TLS handshake (SSL_ERROR_SYSCALL when the proxy drops it).
  const cutCurl = attempt.curlExit === 35 || attempt.curlExit === 56;
  return cutCurl && says(attempt.message, /reset by peer|SSL_ERROR_SYSCALL/i);
}

function isDns(attempt: HttpAttempt): boolean {
  return DNS_CODES.has(attempt.errorCode) || attempt.curlExit === 5 || attempt.curlExit === 6;
}

/**
 * A Node client that was free to use a proxy which applies, yet failed resolving or reaching the target itself
 * (a proxy-honouring client never does either: the proxy does): it ignored the proxy (Node 20's fetch).
 */
function wentAroundProxy(attempt: HttpAttempt): boolean {
  const nodeClient = attempt.client === "fetch" || attempt.client === "node-https";
  // `proxy` is null for a client kept off the proxy variables.
  if (!nodeClient || attempt.proxy === null) return false;
  if (isDns(attempt)) return true;
  if (!DIRECT_CONNECT_CODES.has(attempt.errorCode)) return false;
  // Node names the address it connected to (`connect ECONNREFUSED 127.0.0.1:4873`), resolved: `localhost` in the
  // URL shows as 127.0.0.1. The target's port at an address that is not the proxy's: it went around the proxy.
  // The runner trims the message (its first line), so the address ends it, unless Node adds the local end
  // (`connect ECONNREFUSED 10.0.0.1:443 - Local (10.0.0.2:51234)`).
  const address = attempt.message?.replace(/ - Local \([^)]*\)$/, "").match(/(\S+):(\d+)$/);
  if (!address) return false;
  const toProxy = authorityOf(attempt.proxy) === `${address[1]}:${address[2]}`;
  return address[2] === targetOf(attempt).port && !toProxy;
}

/** `host:port` of a proxy variable's value, which may lack its scheme (`proxy.corp:3128`). */
function authorityOf(proxy: string): string {
  try {
    const url = new URL(proxy.includes("://") ? proxy : `http://${proxy}`);
    return `${url.hostname}:${url.port || "80"}`;
  } catch {
    return proxy;
  }
}

/** Failures that say where the connection went wrong, in the order they can be told apart. */
function connectionFinding(attempt: HttpAttempt, context: ClassifyContext): Finding | null {
  const noAnswer = attempt.httpStatus === null && attempt.connectStatus === null;
  const socketsDenied = context.environment?.inetSocket === "EPERM";
  if (attempt.errorCode === "EPERM" || (socketsDenied && noAnswer)) return found(attempt, "network-disabled");
  if (wentAroundProxy(attempt)) return found(attempt, "proxy-ignored");
  if (isDns(attempt)) return found(attempt, "dns");
  if (isReset(attempt)) return found(attempt, "reset");
  const tls = tlsFinding(attempt);
  if (tls) return tls;
  if (attempt.errorCode === "ECONNREFUSED" || attempt.curlExit === 7) return found(attempt, "refused");
  return null;
}

function findingFor(attempt: HttpAttempt, context: ClassifyContext): Finding {
  const kill = context.kill;
  if (kill && hostOf(attempt.url) === kill.host && !succeeded(attempt))
    return found(attempt, "proxy-blocked", { rule: kill.rule }, kill.sentence);
  if (attempt.timedOut) return found(attempt, "timeout");
  if (succeeded(attempt)) return found(attempt, "ok", {}, null);
  const refusal = proxyRefusal(attempt);
  if (refusal) return refusal;
  const connection = connectionFinding(attempt, context);
  if (connection) return connection;
  if ((attempt.httpStatus ?? 0) >= 400)
    return found(attempt, "http-status", {}, attempt.errorBody ?? words(attempt));
  return found(attempt, "unclassified");
}

// --- words ----------------------------------------------------------------------------------------------------

function hostOf(url: string): string {
  try {
    // An IPv6 hostname is the only one with brackets, around it.
    return new URL(url).hostname.replace(/[[\]]/g, "");
  } catch {
    return url;
  }
}

const QUALIFIER_LABEL: Record<ProxyRule | TlsProblem, string> = {
  allowlist: "allowlist",
  denylist: "denylist",
  "private-address": "private address",
  method: "method",
  unspecified: "unspecified",
  expired: "certificate expired",
  "not-yet-valid": "certificate not yet valid",
  "host-name": "certificate does not match the host name",
  handshake: "handshake failed",
};

function phrase(attempt: HttpAttempt, finding: Finding): string {
  const code = finding.code === null ? "" : ` (${finding.code})`;
  const qualifier = finding.rule ?? finding.problem;
  const label = qualifier === null ? "" : QUALIFIER_LABEL[qualifier];
  switch (finding.class) {
    case "ok": {
      const verified = attempt.sslVerifyResult === 0 ? ", certificate verified" : "";
      return attempt.httpStatus === null
        ? `ok (CONNECT ${attempt.connectStatus})`
        : `ok (HTTP ${attempt.httpStatus}${verified})`;
    }
    case "proxy-blocked":
      return `blocked by the proxy policy (${label})`;
    case "tls-other":
      return `TLS ${label}${code}`;
    case "http-status":
      return `HTTP ${attempt.httpStatus}${code}`;
    case "proxy-ignored":
      return `ignores the proxy ${attempt.proxy} and resolves the host itself${code}`;
    default:
      return `${CLASS_PHRASE[finding.class]}${code}`;
  }
}

/** The classes `phrase` words alike: the phrase and the code. */
const CLASS_PHRASE: Record<
  Exclude<NetClass, "ok" | "proxy-blocked" | "tls-other" | "http-status" | "proxy-ignored">,
  string
> = {
  dns: "DNS failure",
  refused: "connection refused",
  reset: "connection reset",
  "tls-untrusted": "TLS untrusted issuer",
  timeout: "timed out",
  "network-disabled": "network disabled by the sandbox",
  unclassified: "failed",
};

/** Classifies one attempt: `classify(attempt).description` is e.g. `curl: blocked by the proxy policy (allowlist): Domain not in allowlist.` */
export function classify(attempt: HttpAttempt, context: ClassifyContext = {}): NetClassification {
  const finding = findingFor(attempt, context);
  const why = finding.why === null ? "" : `: ${finding.why}`;
  return {
    class: finding.class,
    qualifier: finding.rule ?? finding.problem,
    description: `${attempt.client}: ${phrase(attempt, finding)}${why}`,
    remediation: remediation(finding, targetOf(attempt), context),
  };
}

/** The classification of a command Codex killed for a blocked request, when no attempt was recorded. */
export function classifyKill(kill: ProxyKill, context: ClassifyContext = {}): NetClassification {
  return {
    class: "proxy-blocked",
    qualifier: kill.rule,
    description: `exec_command: blocked by the proxy policy (${QUALIFIER_LABEL[kill.rule]}): ${kill.sentence}`,
    remediation: blockedRemedy(kill.rule, kill.host, context),
  };
}

// --- remedies -------------------------------------------------------------------------------------------------

interface Target {
  host: string;
  port: string;
  status: number | null;
}

function targetOf(attempt: HttpAttempt): Target {
  let port = "";
  try {
    const url = new URL(attempt.url);
    port = url.port || (url.protocol === "http:" ? "80" : "443");
  } catch {
    // not a URL: the remedy names the host only
  }
  return { host: hostOf(attempt.url), port, status: attempt.httpStatus };
}

/** The profile's network table and its domains table, as a remedy names them. */
function networkTables(context: ClassifyContext): { table: string; domains: string } {
  const table = `permissions.${context.profile ?? "<name>"}.network`;
  return { table: `[${table}]`, domains: `[${table}.domains]` };
}

function codexProxied(context: ClassifyContext): boolean {
  return context.environment?.codexProxyActive === true;
}

function blockedRemedy(rule: ProxyRule, host: string, context: ClassifyContext): string {
  const { table, domains } = networkTables(context);
  switch (rule) {
    case "allowlist":
      return `Allow the host in the profile: add "${host}" = "allow" under ${domains}.`;
    case "denylist":
      return `The profile denies the host: remove the "deny" entry (or wildcard) matching "${host}" from ${domains}; deny wins over allow.`;
    case "private-address":
      return `The host is a local or private address: set allow_local_binding = true under ${table} if reaching it is intended.`;
    case "method":
      return `The proxy's limited mode allows only GET, HEAD and OPTIONS: drop mode = "limited" from ${table}, or use one of those methods.`;
    case "unspecified":
      return codexProxied(context)
        ? `Codex's proxy refused the request: allow "${host}" under ${domains} (a private address also needs allow_local_binding = true under ${table}).`
        : `A proxy refused the request: allow "${host}" in that proxy's policy.`;
  }
}

function tlsRemedy(problem: TlsProblem, host: string): string {
  switch (problem) {
    case "expired":
    case "not-yet-valid":
      return `The server's certificate is outside its validity period: renew it (or check the clock); keep verification on.`;
    case "host-name":
      return `The certificate does not name "${host}": use the host name it was issued for, or reissue it with "${host}" in subjectAltName.`;
    case "handshake":
      return "The TLS handshake failed: check that the server speaks TLS on this port with a protocol version the client supports.";
  }
}

/** The path of Codex's MITM CA bundle, `$CODEX_HOME/proxy/ca-bundle-<sha256>.pem` (reference/network-proxy.md). */
export const CODEX_CA_BUNDLE = /\/proxy\/ca-bundle-[^/]*\.pem$/;

/** Codex's MITM CA bundle, when the environment points a CA variable at it (only with interception on). */
function caBundleHint(context: ClassifyContext): string {
  const paths = Object.values(context.environment?.caVariables ?? {});
  const codexBundle = paths.find((path) => CODEX_CA_BUNDLE.test(path));
  return codexBundle === undefined ? "" : ` (Codex's proxy CA: ${codexBundle})`;
}

function httpRemedy(status: number | null): string {
  if (status === 404)
    return "The server is reachable but has no such path: check the URL (registry base, package name).";
  if (status === 401 || status === 403)
    return `The server refused access (${status}): check the registry credentials (.npmrc) for this host.`;
  if ((status ?? 0) >= 500)
    return `The server (or a proxy in front of it) failed with ${status}: check the registry's health and the upstream route, then retry.`;
  return `The server answered ${status}: check the URL.`;
}

function remediation(finding: Finding, target: Target, context: ClassifyContext): string {
  const proxied = codexProxied(context);
  switch (finding.class) {
    case "ok":
      return "";
    case "proxy-blocked":
      return blockedRemedy(finding.rule ?? "unspecified", target.host, context);
    case "tls-untrusted":
      return `Trust the issuer, not "no verification": point NODE_EXTRA_CA_CERTS (Node) and SSL_CERT_FILE or CURL_CA_BUNDLE (curl) at the CA bundle that signed the certificate${caBundleHint(context)}.`;
    case "tls-other":
      return tlsRemedy(finding.problem ?? "handshake", target.host);
    case "http-status":
      return httpRemedy(target.status);
    case "dns":
      return proxied
        ? `Inside Codex's proxied sandbox nothing resolves names itself: send the request through HTTPS_PROXY (curl and npm do).`
        : `Check that "${target.host}" is spelt right and resolves on this machine.`;
    case "refused":
      return proxied
        ? `Nothing listens at ${target.host}:${target.port} inside the sandbox, which has its own network namespace: the host's loopback services are not reachable from it.`
        : `Nothing listens at ${target.host}:${target.port}: check the URL and that the service runs.`;
    case "reset":
      return "The connection was cut: when a proxy allowed the host, its upstream is unreachable from this machine (check its own route to the host and any corporate egress proxy); otherwise the server closed it.";
    case "timeout":
      return `No answer in time: something drops the traffic to ${target.host}; check this machine's own access to it and any egress proxy or firewall.`;
    case "network-disabled":
      return `Turn the network on for the profile: enabled = true under ${networkTables(context).table}, and pass no legacy --sandbox/-s flag that replaces the profile.`;
    case "proxy-ignored":
      return "This client does not use HTTPS_PROXY (Node 20's fetch ignores it and NODE_USE_ENV_PROXY): use curl or npm, undici's EnvHttpProxyAgent, or Node 24 with NODE_USE_ENV_PROXY=1.";
    case "unclassified":
      return "Unrecognised failure: read the client's message above.";
  }
}
