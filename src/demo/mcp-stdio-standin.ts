// A dependency-free MCP server: the JSON-RPC dispatch both stand-ins share, and the stdio stand-in for the
// reference setup's `playwright` server (newline-delimited JSON-RPC on stdin/stdout; run this file with node).
// It imports only node builtins so the file runs on its own, compiled or transpiled. `--mode=hang` and
// `--mode=exit` make it a broken server for tests: one stuck in startup, one that dies at once.
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

/** Newest first; `initialize` echoes the client's version when it is one of these, else offers the newest. */
export const MCP_PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

export interface StandinTool {
  name: string;
  description: string;
  /** Property name → description; every property is a required string. */
  params: Record<string, string>;
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

/**
 * `serve` answers; `hang` reads but never answers `initialize` (a server stuck in startup: Codex gives up after
 * `startup_timeout_sec`); `exit` exits at once with status 1, before any answer (a server that crashes).
 */
export type StdioStandinMode = "serve" | "hang" | "exit";

/** The mode an argv asks for (`--mode=hang`), `serve` by default; an unknown mode is an error. */
export function standinMode(argv: readonly string[]): StdioStandinMode {
  const flag = argv.find((arg) => arg.startsWith("--mode="));
  const mode = flag?.slice("--mode=".length) ?? "serve";
  if (mode === "serve" || mode === "hang" || mode === "exit") return mode;
  throw new Error(`unknown --mode ${JSON.stringify(mode)} (serve, hang or exit)`);
}

function serveStdio(mode: StdioStandinMode): void {
  if (mode === "exit") {
    process.stderr.write("codex-smoke stand-in: exiting at once (--mode=exit)\n");
    process.exit(1);
  }
  const dispatch = createMcpDispatcher(
    { name: "codex-smoke-playwright-standin", version: "1.0.0" },
    PLAYWRIGHT_TOOLS,
  );
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (line.trim() === "" || mode === "hang") return;
    const parsed = parseJsonRpc(line);
    const response = "error" in parsed ? parsed.error : dispatch(parsed.message);
    if (response !== null) process.stdout.write(`${JSON.stringify(response)}\n`);
  });
  // The client closing stdin is how an stdio MCP server is told to stop (a hung one too: nothing outlives Codex).
  lines.on("close", () => process.exit(0));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  serveStdio(standinMode(process.argv.slice(2)));
