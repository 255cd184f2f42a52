// mcp.runtime over the facts of the runtime turn: the cases are the outcomes measured with 0.150 and 0.169
// (src/gather/mcp-runtime.ts, reference/mcp-runtime.md): pass, Codex's rejection, a prompt or a form on screen,
// no answer, and what cannot be tested.
import mcpRuntime from "../../checks/mcp/runtime.js";
import type { FactValues } from "../../src/core/model.js";
import { testCheck } from "./rule-tester.js";

const REJECTED = "MCP tool call requires approval, but approval policy is never";
const APPROVAL =
  'approval prompt on screen: "Allow the playwright MCP server to run tool "codex_smoke_probe"?"';
const FORM =
  'elicitation form on screen: "codex-smoke: an MCP server asks for input (an unattended session must decline this)"';
const POLICY_FIX =
  'Keep the launcher\'s `-c approval_policy="never"` (or `approval_policy = "never"` in the profile file): any other policy makes the session show forms and wait.';
const APPROVE_FIX =
  'Keep the launcher\'s `-c mcp_servers.playwright.default_tools_approval_mode="approve"` override.';

/** The turn stopped at a form: no call had returned yet (as measured with on-request). */
function stoppedAtForm(f: FactValues, blocker: string): void {
  const turn = f.mcpRuntime;
  turn.blocker = blocker;
  for (const call of [...Object.values(turn.servers), turn.elicitation, turn.timeout]) call.result = null;
  turn.elicitation.answer = null;
  turn.elicitation.answeredInMs = null;
  turn.timeout.cancelledInMs = null;
}

testCheck(mcpRuntime, {
  valid: [
    {
      name: "every stand-in got its call, the elicitation was declined, the timeout enforced",
      status: "pass",
      observedIs:
        "playwright, openaiDeveloperDocs: the stand-ins received their calls with no prompt; elicitation answered decline in 2 ms; a tool timeout of 0.5 s was enforced",
      evidence: [
        'playwright (stdio stand-in): received the call; Codex returned "codex-smoke stand-in: call received"',
        'openaiDeveloperDocs (http stand-in): received the call; Codex returned "codex-smoke stand-in: call received"',
        'elicitation (probe server): answered decline in 2 ms; Codex returned "elicitation answered: decline"',
        'tool timeout (probe server, tool_timeout_sec = 0.5): cancelled after 0.5 s; Codex returned "tool call error: tool call failed for `codex_smoke_probe/codex_smoke_sleep` Caused by: timed out awaiting tools/call after 500ms"',
      ],
    },
    {
      name: "an elicitation answered cancel is not shown either",
      facts: (f) => {
        f.mcpRuntime.elicitation.answer = "cancel";
      },
      status: "pass",
      observed: "elicitation answered cancel in 2 ms",
    },
    {
      name: "an optional server is probed like a required one (its stand-in does not depend on it connecting)",
      expect: { mcpServers: ["playwright"], mcpOptional: ["openaiDeveloperDocs"] },
      status: "pass",
      observed: "playwright, openaiDeveloperDocs: the stand-ins received their calls",
    },
    {
      name: "the servers the expectations name are the ones judged",
      expect: { mcpServers: ["playwright"] },
      status: "pass",
      observed: "playwright: the stand-ins received their calls",
    },
  ],
  invalid: [
    {
      name: "an optional server whose call Codex rejected fails like a required one",
      expect: { mcpServers: ["openaiDeveloperDocs"], mcpOptional: ["playwright"] },
      facts: (f) => {
        const playwright = f.mcpRuntime.servers.playwright;
        if (playwright) Object.assign(playwright, { received: false, result: REJECTED });
      },
      status: "fail",
      observedIs: `playwright: ${REJECTED}`,
    },
    {
      name: "approve override removed for one server: Codex's rejection, naming the server",
      facts: (f) => {
        const playwright = f.mcpRuntime.servers.playwright;
        if (playwright) Object.assign(playwright, { received: false, result: REJECTED });
      },
      status: "fail",
      observedIs: `playwright: ${REJECTED}`,
      evidence: `playwright (stdio stand-in): received no call; Codex returned "${REJECTED}"`,
      remediation: APPROVE_FIX,
    },
    {
      name: "on-request and no approve: the approval prompt, quoted",
      facts: (f) => {
        stoppedAtForm(f, APPROVAL);
        for (const call of Object.values(f.mcpRuntime.servers)) call.received = false;
        f.mcpRuntime.elicitation.received = false;
        f.mcpRuntime.timeout.received = false;
      },
      status: "fail",
      observedIs: `${APPROVAL}: the session would wait for nobody`,
      remediation: `${APPROVE_FIX} ${POLICY_FIX}`,
    },
    {
      name: "on-request with approve: the elicitation form, quoted",
      facts: (f) => stoppedAtForm(f, FORM),
      status: "fail",
      observedIs: `${FORM}: the session would wait for nobody`,
      evidence: "elicitation (probe server): received the call, no answer; Codex returned no result",
      remediation: POLICY_FIX,
    },
    {
      name: "the calls went unanswered: no prompt seen, still a session that waits",
      facts: (f) => {
        stoppedAtForm(f, "");
        f.mcpRuntime.blocker = null;
        f.mcpRuntime.unanswered = "no answer within 5 s of the calls";
        const docs = f.mcpRuntime.servers.openaiDeveloperDocs;
        if (docs) docs.received = false;
      },
      status: "fail",
      observed:
        "openaiDeveloperDocs: no answer within 5 s of the calls; the elicitation got no answer: no answer within 5 s of the calls",
    },
    {
      name: "an elicitation accepted with nobody there",
      facts: (f) => {
        f.mcpRuntime.elicitation.answer = "accept";
      },
      status: "fail",
      observedIs: "the elicitation was answered accept, with nobody there to answer",
    },
    {
      name: "a call past the tool timeout that Codex let finish",
      facts: (f) => {
        f.mcpRuntime.timeout.result = "slept";
        f.mcpRuntime.timeout.cancelledInMs = null;
      },
      status: "fail",
      observedIs: "Codex did not enforce tool_timeout_sec = 0.5: the call returned slept",
    },
    {
      name: "a call that reached nothing for another reason",
      facts: (f) => {
        const docs = f.mcpRuntime.servers.openaiDeveloperDocs;
        if (docs) Object.assign(docs, { received: false, result: "tool call error: connection closed" });
      },
      status: "fail",
      observedIs:
        "openaiDeveloperDocs: the call never reached the stand-in: tool call error: connection closed",
    },
    {
      name: "Codex refused to start the session",
      facts: (f) => {
        f.mcpRuntime.refused = "Error: invalid transport\nin `mcp_servers.playwright`";
      },
      status: "error",
      observedIs: "could not test: Codex refused to start: Error: invalid transport",
    },
    {
      name: "a server with no transport in the config got no stand-in",
      facts: (f) => {
        const docs = f.mcpRuntime.servers.openaiDeveloperDocs;
        if (docs) Object.assign(docs, { transport: null, offered: false, received: false, result: null });
      },
      status: "error",
      observed: "openaiDeveloperDocs: the config gives it no `command` or `url`",
    },
    {
      name: "a stand-in's tool that Codex did not offer (the server did not start under its name)",
      facts: (f) => {
        const docs = f.mcpRuntime.servers.openaiDeveloperDocs;
        if (docs) Object.assign(docs, { offered: false, received: false, result: null });
      },
      status: "error",
      observed: "openaiDeveloperDocs: Codex did not offer the stand-in's tool",
    },
    {
      name: "an expected server the turn did not probe",
      expect: { mcpServers: ["playwright", "github"] },
      status: "error",
      observedIs: "could not test: github: not probed",
    },
    {
      name: "the probe server did not run: neither the elicitation nor the timeout was shown",
      facts: (f) => {
        const { elicitation, timeout } = f.mcpRuntime;
        Object.assign(elicitation, { offered: false, received: false, result: null, answer: null });
        Object.assign(timeout, { offered: false, received: false, result: null, cancelledInMs: null });
      },
      status: "error",
      observedIs:
        "could not test: the probe server's elicitation did not run; the tool timeout was not shown: the sleeping call did not run",
    },
    {
      name: "the session could not be run",
      missing: { mcpRuntime: "the TUI exited (code 1) while waiting for the MCP probe turn" },
      status: "error",
      observed: "the TUI exited (code 1)",
    },
  ],
});
