// The streamable-HTTP stand-in for the reference setup's `openaiDeveloperDocs` server, on loopback.
// Stateless: no session id, every POST is answered with JSON, GET (the optional server-sent stream) is 405.
// `mode: "reset"` makes it a broken server for tests: every connection is reset (TCP RST) before any answer.
// `tools` serves other tools under another name (the audit's MCP runtime turn puts one behind an HTTP server's
// name); every tool call received is recorded (tool name and time only), so a caller can tell it arrived, and so
// is whether the tools were listed.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { listenOnLoopback } from "../util/loopback.js";
import {
  createMcpDispatcher,
  type JsonRpcResponse,
  parseJsonRpc,
  type StandinTool,
} from "./mcp-stdio-standin.js";

const DOCS_TOOLS: StandinTool[] = [
  {
    name: "search_openai_docs",
    description: "Search the OpenAI developer docs (codex-smoke stand-in: no results)",
    params: { query: "What to search for" },
    call: (args) => `no results for ${String(args.query)} (stand-in)`,
  },
  {
    name: "fetch_openai_doc",
    description: "Fetch one OpenAI developer docs page (codex-smoke stand-in)",
    params: { url: "The page's URL" },
    call: (args) => `page ${String(args.url)} (stand-in)`,
  },
];

export interface McpHttpStandin {
  /** `http://127.0.0.1:<port>/mcp` */
  url: string;
  /** The tool calls received, in order: tool name and time (ms since the epoch). */
  calls(): Array<{ tool: string; at: number }>;
  /** A client has asked for the tool list (the server is up for it). */
  listed(): boolean;
  close(): Promise<void>;
}

const MCP_PATH = "/mcp";

export async function startMcpHttpStandin(
  opts: { mode?: "serve" | "reset"; tools?: StandinTool[]; name?: string } = {},
): Promise<McpHttpStandin> {
  const dispatch = createMcpDispatcher(
    { name: opts.name ?? "codex-smoke-docs-standin", version: "1.0.0" },
    opts.tools ?? DOCS_TOOLS,
  );
  const calls: Array<{ tool: string; at: number }> = [];
  let listed = false;
  const record = (message: unknown) => {
    const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown } };
    if (method === "tools/list") listed = true;
    if (method === "tools/call") calls.push({ tool: String(params?.name), at: Date.now() });
  };

  const answer = (body: string): JsonRpcResponse | JsonRpcResponse[] | null => {
    const parsed = parseJsonRpc(body);
    if ("error" in parsed) return parsed.error;
    for (const message of Array.isArray(parsed.message) ? parsed.message : [parsed.message]) record(message);
    // Batches were allowed before protocol 2025-06-18; answering them costs nothing.
    if (Array.isArray(parsed.message)) {
      const responses = parsed.message.map(dispatch).filter((r): r is JsonRpcResponse => r !== null);
      return responses.length > 0 ? responses : null;
    }
    return dispatch(parsed.message);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (path !== MCP_PATH) {
      res.writeHead(404).end();
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    let body = "";
    for await (const chunk of req) body += chunk;
    const response = answer(body);
    if (response === null) {
      res.writeHead(202).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(response));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  if (opts.mode === "reset")
    server.prependListener("connection", (socket: Socket) => socket.resetAndDestroy());
  const port = await listenOnLoopback(server);

  return {
    url: `http://127.0.0.1:${port}${MCP_PATH}`,
    calls: () => [...calls],
    listed: () => listed,
    close: () =>
      new Promise<void>((resolve) => {
        // Codex keeps its connections alive; close them so `close` does not wait for their idle timeout.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
