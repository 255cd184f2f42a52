// A dependency-free MCP server: the JSON-RPC dispatch both stand-ins share, and the stdio stand-in for the
// reference setup's `playwright` server (newline-delimited JSON-RPC on stdin/stdout; run this file with node).
// It imports only node builtins so the file runs on its own, compiled or transpiled. `--mode=hang` and
// `--mode=exit` make it a broken server for tests: one stuck in startup, one that dies at once. `--mode=probe`
// and `--mode=elicit` serve the audit's MCP runtime turn (src/gather/mcp-runtime.ts): the stand-in put behind an
// expected server's name, and codex-smoke's own probe server that asks the client for input. `--log=<file>` (or
// the variable CODEX_SMOKE_STANDIN_LOG, which keeps a server's command line short where it is shown) appends one
// JSON line per tool call received, elicitation answer and cancellation, so a caller can tell a call arrived.
import { appendFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

/** Newest first; `initialize` echoes the client's version when it is one of these, else offers the newest. */
export const MCP_PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

export interface StandinTool {
  name: string;
  description: string;
  /** Property name → description; every property is a required string. */
  params: Record<string, string>;
  /** MCP tool annotations as sent in `tools/list` (`readOnlyHint` decides whether Codex asks for approval). */
  annotations?: Record<string, boolean>;
  /** The text the tool answers with (fake, but naming its input so a caller can tell calls apart). */
  call(args: Record<string, unknown>): string;
}

type JsonRpcId = string | number | null;
export type JsonRpcResponse =
  | { jsonrpc: "2.0"; id: JsonRpcId; result: unknown }
  | { jsonrpc: "2.0"; id: JsonRpcId; error: { code: number; message: string } };

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;

/**
 * Answers one JSON-RPC message; `null` for notifications and for responses (this server sends no requests).
 * Stateless: every request is answered on its own, so one instance serves any number of sessions.
 */
export function createMcpDispatcher(
  serverInfo: { name: string; version: string },
  tools: StandinTool[],
): (message: unknown) => JsonRpcResponse | null {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const fail = (id: JsonRpcId, code: number, message: string): JsonRpcResponse => ({
    jsonrpc: "2.0",
    id,
    error: { code, message },
  });

  return (message) => {
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      return fail(null, INVALID_REQUEST, "expected a JSON-RPC message object");
    }
    const { id, method, params } = message as { id?: JsonRpcId; method?: unknown; params?: unknown };
    if (typeof method !== "string") {
      // A response to a request of ours (we send none) needs no answer; anything else is malformed.
      const isResponse = id !== undefined && ("result" in message || "error" in message);
      return isResponse ? null : fail(id ?? null, INVALID_REQUEST, "expected a method");
    }
    if (id === undefined) return null;
    const args = (typeof params === "object" && params !== null ? params : {}) as Record<string, unknown>;
    const ok = (result: unknown): JsonRpcResponse => ({ jsonrpc: "2.0", id, result });

    switch (method) {
      case "initialize": {
        const asked = args.protocolVersion;
        const protocolVersion =
          typeof asked === "string" && MCP_PROTOCOL_VERSIONS.includes(asked)
            ? asked
            : MCP_PROTOCOL_VERSIONS[0];
        return ok({ protocolVersion, capabilities: { tools: {} }, serverInfo });
      }
      case "ping":
        return ok({});
      case "tools/list":
        return ok({
          tools: tools.map((tool) => ({
            name: tool.name,
            description: tool.description,
            ...(tool.annotations ? { annotations: tool.annotations } : {}),
            inputSchema: {
              type: "object",
              properties: Object.fromEntries(
                Object.entries(tool.params).map(([name, description]) => [
                  name,
                  { type: "string", description },
                ]),
              ),
              required: Object.keys(tool.params),
            },
          })),
        });
      case "tools/call": {
        const tool = typeof args.name === "string" ? byName.get(args.name) : undefined;
        if (tool === undefined) return fail(id, INVALID_PARAMS, `unknown tool: ${String(args.name)}`);
        const toolArgs = (
          typeof args.arguments === "object" && args.arguments !== null ? args.arguments : {}
        ) as Record<string, unknown>;
        return ok({ content: [{ type: "text", text: tool.call(toolArgs) }], isError: false });
      }
      default:
        return fail(id, METHOD_NOT_FOUND, `method not found: ${method}`);
    }
  };
}

/** Parses one line (or HTTP body) of JSON-RPC; a parse error is answered as JSON-RPC requires. */
export function parseJsonRpc(text: string): { message: unknown } | { error: JsonRpcResponse } {
  try {
    return { message: JSON.parse(text) };
  } catch {
    return { error: { jsonrpc: "2.0", id: null, error: { code: PARSE_ERROR, message: "parse error" } } };
  }
}

export const PLAYWRIGHT_TOOLS: StandinTool[] = [
  {
    name: "browser_navigate",
    description: "Navigate to a URL (codex-smoke stand-in: no browser is started)",
    params: { url: "The URL to navigate to" },
    call: (args) => `navigated to ${String(args.url)} (stand-in)`,
  },
  {
    name: "browser_snapshot",
    description: "Accessibility snapshot of the current page (codex-smoke stand-in)",
    params: {},
    call: () => "- document: empty page (stand-in)",
  },
];

/** The tool behind every expected server's name in the runtime turn: not read-only, so only approval lets it run. */
export const PROBE_TOOL = "codex_smoke_probe";
/** The probe server's read-only tools: one asks the client for input, one outlasts a short tool timeout. */
export const ELICIT_TOOL = "codex_smoke_elicit";
export const SLEEP_TOOL = "codex_smoke_sleep";
/** What the probe server asks; an unattended session must decline it, never show it. */
export const ELICIT_MESSAGE =
  "codex-smoke: an MCP server asks for input (an unattended session must decline this)";

export const PROBE_TOOLS: StandinTool[] = [
  {
    name: PROBE_TOOL,
    description: "codex-smoke probe: a tool that may change things (like a browser's navigate), to call once",
    params: {},
    // As @playwright/mcp marks browser_navigate: Codex runs it only when the server's tools are approved.
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
    call: () => "codex-smoke stand-in: call received",
  },
];

const ELICIT_TOOLS: StandinTool[] = [
  {
    name: ELICIT_TOOL,
    description: "codex-smoke probe: asks the client for input (elicitation)",
    params: {},
    annotations: { readOnlyHint: true },
    call: () => "answered by the elicitation handler",
  },
  {
    name: SLEEP_TOOL,
    description: "codex-smoke probe: answers only after a long time",
    params: {},
    annotations: { readOnlyHint: true },
    call: () => "answered by the sleep handler",
  },
];

/** How long the probe server waits for an elicitation answer, and how long its sleeping tool sleeps. */
const ELICIT_WAIT_MS = 15_000;
const SLEEP_MS = 30_000;
const ELICIT_REQUEST_ID = "codex-smoke-elicit";

/**
 * `serve` answers; `hang` reads but never answers `initialize` (a server stuck in startup: Codex gives up after
 * `startup_timeout_sec`); `exit` exits at once with status 1, before any answer (a server that crashes); `probe`
 * and `elicit` serve the runtime turn's tools.
 */
export type StdioStandinMode = "serve" | "hang" | "exit" | "probe" | "elicit";
const MODES: readonly StdioStandinMode[] = ["serve", "hang", "exit", "probe", "elicit"];

/** The mode an argv asks for (`--mode=hang`), `serve` by default; an unknown mode is an error. */
export function standinMode(argv: readonly string[]): StdioStandinMode {
  const flag = argv.find((arg) => arg.startsWith("--mode="));
  const mode = flag?.slice("--mode=".length) ?? "serve";
  if ((MODES as readonly string[]).includes(mode)) return mode as StdioStandinMode;
  throw new Error(`unknown --mode ${JSON.stringify(mode)} (${MODES.join(", ")})`);
}

/** One line of `--log`: what arrived, when (ms since the epoch, the host's clock). */
export type StandinEvent =
  | { at: number; event: "listed" }
  | { at: number; event: "call"; tool: string }
  | { at: number; event: "elicitation"; action: string | null; error: string | null }
  | { at: number; event: "cancelled"; tool: string };

type Send = (message: unknown) => void;

/** The probe server's tools: the elicitation round trip, and a call that only a tool timeout ends early. */
function probeServerHandlers(send: Send, log: (event: StandinEvent) => void) {
  let elicitAnswer: ((reply: Record<string, unknown>) => void) | null = null;
  const sleeping = new Map<JsonRpcId, NodeJS.Timeout>();
  const answer = (id: JsonRpcId, text: string) =>
    send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text }], isError: false } });
  return {
    /** True when the message was the probe server's to handle. */
    handle(message: Record<string, unknown>): boolean {
      const { id, method } = message as { id?: JsonRpcId; method?: unknown };
      const params = (message.params ?? {}) as Record<string, unknown>;
      if (method === undefined && id === ELICIT_REQUEST_ID && elicitAnswer) {
        elicitAnswer(message);
        return true;
      }
      if (method === "notifications/cancelled") {
        const timer = sleeping.get(params.requestId as JsonRpcId);
        if (timer) {
          clearTimeout(timer);
          sleeping.delete(params.requestId as JsonRpcId);
          log({ at: Date.now(), event: "cancelled", tool: SLEEP_TOOL });
        }
        return true;
      }
      if (method !== "tools/call" || id === undefined) return false;
      if (params.name === SLEEP_TOOL) {
        sleeping.set(
          id,
          setTimeout(() => answer(id, "slept"), SLEEP_MS),
        );
        return true;
      }
      if (params.name !== ELICIT_TOOL) return false;
      const timer = setTimeout(() => {
        elicitAnswer = null;
        answer(id, "no answer to the elicitation");
      }, ELICIT_WAIT_MS);
      elicitAnswer = (reply) => {
        clearTimeout(timer);
        elicitAnswer = null;
        const result = (reply.result ?? {}) as { action?: unknown };
        const action = typeof result.action === "string" ? result.action : null;
        const error = reply.error === undefined ? null : JSON.stringify(reply.error);
        log({ at: Date.now(), event: "elicitation", action, error });
        answer(id, `elicitation answered: ${action ?? error ?? "nothing"}`);
      };
      send({
        jsonrpc: "2.0",
        id: ELICIT_REQUEST_ID,
        method: "elicitation/create",
        params: {
          message: ELICIT_MESSAGE,
          requestedSchema: {
            type: "object",
            properties: { confirm: { type: "boolean", description: "Proceed?" } },
            required: ["confirm"],
          },
        },
      });
      return true;
    },
  };
}

function toolsOf(mode: StdioStandinMode): StandinTool[] {
  if (mode === "probe") return PROBE_TOOLS;
  if (mode === "elicit") return ELICIT_TOOLS;
  return PLAYWRIGHT_TOOLS;
}

function serveStdio(mode: StdioStandinMode, logFile: string | undefined): void {
  if (mode === "exit") {
    process.stderr.write("codex-smoke stand-in: exiting at once (--mode=exit)\n");
    process.exit(1);
  }
  const name = mode === "serve" ? "codex-smoke-playwright-standin" : "codex-smoke-probe-standin";
  const dispatch = createMcpDispatcher({ name, version: "1.0.0" }, toolsOf(mode));
  const send: Send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const log = (event: StandinEvent) => {
    if (logFile) appendFileSync(logFile, `${JSON.stringify(event)}\n`);
  };
  const probe = mode === "elicit" ? probeServerHandlers(send, log) : null;
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (line.trim() === "" || mode === "hang") return;
    const parsed = parseJsonRpc(line);
    if ("error" in parsed) return send(parsed.error);
    const message = parsed.message as Record<string, unknown> | null;
    const params = (message?.params ?? {}) as { name?: unknown };
    if (message?.method === "tools/list") log({ at: Date.now(), event: "listed" });
    if (message?.method === "tools/call") log({ at: Date.now(), event: "call", tool: String(params.name) });
    if (message !== null && typeof message === "object" && probe?.handle(message)) return;
    const response = dispatch(parsed.message);
    if (response !== null) send(response);
  });
  // The client closing stdin is how an stdio MCP server is told to stop (a hung one too: nothing outlives Codex).
  lines.on("close", () => process.exit(0));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const log = argv.find((arg) => arg.startsWith("--log="))?.slice("--log=".length);
  serveStdio(standinMode(argv), log ?? process.env.CODEX_SMOKE_STANDIN_LOG);
}
