// What the model receives when Codex kills a command because its managed network proxy blocked a request
// (reference/network-proxy.md), parsed into the host, the rule and Codex's own sentence, without the Rust wrapping.

/** The proxy rule that blocked a request; `unspecified` for a proxy that does not say. */
export type ProxyRule = "allowlist" | "denylist" | "private-address" | "method" | "unspecified";

/** Codex's message when it killed a command whose request its proxy blocked. */
export interface ProxyKill {
  host: string;
  rule: ProxyRule;
  /** `Network access to "<host>" was blocked: <reason>` */
  sentence: string;
}

const KILL = /Network access to \\?"([^"\\]+)\\?" was blocked: ([^"\\\n]+)/;

function killRule(reason: string): ProxyRule {
  if (/not on the allowlist/i.test(reason)) return "allowlist";
  if (/explicitly denied/i.test(reason)) return "denylist";
  if (/local\/private network/i.test(reason)) return "private-address";
  return "unspecified";
}

/**
 * Parses what the model receives when Codex kills a command whose request the proxy blocked, e.g.
 * `exec_command failed: ProcessFailed { message: "Network access to \"x.invalid\" was blocked: domain is not on
 * the allowlist for the current sandbox mode." }`. Null when the text holds no such message.
 */
export function parseProxyKill(text: string): ProxyKill | null {
  const match = text.match(KILL);
  if (!match) return null;
  const [, host = "", reason = ""] = match;
  const trimmed = reason.trim();
  return { host, rule: killRule(trimmed), sentence: `Network access to "${host}" was blocked: ${trimmed}` };
}
