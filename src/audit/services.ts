// Phase 2: the loopback services the launches talk to (the mock model) and the registry every network check
// retrieves, with the host's own retrieval of it as the control.
import { type MockResponses, startMockResponses } from "../agent/mock-responses.js";
import type { Fact, RegistryFacts } from "../core/model.js";
import { gathered, notGathered } from "../core/model.js";
import { hostRegistryControl, registryPackageUrl, resolveRegistryBase } from "../gather/registry.js";
import type { AuditPlan } from "./plan.js";
import { NETWORK_TIMEOUT_MS } from "./stage.js";

/** Registry: resolved with the caller's environment before any launch (decisions §13); host control included. */
export async function gatherRegistry(
  plan: AuditPlan,
  option: string | undefined,
  pkg: string,
  env: NodeJS.ProcessEnv,
): Promise<Fact<RegistryFacts>> {
  if (!plan.registry && !plan.runner) return notGathered("not needed");
  const base = await resolveRegistryBase(option);
  if (!base.ok) return base;
  const url = registryPackageUrl(base.value.base, pkg);
  return gathered({
    url,
    source: base.value.source,
    host: await hostRegistryControl(url, NETWORK_TIMEOUT_MS, env),
  });
}

/** The model the launches use: the mock for `--agent mock` (it runs `commands`), else the configured one. */
export async function startModel(
  plan: AuditPlan,
  agent: "mock" | "live",
  commands: readonly string[],
): Promise<MockResponses | null> {
  if (agent !== "mock" || (!plan.exec && !plan.tui)) return null;
  return startMockResponses({ commands });
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
