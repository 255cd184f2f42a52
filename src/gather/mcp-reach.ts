// Codex reports an MCP URL it cannot reach only as `error sending request for url (…)`: refused, DNS, TLS and a
// reset read the same (reqwest prints no cause). Codex connects to MCP servers from the host, outside the
// sandbox, so the host asks the URL once more, with the same proxy settings, to name the cause.
import type { McpFailure } from "../core/model.js";

type ReachCause = Extract<McpFailure["cause"], "refused" | "dns" | "tls" | "reset" | "unreachable">;

/** The cause a Node/undici network error code stands for. */
export function reachCause(code: string): ReachCause {
  if (code === "ECONNREFUSED") return "refused";
  if (["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL"].includes(code)) return "dns";
  if (["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"].includes(code)) return "reset";
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)) return "tls";
  return "unreachable";
}

const PROXY_VARS = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

/** True when the launch's environment sends requests to `url` through a proxy (NO_PROXY honoured). */
function proxied(url: URL, env: Record<string, string>): boolean {
  if (!PROXY_VARS.some((name) => env[name])) return false;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const bypass = (env.NO_PROXY ?? env.no_proxy ?? "")
    .split(",")
    .map((entry) => entry.trim().replace(/^\*?\./, ""))
    .filter(Boolean);
  return !bypass.some((entry) => entry === "*" || host === entry || host.endsWith(`.${entry}`));
}

function errorCode(error: unknown): string {
  if (error instanceof Error && "code" in error && typeof error.code === "string") return error.code;
  return error instanceof Error ? error.name : "error";
}

/**
 * Refines an `unreachable` failure by requesting its URL from the host: the cause the host meets and its error
 * as the detail. Other failures, a URL behind a proxy (the host would not test the same path) and a URL the host
 * does reach are returned as `unreachable`, with that said in the detail.
 */
export async function refineUnreachable(
  failure: McpFailure,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<McpFailure> {
  if (failure.cause !== "unreachable" || failure.url === null) return failure;
  let url: URL;
  try {
    url = new URL(failure.url);
  } catch {
    return failure;
  }
  if (proxied(url, env))
    return { ...failure, detail: "through the configured proxy (not retried from the host)" };
  try {
    // Loaded only when a server was unreachable: every audit would pay for it otherwise.
    const { request } = await import("undici");
    const response = await request(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: "{}",
      headersTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body.dump();
    return { ...failure, detail: `the host reaches it (HTTP ${response.statusCode}), Codex did not` };
  } catch (error) {
    const code = errorCode(error);
    if (code === "TimeoutError" || code === "UND_ERR_HEADERS_TIMEOUT")
      return { ...failure, detail: `no answer within ${timeoutMs / 1000} s` };
    const message = error instanceof Error ? error.message : String(error);
    return {
      ...failure,
      cause: reachCause(code),
      detail: message.includes(code) ? message : `${message} (${code})`,
    };
  }
}
