// decisions §13: the registry URL comes from npm's own config, resolved with the caller's real environment (the
// user's ~/.npmrc counts) before anything sets a fake HOME; `--registry` overrides it. The host retrieves the same
// URL as a control, so an unreachable registry is "could not test", not a sandbox failure.
import { execa } from "execa";
import { request } from "undici";
import type { Fact, RegistryFacts } from "../model.js";
import { gathered, notGathered } from "../model.js";
import type { HttpAttempt } from "../runner/net-interim.js";

export async function resolveRegistryBase(
  option: string | undefined,
): Promise<Fact<{ base: string; source: RegistryFacts["source"] }>> {
  if (option) return gathered({ base: option, source: "option" });
  const npm = await execa("npm", ["config", "get", "registry"], {
    reject: false,
    timeout: 15_000,
    stdin: "ignore",
  });
  const base = npm.stdout.trim();
  if (npm.exitCode !== 0 || !/^https?:\/\//.test(base)) {
    return notGathered(
      `\`npm config get registry\` gave no URL (exit ${npm.exitCode ?? "?"}); pass --registry <url>`,
    );
  }
  return gathered({ base, source: "npm-config" });
}

export function registryPackageUrl(base: string, pkg: string): string {
  return `${base.replace(/\/+$/, "")}/${pkg}`;
}

/** The host's own retrieval of the registry URL (outside the sandbox): the control for net.registry. */
export async function hostRegistryControl(
  url: string,
  timeoutMs: number,
  abort?: AbortSignal,
): Promise<HttpAttempt> {
  const started = Date.now();
  const base = { client: "host" as const, url, exitCode: null, sslVerifyResult: null };
  try {
    const response = await request(url, {
      method: "GET",
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: abort
        ? AbortSignal.any([AbortSignal.timeout(timeoutMs), abort])
        : AbortSignal.timeout(timeoutMs),
    });
    await response.body.dump();
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return {
      ...base,
      ok,
      httpStatus: response.statusCode,
      errorCode: null,
      message: null,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    const code =
      error instanceof Error && "code" in error
        ? String(error.code)
        : error instanceof Error
          ? error.name
          : "error";
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? null) : null;
    return {
      ...base,
      ok: false,
      httpStatus: null,
      errorCode: code,
      message,
      durationMs: Date.now() - started,
    };
  }
}
