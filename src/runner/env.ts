// Environment facts: which secrets are visible (names only), what switches TLS verification off, and what Codex's
// managed network proxy put in front of the network (decisions §12, reference/network-proxy.md).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openOnly } from "./fs.js";
import { secretNames } from "./secrets.js";
import type { EnvironmentFacts, ProxyEnvironment } from "./types.js";

const CA_VARIABLES = [
  "SSL_CERT_FILE",
  "CURL_CA_BUNDLE",
  "NODE_EXTRA_CA_CERTS",
  "REQUESTS_CA_BUNDLE",
  "GIT_SSL_CAINFO",
];

function curlrcIsInsecure(home: string): boolean {
  try {
    // ~/.curlrc is configuration, not a secret: reading it is fine.
    return /^\s*(--?insecure|-k)\b/m.test(readFileSync(join(home, ".curlrc"), "utf8"));
  } catch {
    return false;
  }
}

/** Variables (and ~/.curlrc) that switch TLS verification off, only when they do. */
export function insecureSwitches(env: NodeJS.ProcessEnv, home: string): Record<string, string> {
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

/** `http://user:pass@host:port` → `http://host:port`: a proxy URL may carry credentials. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}

export function proxyEnvironment(env: NodeJS.ProcessEnv): ProxyEnvironment {
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
  return {
    codexProxyActive: env.CODEX_NETWORK_PROXY_ACTIVE === "1",
    httpsProxy: httpsProxy ? withoutCredentials(httpsProxy) : null,
    noProxy: env.NO_PROXY ?? env.no_proxy ?? null,
    allowLocalBinding: env.CODEX_NETWORK_ALLOW_LOCAL_BINDING ?? null,
    caFiles: CA_VARIABLES.flatMap((name) => {
      const path = env[name];
      return path ? [{ name, path, readable: openOnly(path).ok }] : [];
    }),
  };
}

export function environmentFacts(env: NodeJS.ProcessEnv, home: string): EnvironmentFacts {
  return {
    secretNames: secretNames(env),
    insecureSwitches: insecureSwitches(env, home),
    proxy: proxyEnvironment(env),
  };
}
