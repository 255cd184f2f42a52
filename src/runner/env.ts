// Environment facts: which secrets are visible (names only, decisions §12) and what switches TLS verification off.
// The proxy and CA variables are the network part's (net.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { secretNames } from "./secrets.js";
import type { EnvironmentFacts } from "./types.js";

function curlrcIsInsecure(home: string): boolean {
  try {
    // ~/.curlrc is configuration, not a secret: reading it is fine. A config file may write a long option without
    // its dashes (curl's --config: `insecure` is `--insecure`).
    return /^\s*(?:(?:--?)?insecure|-k)\b/m.test(readFileSync(join(home, ".curlrc"), "utf8"));
  } catch {
    return false;
  }
}

/** Variables (and ~/.curlrc) that switch TLS verification off, only when they do. */
function insecureSwitches(env: NodeJS.ProcessEnv, home: string): Record<string, string> {
  const found: Record<string, string> = {};
  const off = (name: string, disables: (value: string) => boolean) => {
    const value = env[name];
    if (value !== undefined && disables(value)) found[name] = value;
  };
  const truthy = (v: string) => v !== "" && v !== "0" && v.toLowerCase() !== "false";
  off("NODE_TLS_REJECT_UNAUTHORIZED", (v) => v === "0");
  off("GIT_SSL_NO_VERIFY", truthy);
  off("npm_config_strict_ssl", (v) => v.toLowerCase() === "false");
  off("NPM_CONFIG_STRICT_SSL", (v) => v.toLowerCase() === "false");
  off("PYTHONHTTPSVERIFY", (v) => v === "0");
  off("CURL_INSECURE", truthy);
  if (curlrcIsInsecure(home)) found.curlrc = "insecure";
  return found;
}

export function environmentFacts(env: NodeJS.ProcessEnv, home: string): EnvironmentFacts {
  return {
    secretNames: secretNames(env),
    insecureSwitches: insecureSwitches(env, home),
  };
}
