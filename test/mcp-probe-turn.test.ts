// The runtime turn's agent over HTTP, fed the requests 0.150 and 0.169 really sent (test/fixtures/mcp-runtime):
// it calls each offered target once, in one response, by namespace; it ends the turn once every call's result came
// back; a request that offers no target (0.150's task-title session) gets the final message.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  callResult,
  namespaceOf,
  offeredTools,
  type ProbeTurnAgent,
  startProbeTurnAgent,
} from "../src/agent/mcp-probe-turn.js";

interface Captured {
  tools: unknown[];
  followUp: Array<Record<string, unknown>>;
}
const captured = (release: string): Captured =>
  JSON.parse(
    readFileSync(new URL(`./fixtures/mcp-runtime/requests-${release}.json`, import.meta.url), "utf8"),
  );

/** The targets of the lab capture (its stand-ins' tool names), and one server that is not configured. */
const TARGETS = [
  { server: "playwright", tool: "write_probe" },
  { server: "openaiDeveloperDocs", tool: "search_openai_docs" },
  { server: "codex_smoke_probe", tool: "elicit_probe" },
  { server: "github", tool: "codex_smoke_probe" },
];

let agent: ProbeTurnAgent | null = null;
afterEach(async () => {
  await agent?.close();
  agent = null;
});

/** One POST to the agent as Codex makes it; the output items of the SSE response. */
async function post(body: unknown, session: string): Promise<Array<Record<string, unknown>>> {
  const provider = (agent as ProbeTurnAgent).providerOverrides().find((arg) => arg.includes("base_url"));
  const baseUrl = /base_url="([^"]+)"/.exec(provider ?? "")?.[1];
  const res = await fetch(`${baseUrl}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", "session-id": session },
    body: JSON.stringify(body),
  });
  const events = (await res.text())
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map(
      (line) => JSON.parse(line.slice("data: ".length)) as { type: string; item?: Record<string, unknown> },
    );
  return events.flatMap((event) =>
    event.type === "response.output_item.done" && event.item ? [event.item] : [],
  );
}

describe.each(["0.150.0", "0.169.0"])("the probe turn agent with Codex %s's requests", (release) => {
  it("calls each offered target by namespace in one response, then ends the turn with their results", async () => {
    agent = await startProbeTurnAgent(TARGETS);
    const { tools, followUp } = captured(release);
    // 0.150 first asks for a task title in a session of its own that offers no target.
    expect(
      await post({ tools: [{ type: "namespace", name: "skills", tools: [] }], input: [] }, "title"),
    ).toEqual([expect.objectContaining({ type: "message" })]);
    const calls = await post({ tools, input: [] }, "session-1");
    expect(calls.map((item) => [item.type, item.namespace, item.name, item.arguments])).toEqual([
      ["function_call", "mcp__playwright", "write_probe", "{}"],
      ["function_call", "mcp__openaiDeveloperDocs", "search_openai_docs", "{}"],
      ["function_call", "mcp__codex_smoke_probe", "elicit_probe", "{}"],
    ]);
    expect(agent.record().finishedAt).toBeNull();
    // Codex's follow-up, with the call ids this agent chose.
    const outputs = followUp.filter((item) => item.type === "function_call_output");
    const answered = calls.map((call, i) => ({ ...outputs[i], call_id: call.call_id }));
    const final = await post({ tools, input: answered }, "session-1");
    expect(final).toEqual([expect.objectContaining({ type: "message" })]);
    const record = agent.record();
    expect(record.sessionId).toBe("session-1");
    expect(record.finishedAt).not.toBeNull();
    expect(record.calls.map((call) => [call.server, call.offered, call.output])).toEqual([
      ["playwright", true, "MCP tool call requires approval, but approval policy is never"],
      ["openaiDeveloperDocs", true, "no results for probe (stand-in)"],
      ["codex_smoke_probe", true, 'answer {"action":"decline"}'],
      ["github", false, null],
    ]);
  });
});

describe("the probe turn agent's parts", () => {
  it("names a server's namespace as Codex does", () => {
    expect(namespaceOf("openaiDeveloperDocs")).toBe("mcp__openaiDeveloperDocs");
    expect(namespaceOf("my.server x")).toBe("mcp__my_server_x");
  });

  it("reads the offered tools of each namespace and ignores everything else", () => {
    const offered = offeredTools(captured("0.169.0").tools);
    expect([...(offered.get("mcp__playwright") ?? [])].sort()).toEqual([
      "elicit_probe",
      "sleep_probe",
      "write_probe",
    ]);
    expect(offered.has("exec_command")).toBe(false);
    expect(offeredTools("nothing").size).toBe(0);
  });

  it("reads a result from 0.150's JSON text and 0.169's parts, and a timeout as it is", () => {
    const timeout =
      "tool call error: tool call failed for `codex_smoke_probe/sleep_probe`\n\nCaused by:\n    timed out awaiting tools/call after 1000ms";
    const old = captured("0.150.0").followUp.filter((item) => item.type === "function_call_output");
    const recent = captured("0.169.0").followUp.filter((item) => item.type === "function_call_output");
    expect(old.map((item) => callResult(item.output))).toEqual(recent.map((item) => callResult(item.output)));
    expect(recent.map((item) => callResult(item.output)).at(-1)).toBe(timeout);
    expect(callResult("[not json")).toBe("[not json");
    expect(callResult("plain")).toBe("plain");
  });
});
