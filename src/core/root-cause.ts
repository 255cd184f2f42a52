// Root cause first, as `brew doctor` and goss lead with it: one failed step (no launch, no runner report, a config
// Codex refused, a host that cannot sandbox) is reported once, by the check that owns it (`owns`) or whose finding
// explains it (`explains`), with its fix. A check that could not be tested without that step says
// `not tested: <that check> failed` (or `… could not test`) and carries no fix of its own; it stays `error`.
import type { Judged } from "./engine.js";
import type { CheckResult, FactName, Facts, Status } from "./model.js";

/** A step that failed (or could not be tested) blocks the checks that need what it gathers. */
const BLOCKING: ReadonlySet<Status> = new Set(["fail", "error"]);

/** A fact a check could not use: not gathered, a launch Codex refused to start, a host that cannot sandbox. */
function broken(facts: Facts, name: FactName): boolean {
  const { exec, tui, hostSandbox, mcpRuntime } = facts;
  if (!facts[name].ok) return true;
  if (name === "exec") return exec.ok && exec.value.refused !== null;
  if (name === "tui") return tui.ok && tui.value.refused !== null;
  if (name === "mcpRuntime") return mcpRuntime.ok && mcpRuntime.value.refused !== null;
  if (name === "hostSandbox") return hostSandbox.ok && !hostSandbox.value.usable;
  return false;
}

class RootCauses {
  /** Facts being resolved: a chain that comes back to one of them ends there. */
  private readonly resolving = new Set<FactName>();

  constructor(
    private readonly judged: readonly Judged[],
    private readonly facts: Facts,
  ) {}

  /** The check that reports why `name` is broken, followed upstream; null when no selected check does. */
  ofFact(name: FactName): string | null {
    if (!broken(this.facts, name) || this.resolving.has(name)) return null;
    this.resolving.add(name);
    try {
      const blocking = this.judged.filter((j) => BLOCKING.has(j.result.status));
      const explainer = blocking.find((j) => j.explains.includes(name));
      if (explainer) return explainer.result.id;
      // The MCP runtime session is a second interactive session: refused with the first, for the same reason.
      const first = name === "mcpRuntime" && broken(this.facts, "tui") ? this.ofFact("tui") : null;
      if (first) return first;
      const fact = this.facts[name];
      const upstream = !fact.ok && fact.because ? this.ofFact(fact.because) : null;
      if (upstream) return upstream;
      const owner = blocking.find((j) => j.check.owns?.includes(name));
      return owner ? (this.ofCheck(owner) ?? owner.result.id) : null;
    } finally {
      this.resolving.delete(name);
    }
  }

  /** For a check that could not test: the other check that reports why; null when it is its own root cause. */
  ofCheck(judged: Judged): string | null {
    if (judged.result.status !== "error") return null;
    for (const name of [...judged.check.needs, ...(judged.check.uses ?? [])]) {
      const root = this.ofFact(name);
      if (root !== null && root !== judged.result.id) return root;
    }
    return null;
  }
}

function notTested(result: CheckResult, root: CheckResult): CheckResult {
  const verb = root.status === "fail" ? "failed" : "could not test";
  // What the check itself saw stays in the evidence, when the evidence does not already say it.
  const why = result.observed.replace(/^could not test: /, "");
  const said = result.evidence.some((line) => line.includes(why));
  return {
    ...result,
    observed: `not tested: ${root.id} ${verb}`,
    evidence: said ? result.evidence : [result.observed, ...result.evidence],
    remediation: `None of its own: fix \`${root.id}\` first, then this check runs.`,
    rootCause: root.id,
  };
}

/** The results with every dependent of a failed step pointing at it (statuses unchanged: a dependent stays error). */
export function withRootCauses(judged: readonly Judged[], facts: Facts): CheckResult[] {
  const causes = new RootCauses(judged, facts);
  const byId = new Map(judged.map((j) => [j.result.id, j.result]));
  return judged.map((j) => {
    const root = causes.ofCheck(j);
    const rootResult = root === null ? undefined : byId.get(root);
    return rootResult ? notTested(j.result, rootResult) : j.result;
  });
}
