// mcp.runtime: the fixes it names from the server's approval mode as the config has it, and the evidence lines of
// calls, elicitations and timeouts that did not run as planned (facts as the runtime turn records them).
import mcpRuntime from "../../checks/mcp/runtime.js";
import type { FactValues } from "../../src/core/model.js";
import { testCheck } from "./rule-tester.js";

const REJECTED = "MCP tool call requires approval, but approval policy is never";

/** Codex rejected playwright's call; the config sets its approval mode to `mode` (the launcher's -c dropped). */
function rejectedWithMode(mode: string) {
  return (f: FactValues) => {
    const servers = f.config.effective.mcp_servers as Record<string, Record<string, unknown>>;
    if (servers.playwright) servers.playwright.default_tools_approval_mode = mode;
    const playwright = f.mcpRuntime.servers.playwright;
    if (playwright) Object.assign(playwright, { received: false, result: REJECTED });
  };
}

testCheck(mcpRuntime, {
  valid: [
    {
      name: "an elicitation declined without a measured time: no time in the line",
      facts: (f) => {
        f.mcpRuntime.elicitation.answeredInMs = null;
        f.mcpRuntime.timeout.cancelledInMs = null;
      },
      status: "pass",
      expected:
        "playwright, openaiDeveloperDocs: called with no prompt; elicitation: decline or cancel; tool timeout enforced",
      observedIs:
        "playwright, openaiDeveloperDocs: the stand-ins received their calls with no prompt; elicitation answered decline; a tool timeout of 0.5 s was enforced",
      evidence:
        'elicitation (probe server): answered decline; Codex returned "elicitation answered: decline"',
    },
  ],
  invalid: [
    {
      name: "rejected while the config asks for prompts: change the mode",
      facts: rejectedWithMode("prompt"),
      status: "fail",
      observedIs: `playwright: ${REJECTED}`,
      remediation: 'Change `mcp_servers.playwright.default_tools_approval_mode` from "prompt" to "approve".',
    },
    {
      name: "rejected although the config says approve: the release does not honour it",
      facts: rejectedWithMode("approve"),
      status: "fail",
      remediation:
        '`mcp_servers.playwright.default_tools_approval_mode` is "approve" already, yet Codex asked: keep it, and use a Codex release that honours it for this server.',
    },
    {
      name: "rejected with no config facts: add the approve mode",
      facts: rejectedWithMode("approve"),
      missing: { config: "not gathered" },
      status: "fail",
      remediation:
        'Add `-c mcp_servers.playwright.default_tools_approval_mode="approve"` to the launcher (or `default_tools_approval_mode = "approve"` under [mcp_servers.playwright]).',
    },
    {
      name: "a call that reached nothing and returned nothing",
      facts: (f) => {
        const docs = f.mcpRuntime.servers.openaiDeveloperDocs;
        if (docs) Object.assign(docs, { received: false, result: null, transport: null, offered: true });
        const playwright = f.mcpRuntime.servers.playwright;
        if (playwright) Object.assign(playwright, { received: false, result: null });
      },
      status: "fail",
      observedIs: "playwright: the call never reached the stand-in: no result",
      evidence: [
        "playwright (stdio stand-in): received no call; Codex returned no result",
        "openaiDeveloperDocs (no stand-in): received no call; Codex returned no result",
        'elicitation (probe server): answered decline in 2 ms; Codex returned "elicitation answered: decline"',
        'tool timeout (probe server, tool_timeout_sec = 0.5): cancelled after 0.5 s; Codex returned "tool call error: tool call failed for `codex_smoke_probe/codex_smoke_sleep` Caused by: timed out awaiting tools/call after 500ms"',
      ],
    },
    {
      name: "the sleeping call received but never returned, the elicitation received and unanswered: not shown",
      facts: (f) => {
        Object.assign(f.mcpRuntime.elicitation, {
          answer: null,
          answeredInMs: null,
          result: null,
          received: true,
        });
        Object.assign(f.mcpRuntime.timeout, { result: null, cancelledInMs: null, received: true });
      },
      status: "error",
      observedIs:
        "could not test: the probe server's elicitation did not run; the tool timeout was not shown: the sleeping call did not run",
      evidence: [
        'playwright (stdio stand-in): received the call; Codex returned "codex-smoke stand-in: call received"',
        'openaiDeveloperDocs (http stand-in): received the call; Codex returned "codex-smoke stand-in: call received"',
        "elicitation (probe server): received the call, no answer; Codex returned no result",
        "tool timeout (probe server, tool_timeout_sec = 0.5): not cancelled; Codex returned no result",
      ],
    },
    {
      name: "a returned sleeping call the stand-in never received: not shown",
      facts: (f) => {
        Object.assign(f.mcpRuntime.timeout, {
          result: "tool call error: connection closed",
          cancelledInMs: null,
          received: false,
        });
      },
      status: "error",
      observedIs: "could not test: the tool timeout was not shown: the sleeping call did not run",
      evidence:
        'tool timeout (probe server, tool_timeout_sec = 0.5): received no call; Codex returned "tool call error: connection closed"',
    },
  ],
});
