// decisions §13: the registry URL comes from npm's own config, resolved with the caller's real environment (the
// user's ~/.npmrc counts) before anything sets a fake HOME; `--registry` overrides it. The host retrieves the same
// URL as a control, so an unreachable registry is "could not test", not a sandbox failure.
import type { Fact, RegistryFacts } from "../core/model.js";
import { gathered, notGathered } from "../core/model.js";
import { curlAttempt, nodeHttpsAttempt } from "../runner/net.js";
import type { HttpAttempt } from "../runner/net-types.js";
import { runCommand } from "../util/command.js";

export async function resolveRegistryBase(
  option: string | undefined,
): Promise<Fact<{ base: string; source: RegistryFacts["source"] }>> {
  if (option) return gathered({ base: option, source: "option" });
  const npm = await runCommand("npm", ["config", "get", "registry"], { timeoutMs: 15_000 });
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

/**
 * The host's own retrieval of the registry URL, outside the sandbox: the control for net.registry, made with the
 * README's client (curl, which honours the host's proxy variables) and the same facts as inside. `env` carries the
 * run's marker, so an interrupt kills it with the launches.
 */
export async function hostRegistryControl(
  url: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): Promise<HttpAttempt> {
  const curl = await curlAttempt(url, { timeoutMs, env });
  return curl.curlExit === null && curl.errorCode !== null ? nodeHttpsAttempt(url, { timeoutMs, env }) : curl;
}
