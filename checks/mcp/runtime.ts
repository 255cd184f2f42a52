import { defineCheck } from "../../src/core/define-check.js";
import {
  type CheckOutcome,
  expectedMcpServers,
  type McpRuntimeCall,
  type McpRuntimeFacts,
} from "../../src/core/model.js";
import { refusedToStart } from "../_shared.js";

/** What was seen: `fail` findings (with their fix), things that could not be tested, and the evidence. */
interface Findings {
  problems: string[];
  fixes: Set<string>;
  unknowns: string[];
  evidence: string[];
}

const POLICY_FIX =
  'Keep the launcher\'s `-c approval_policy="never"` (or `approval_policy = "never"` in the profile file): any other policy makes the session show forms and wait.';
const approveFix = (name: string) =>
  `Keep the launcher's \`-c mcp_servers.${name}.default_tools_approval_mode="approve"\` override.`;

export default defineCheck({
  id: "mcp.runtime",
  title: "MCP tools run unattended",
  claim: (expect) =>
    `In an interactive session, a tool of each expected server (${expectedMcpServers(expect).join(", ")}) runs without an approval prompt, an MCP elicitation is declined instead of shown, and Codex cancels a call that outlasts its \`tool_timeout_sec\` (codex-smoke's stand-ins take the servers' places; the real servers get no call).`,
  needs: ["mcpRuntime"],
  run({ mcpRuntime: turn }, { expect }) {
    // Optional servers too: one that may fail to connect still must run its tools unattended when it does.
    const servers = expectedMcpServers(expect);
    const expected = `${servers.join(", ")}: called with no prompt; elicitation: decline or cancel; tool timeout enforced`;
    if (turn.refused) return refusedToStart(expected, turn.refused);
    const found: Findings = { problems: [], fixes: new Set(), unknowns: [], evidence: [] };
    if (turn.blocker) found.problems.push(`${turn.blocker}: the session would wait for nobody`);
    for (const name of servers) judgeServer(name, turn, found);
    // After the servers' own fixes: an approval prompt is first the server's approval mode (0.139 prompts even
    // under `never`), an elicitation form only the policy.
    if (turn.blocker) found.fixes.add(POLICY_FIX);
    judgeElicitation(turn, found);
    judgeTimeout(turn, found);
    return verdict(expected, servers, turn, found);
  },
  remediation:
    'Keep the launcher\'s `-c approval_policy="never"` and `-c mcp_servers.<server>.default_tools_approval_mode="approve"` overrides for every server.',
});

/** What Codex returned to the model for a call, on one line. */
function returned(call: McpRuntimeCall): string {
  return call.result === null
    ? "Codex returned no result"
    : `Codex returned "${call.result.replace(/\s+/g, " ")}"`;
}

/** One call in one line: whether the stand-in got it, and what Codex returned. */
function describeCall(name: string, call: McpRuntimeCall): string {
  const arrived = call.received ? "received the call" : "received no call";
  return `${name} (${call.transport ?? "no"} stand-in): ${arrived}; ${returned(call)}`;
}

function judgeServer(name: string, turn: McpRuntimeFacts, found: Findings): void {
  const call = turn.servers[name];
  if (call === undefined) {
    found.unknowns.push(`${name}: not probed`);
    return;
  }
  found.evidence.push(describeCall(name, call));
  if (call.received) return;
  if (call.result !== null && /requires approval/i.test(call.result)) {
    found.problems.push(`${name}: ${call.result}`);
    found.fixes.add(approveFix(name));
  } else if (turn.blocker?.includes(`Allow the ${name} MCP server`)) {
    found.fixes.add(approveFix(name));
  } else if (call.transport === null) {
    found.unknowns.push(
      `${name}: the config gives it no \`command\` or \`url\`, so no stand-in took its place`,
    );
  } else if (!call.offered) {
    found.unknowns.push(
      `${name}: Codex did not offer the stand-in's tool (it did not start under this name)`,
    );
  } else if (turn.unanswered) {
    found.problems.push(`${name}: ${turn.unanswered}`);
  } else if (!turn.blocker) {
    found.problems.push(`${name}: the call never reached the stand-in: ${call.result ?? "no result"}`);
  }
}

function judgeElicitation(turn: McpRuntimeFacts, found: Findings): void {
  const { elicitation } = turn;
  const timing = elicitation.answeredInMs === null ? "" : ` in ${elicitation.answeredInMs} ms`;
  const what =
    elicitation.answer !== null
      ? `answered ${elicitation.answer}${timing}`
      : elicitation.received
        ? "received the call, no answer"
        : "received no call";
  found.evidence.push(`elicitation (probe server): ${what}; ${returned(elicitation)}`);
  if (elicitation.answer === "decline" || elicitation.answer === "cancel") return;
  if (elicitation.answer !== null) {
    found.problems.push(`the elicitation was answered ${elicitation.answer}, with nobody there to answer`);
  } else if (turn.blocker) {
    // The form (or a prompt before it) is the finding already.
  } else if (elicitation.received && turn.unanswered) {
    found.problems.push(`the elicitation got no answer: ${turn.unanswered}`);
    found.fixes.add(POLICY_FIX);
  } else {
    found.unknowns.push("the probe server's elicitation did not run");
  }
}

function judgeTimeout(turn: McpRuntimeFacts, found: Findings): void {
  const { timeout } = turn;
  const cancelled = timeout.result !== null && /timed out/i.test(timeout.result);
  const after = timeout.cancelledInMs === null ? "" : ` after ${(timeout.cancelledInMs / 1000).toFixed(1)} s`;
  const what = cancelled ? `cancelled${after}` : timeout.received ? "not cancelled" : "received no call";
  found.evidence.push(
    `tool timeout (probe server, tool_timeout_sec = ${timeout.limitSec}): ${what}; ${returned(timeout)}`,
  );
  if (cancelled || turn.blocker || turn.unanswered) return;
  if (timeout.received && timeout.result !== null)
    found.problems.push(
      `Codex did not enforce tool_timeout_sec = ${timeout.limitSec}: the call returned ${timeout.result}`,
    );
  else found.unknowns.push("the tool timeout was not shown: the sleeping call did not run");
}

function verdict(
  expected: string,
  servers: readonly string[],
  turn: McpRuntimeFacts,
  found: Findings,
): CheckOutcome {
  const { problems, fixes, unknowns, evidence } = found;
  if (problems.length > 0) {
    const observed = problems.join("; ");
    return { status: "fail", expected, observed, evidence, remediation: [...fixes].join(" ") };
  }
  if (unknowns.length > 0)
    return { status: "error", expected, observed: `could not test: ${unknowns.join("; ")}`, evidence };
  const { elicitation, timeout } = turn;
  const observed = [
    `${servers.join(", ")}: the stand-ins received their calls with no prompt`,
    `elicitation answered ${elicitation.answer}${elicitation.answeredInMs === null ? "" : ` in ${elicitation.answeredInMs} ms`}`,
    `a tool timeout of ${timeout.limitSec} s was enforced`,
  ].join("; ");
  return { status: "pass", expected, observed, evidence };
}
