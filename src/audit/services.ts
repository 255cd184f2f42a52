// Phase 2: the loopback services the launches talk to (the mock model) and the registry every network check
// retrieves, with the host's own retrieval of it as the control.
import { type MockResponses, startMockResponses } from "../agent/mock-responses.js";
import type { Fact, RegistryFacts } from "../core/model.js";
import { gathered, notGathered } from "../core/model.js";
import { hostRegistryControl, registryPackageUrl, resolveRegistryBase } from "../gather/registry.js";
import type { AuditPlan } from "./plan.js";
import { NETWORK_TIMEOUT_MS } from "./stage.js";

type RegistryUrl = Fact<Pick<RegistryFacts, "url" | "source">>;

/**
 * Registry: resolved with the caller's environment (decisions §13), in two steps: the URL (what the runner's network
 * part needs), then the host's own retrieval of it as the control. Neither waits for the other launches.
 */
export function gatherRegistry(
  plan: AuditPlan,
  option: string | undefined,
  pkg: string,
  env: NodeJS.ProcessEnv,
): { url: Promise<RegistryUrl>; facts: Promise<Fact<RegistryFacts>> } {
  const url = registryUrl(plan, option, pkg);
  const facts = url.then(async (found) =>
    found.ok
      ? gathered({
          ...found.value,
          host: await hostRegistryControl(found.value.url, NETWORK_TIMEOUT_MS, env),
        })
      : found,
  );
  return { url, facts };
}

async function registryUrl(plan: AuditPlan, option: string | undefined, pkg: string): Promise<RegistryUrl> {
  if (!plan.registry && !plan.runner) return notGathered("not needed");
  const base = await resolveRegistryBase(option);
  if (!base.ok) return base;
  return gathered({ url: registryPackageUrl(base.value.base, pkg), source: base.value.source });
}

/** The model the launches use: the mock for `--agent mock` (it runs `commands`), else the configured one. */
export async function startModel(
  plan: AuditPlan,
  agent: "mock" | "live",
  commands: readonly string[],
  before?: (index: number) => Promise<void>,
): Promise<MockResponses | null> {
  if (agent !== "mock" || (!plan.exec && !plan.tui)) return null;
  return startMockResponses(before ? { commands, before } : { commands });
}

/**
 * What the exec launch asks the agent: the mock ignores it, so it reads like any task (the launcher sees it); a live
 * model is told the exact commands.
 */
export function execPrompt(agent: "mock" | "live", commands: readonly string[]): string {
  if (agent === "mock" || commands.length === 0) return "Check the workspace and report back.";
  const list = commands.map((command, i) => `${i + 1}. ${command}`).join("\n");
  return `Run exactly these shell commands in the workspace, one at a time and in this order, each as its own command, without changing them, then reply "done":\n${list}`;
}
