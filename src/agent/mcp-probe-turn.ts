// The model of the audit's MCP runtime turn (src/gather/mcp-runtime.ts): a loopback Responses API that answers the
// interactive session's first turn with one call per target tool, all in one response (Codex runs them in
// parallel), and ends the turn once Codex has sent back what each call returned. Codex offers each MCP server to the
// model as one `namespace` tool named `mcp__<server>` (0.150 → 0.171; reference/mcp-runtime.md Q1); a call names
// both the namespace and the tool. Requests that offer none of the targets (0.150 asks for a task title in a
// session of its own, offering only its `skills` tools) get the final message at once.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback } from "../util/loopback.js";
import {
  answerModels,
  mockProviderOverrides,
  type OutputItem,
  outputText,
  readBody,
  sseEvents,
} from "./mock-responses.js";

/** One tool the turn calls: `tool` of the MCP server named `server`. */
export interface ProbeTarget {
  server: string;
  tool: string;
}

/** What became of one target in the turn. */
export interface ProbeCallRecord extends ProbeTarget {
  /** Codex offered the tool to the model (the server started and listed it). */
  offered: boolean;
  /** What Codex returned to the model for the call (`Wall time` lines removed); null before it answered. */
  output: string | null;
}

export interface ProbeTurnRecord {
  /** The session id Codex sent with its requests (the session's traces in CODEX_HOME are named after it). */
  sessionId: string | null;
  calls: ProbeCallRecord[];
  /** When the agent sent its calls (ms since the epoch); null while it has not. */
  callsSentAt: number | null;
  /** When the agent ended the turn after Codex answered every call, or because none was offered. */
  finishedAt: number | null;
}

export interface ProbeTurnAgent {
  providerOverrides(): string[];
  record(): ProbeTurnRecord;
  close(): Promise<void>;
}

const PROBE_TURN_FINAL_MESSAGE = "codex-smoke: MCP probe turn finished";

interface RequestBody {
  tools?: unknown;
  input?: unknown;
}

/** Codex's namespace for a server: `mcp__` and the name with anything outside `[A-Za-z0-9_-]` made `_`. */
export function namespaceOf(server: string): string {
  return `mcp__${server.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/** The tool names Codex offers per namespace in one request's `tools`. */
export function offeredTools(tools: unknown): Map<string, Set<string>> {
  const offered = new Map<string, Set<string>>();
  if (!Array.isArray(tools)) return offered;
  for (const tool of tools as Array<{ type?: unknown; name?: unknown; tools?: unknown }>) {
    if (tool?.type !== "namespace" || typeof tool.name !== "string" || !Array.isArray(tool.tools)) continue;
    const names = (tool.tools as Array<{ name?: unknown }>).map((inner) => inner?.name);
    offered.set(tool.name, new Set(names.filter((name): name is string => typeof name === "string")));
  }
  return offered;
}

/**
 * What Codex returned for a call, without the `Wall time: … seconds` / `Output:` lines it puts first. From 0.169
 * the result's text parts come as parts of the output; up to 0.150 as their JSON text.
 */
export function callResult(output: unknown): string {
  const text = outputText(output)
    .replace(/^Wall time: [\d.]+ seconds\s*\n?Output:\s*\n?/, "")
    .trim();
  if (!text.startsWith("[")) return text;
  try {
    const parts = JSON.parse(text) as unknown;
    if (!Array.isArray(parts)) return text;
    return parts
      .map((part) => (typeof part?.text === "string" ? part.text : ""))
      .join("\n")
      .trim();
  } catch {
    return text;
  }
}

const callId = (index: number) => `call_codex_smoke_mcp_${index}`;

export async function startProbeTurnAgent(targets: readonly ProbeTarget[]): Promise<ProbeTurnAgent> {
  const calls: ProbeCallRecord[] = targets.map((target) => ({ ...target, offered: false, output: null }));
  const state: Omit<ProbeTurnRecord, "calls"> = { sessionId: null, callsSentAt: null, finishedAt: null };
  let requests = 0;

  const finalMessage = (n: number): OutputItem => ({
    type: "message",
    role: "assistant",
    id: `msg_codex_smoke_mcp_${n}`,
    content: [{ type: "output_text", text: PROBE_TURN_FINAL_MESSAGE }],
  });

  /** The response to one request: the calls (once, to the session that offers the targets), else the final message. */
  const respond = (body: RequestBody, n: number, session: string | null): OutputItem[] => {
    const input = Array.isArray(body.input) ? (body.input as Array<Record<string, unknown>>) : [];
    for (const item of input) {
      if (item?.type !== "function_call_output") continue;
      const call = calls[calls.findIndex((_, i) => callId(i) === item.call_id)];
      if (call && call.output === null) call.output = callResult(item.output);
    }
    if (state.callsSentAt !== null) {
      if (calls.every((call) => !call.offered || call.output !== null)) state.finishedAt ??= Date.now();
      return [finalMessage(n)];
    }
    const offered = offeredTools(body.tools);
    const items: OutputItem[] = [];
    calls.forEach((call, i) => {
      const namespace = namespaceOf(call.server);
      if (!offered.get(namespace)?.has(call.tool)) return;
      call.offered = true;
      items.push({ type: "function_call", call_id: callId(i), name: call.tool, namespace, arguments: "{}" });
    });
    if (items.length === 0) return [finalMessage(n)];
    state.callsSentAt = Date.now();
    state.sessionId = session;
    return items;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && path === "/v1/models") return answerModels(res);
    if (req.method !== "POST" || path !== "/v1/responses") {
      res.writeHead(404).end();
      return;
    }
    const n = ++requests;
    let body: RequestBody;
    try {
      body = JSON.parse(await readBody(req)) as RequestBody;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const session = req.headers["session-id"];
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.end(sseEvents(respond(body, n, typeof session === "string" ? session : null), n));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const overrides = mockProviderOverrides(`http://127.0.0.1:${await listenOnLoopback(server)}/v1`);
  return {
    providerOverrides: () => overrides,
    record: () => ({ ...state, calls: calls.map((call) => ({ ...call })) }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
