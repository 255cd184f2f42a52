// The facts of the setup's own rules: the domain probes' results (their report, and Codex's kill message for each
// probe's command), read as untrusted input like the runner's other reports.
import { RUNNING } from "../agent/mock-responses.js";
import type { DomainRuleFacts, Facts } from "../core/model.js";
import { gathered, notGathered } from "../core/model.js";
import { parseProxyKill } from "../gather/proxy-kill.js";
import { type DomainsReport, RUNNER_PARTS, type RunnerInput } from "../runner/types.js";
import type { DomainPlan } from "./domain-plan.js";
import { parseRunnerReport, UntrustedInputError } from "./untrusted.js";

/**
 * The outputs that ended a command, in the order the mock ran them: the runner's parts first, then one per domain
 * probe (an output saying the command still runs is a poll, not an end).
 */
function commandEnds(outputs: readonly string[]): string[] {
  return outputs.filter((output) => !RUNNING.test(output));
}

/** What ended the runner's own parts (local, net): the domain probes' kills are theirs alone. */
export const partOutputs = (outputs: readonly string[]): string[] =>
  commandEnds(outputs).slice(0, RUNNER_PARTS.length);

/** Where the domain probes' report is read from: inside the staging folder the host made (stage.ts). */
export interface DomainReportSource {
  input: RunnerInput;
  read(): string;
}

function domainsReport(source: DomainReportSource): DomainsReport | null {
  const { input } = source;
  try {
    return parseRunnerReport(source.read(), input.reports.domains, "domains", input.nonce);
  } catch (error) {
    if (error instanceof UntrustedInputError) return null;
    throw error;
  }
}

export function domainRuleFacts(
  source: DomainReportSource | null,
  plan: DomainPlan | undefined,
  exec: Facts["exec"],
): Facts["domainRules"] {
  if (!source || !plan) return notGathered("not needed");
  const empty: DomainRuleFacts = { plan, results: [], kills: [], finished: [] };
  if (plan.probes.length === 0) return gathered(empty);
  if (!exec.ok) return notGathered(exec.error);
  if (exec.value.refused) return notGathered(`Codex refused to start: ${exec.value.refused}`);
  const ends = commandEnds(exec.value.commandOutputs).slice(RUNNER_PARTS.length);
  const report = domainsReport(source);
  return gathered({
    plan,
    results: plan.probes.map(
      (probe, index) =>
        report?.results.find((result) => result.index === index && result.host === probe.host) ?? null,
    ),
    kills: plan.probes.map((_, index) => parseProxyKill(ends[index] ?? "")),
    finished: plan.probes.map((_, index) => (ends[index] ?? "").includes(`part=domains ${index} report=`)),
  });
}
