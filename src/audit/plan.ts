// Phase 1: what the selected checks need, and so which Codex launches are worth their time.
import { LAUNCH_FACTS } from "../codex/support.js";
import { neededFacts } from "../core/engine.js";
import type { CheckDefinition, FactName } from "../core/model.js";

export interface AuditPlan {
  facts: ReadonlySet<FactName>;
  /** The exec launch whose agent runs the runner (its report, its side effects, the network part). */
  runner: boolean;
  /** The exec launch at all: for the runner, the startup header, or the argv the launcher really passes. */
  exec: boolean;
  tui: boolean;
  /** The second interactive session, on MCP stand-ins, whose turn calls each expected server's tool. */
  mcpRuntime: boolean;
  /** Servers to ask `mcp get` about. */
  mcpServers: readonly string[];
  hostSandbox: boolean;
  registry: boolean;
}

const RUNNER_FACTS: readonly FactName[] = [
  "runner",
  "network",
  "sideEffects",
  "credentials",
  "staging",
  "credentialFiles",
  "profileRules",
  "domainRules",
];

export function planAudit(
  selected: readonly CheckDefinition[],
  expectedServers: readonly string[],
  releaseUnsupported: boolean,
): AuditPlan {
  const wanted = neededFacts(selected);
  // A release that cannot run the setup is not launched at all: its launch-based checks get one line instead.
  const facts = releaseUnsupported
    ? new Set([...wanted].filter((name) => !LAUNCH_FACTS.includes(name)))
    : wanted;
  const runner = RUNNER_FACTS.some((name) => facts.has(name));
  return {
    facts,
    runner,
    exec: runner || facts.has("exec") || (facts.has("launcher") && !releaseUnsupported),
    tui: facts.has("tui"),
    mcpRuntime: facts.has("mcpRuntime"),
    mcpServers: facts.has("mcpGet") ? expectedServers : [],
    // A host that cannot run the sandbox explains every runner failure, so it comes with the runner.
    hostSandbox: runner || facts.has("hostSandbox"),
    registry: facts.has("registry") || facts.has("network"),
  };
}
