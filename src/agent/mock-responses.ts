// A loopback stand-in for the model (`--agent mock`): it speaks just enough of the Responses API (SSE) to make
// Codex run a list of commands through its shell tool, one after the other, poll each while it runs, and end the
// turn. The outputs Codex sends
// back are recorded: they are the runner's second channel, independent of exec's printed output.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback } from "../util/loopback.js";

export interface MockResponses {
  /** `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  /** `-c` argument pairs that make Codex use this mock as its model provider. */
  providerOverrides(): string[];
  /** Every `function_call_output` text Codex sent, in order (includes `Process exited with code N`). */
  commandOutputs(): string[];
  /** How many `POST /v1/responses` requests arrived. */
  requestCount(): number;
  close(): Promise<void>;
}

export const MOCK_FINAL_MESSAGE = "codex-smoke: runner finished";

// exec_command clamps yield_time_ms to 250–30000 ms; the runner finishes well inside the maximum.
const YIELD_TIME_MS = 30_000;
const MAX_OUTPUT_TOKENS = 20_000;

interface InputItem {
  type?: string;
  output?: unknown;
}

export type OutputItem =
  | { type: "function_call"; call_id: string; name: string; namespace?: string; arguments: string }
  | { type: "message"; role: "assistant"; id: string; content: Array<{ type: "output_text"; text: string }> };

/** The text of a function_call_output; Codex sends a string, or (MCP results from 0.169 on) content parts. */
export function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (Array.isArray(output)) return output.map((part) => (part as { text?: string }).text ?? "").join("");
  return JSON.stringify(output ?? "");
}

/** An output that says its command still runs (the mock polls it); every other output ends one command. */
export const RUNNING = /Process running with session ID (\d+)/;

/** The next step of the conversation, given the request's `input` items: poll, run the next command, or finish. */
function nextOutputItem(input: InputItem[], commands: readonly string[], requestNumber: number): OutputItem {
  const outputs = input
    .filter((item) => item.type === "function_call_output")
    .map((i) => outputText(i.output));
  const callId = `call_codex_smoke_${requestNumber}`;
  const running = outputs.at(-1)?.match(RUNNING);
  if (running) {
    const args = { session_id: Number(running[1]), chars: "", yield_time_ms: YIELD_TIME_MS };
    return { type: "function_call", call_id: callId, name: "write_stdin", arguments: JSON.stringify(args) };
  }
  // An output that no longer says "running" ends its command (killed ones included).
  const finished = outputs.filter((output) => !RUNNING.test(output)).length;
  const next = commands[finished];
  if (next !== undefined) {
    const args = { cmd: next, yield_time_ms: YIELD_TIME_MS, max_output_tokens: MAX_OUTPUT_TOKENS };
    return { type: "function_call", call_id: callId, name: "exec_command", arguments: JSON.stringify(args) };
  }
  return {
    type: "message",
    role: "assistant",
    id: `msg_codex_smoke_${requestNumber}`,
    content: [{ type: "output_text", text: MOCK_FINAL_MESSAGE }],
  };
}

/** The SSE events Codex needs for one response: created, each output item, completed. */
export function sseEvents(items: readonly OutputItem[], requestNumber: number): string {
  const id = `resp_codex_smoke_${requestNumber}`;
  const usage = {
    input_tokens: 0,
    input_tokens_details: null,
    output_tokens: 0,
    output_tokens_details: null,
    total_tokens: 0,
  };
  const events = [
    { type: "response.created", response: { id } },
    ...items.map((item) => ({ type: "response.output_item.done", item })),
    { type: "response.completed", response: { id, usage } },
  ];
  return events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join("");
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * `-c` argument pairs that make Codex use a mock at `baseUrl` (`http://127.0.0.1:PORT/v1`) as its model. The names
 * are this run's own: the launcher sees the appended arguments, and a fixed name would mark an audit.
 */
export function mockProviderOverrides(baseUrl: string): string[] {
  const provider = `p${randomBytes(4).toString("hex")}`;
  const model = `m${randomBytes(4).toString("hex")}`;
  return [
    "-c",
    `model_provider="${provider}"`,
    "-c",
    `model="${model}"`,
    "-c",
    // Retries off: a broken turn fails in a second instead of after half a minute of backoff.
    `model_providers.${provider}={name="${provider}",base_url="${baseUrl}",wire_api="responses",request_max_retries=0,stream_max_retries=0}`,
  ];
}

/** `GET /v1/models`: the TUI asks once per CODEX_HOME; an empty list makes it use fallback metadata. */
export function answerModels(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ data: [] }));
}

export async function startMockResponses(opts: { commands: readonly string[] }): Promise<MockResponses> {
  const outputs: string[] = [];
  let requests = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && path === "/v1/models") {
      answerModels(res);
      return;
    }
    if (req.method !== "POST" || path !== "/v1/responses") {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `codex-smoke mock: no route for ${req.method} ${path}` } }));
      return;
    }
    const requestNumber = ++requests;
    let input: InputItem[];
    try {
      const body = JSON.parse(await readBody(req)) as { input?: unknown };
      input = Array.isArray(body.input) ? (body.input as InputItem[]) : [];
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "codex-smoke mock: body is not JSON" } }));
      return;
    }
    // Codex resends the whole conversation each time: record only the outputs not seen before.
    const seen = input
      .filter((item) => item.type === "function_call_output")
      .map((i) => outputText(i.output));
    outputs.push(...seen.slice(outputs.length));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.end(sseEvents([nextOutputItem(input, opts.commands, requestNumber)], requestNumber));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const port = await listenOnLoopback(server);
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const overrides = mockProviderOverrides(baseUrl);

  return {
    baseUrl,
    providerOverrides: () => overrides,
    commandOutputs: () => [...outputs],
    requestCount: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Codex may keep a keep-alive connection open after its turn.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
