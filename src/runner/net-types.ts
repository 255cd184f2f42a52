// Facts the in-sandbox network probes gather (src/runner/net.ts). Raw observations only: what each client did and
// what the proxy said; the class and its remedy are decided on the host by checks/net/_classify.ts.

/**
 * The client that made an attempt: `curl`, Node's global `fetch`, Node's `https.request` (`http.request` for http
 * URLs) with its own agent, or `proxy`: a bare request sent to the environment's proxy (CONNECT for https, an
 * absolute-form GET for http) to hear its answer, which curl -f drops.
 */
export type HttpClient = "curl" | "fetch" | "node-https" | "proxy";

/** One retrieval (or tunnel request) by one client. Every field is what the client itself reported. */
export interface HttpAttempt {
  client: HttpClient;
  url: string;
  /** False when the probe kept the client off the proxy variables (`curl --noproxy '*'`, Node's own agent). */
  mayUseProxy: boolean;
  /** The proxy the environment names for this URL (credentials removed); null when none applies or not allowed. */
  proxy: string | null;
  /** Status of the final response; null when no response arrived. */
  httpStatus: number | null;
  /** The proxy's answer to `CONNECT` (curl's `%{http_connect}`); null when no tunnel was asked for or answered. */
  connectStatus: number | null;
  /** curl's exit code; null for the Node clients and when curl did not finish. */
  curlExit: number | null;
  /** Node's error code (fetch's `cause.code`): ECONNREFUSED, EAI_AGAIN, DEPTH_ZERO_SELF_SIGNED_CERT, …; null if none. */
  errorCode: string | null;
  /** First non-empty line of the error message or of curl's stderr, at most 200 characters. */
  message: string | null;
  /** The `x-proxy-error` header of the last response that carried one (a proxy's reason code). */
  proxyError: string | null;
  /** The first ≤ 200 characters of an error response's body (status ≥ 400): often the proxy's reason. */
  errorBody: string | null;
  /** curl's `%{ssl_verify_result}` once a TLS handshake was reached (0 = verified); null otherwise. */
  sslVerifyResult: number | null;
  /** The probe's own deadline fired, or curl reported its timeout (exit 28). */
  timedOut: boolean;
  durationMs: number;
}

/** What the process environment and the kernel say about the network, gathered once per run. */
export interface NetEnvironment {
  /** Proxy variables that are set (`HTTPS_PROXY`, `no_proxy`, `NODE_USE_ENV_PROXY`, …), credentials removed. */
  proxyVariables: Record<string, string>;
  /** CA variables that are set (`NODE_EXTRA_CA_CERTS`, `SSL_CERT_FILE`, `CURL_CA_BUNDLE`, …): file paths. */
  caVariables: Record<string, string>;
  /** `CODEX_NETWORK_PROXY_ACTIVE=1`: Codex's managed network proxy fronts this process. */
  codexProxyActive: boolean;
  /** `CODEX_NETWORK_ALLOW_LOCAL_BINDING`, null when unset. */
  allowLocalBinding: boolean | null;
  /**
   * Connecting a TCP socket to a closed loopback port: `ECONNREFUSED` when sockets work, `EPERM` when the sandbox
   * forbids them (network off), `connected` if something listened there.
   */
  inetSocket: string;
}

/** The in-sandbox TLS negative control: a server the process itself runs, reached by clients that bypass the proxy. */
export interface TlsControl {
  /** `https://127.0.0.1:<port>/`, null when the server could not listen. */
  url: string | null;
  /** Node's error code when listening failed (EPERM with network off), else null. */
  listenError: string | null;
  attempts: HttpAttempt[];
}
