// `<launcher> mcp get <server>`: the only place where the effective `tool_timeout_sec` and
// `default_tools_approval_mode` of a server are printed (the TUI's `/mcp verbose` shows neither). It reads the
// config layers with the launcher's overrides applied and starts no server.
import type { McpGetFacts } from "../core/model.js";
import { launch } from "./launch.js";

/**
 * The `  key: value` lines of `codex mcp get <name>` (text form), e.g. `tool_timeout_sec` → `300`. The first line
 * (the server's name) and error lines such as `Error: No MCP server named 'x' found.` are not fields.
 */
export function parseMcpGet(output: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of output.replace(/\r\n?/g, "\n").split("\n")) {
    const match = /^\s+([A-Za-z_][\w-]*):(?:\s+(.*))?$/.exec(line);
    if (match?.[1]) fields[match[1]] = (match[2] ?? "").trim();
  }
  return fields;
}

export interface McpGetOptions {
  launcher: string;
  project: string;
  /** The complete environment of the launch (the marker variable included). */
  env: Record<string, string>;
  server: string;
  timeoutMs: number;
  redact: (text: string) => string;
}

/** Runs `<launcher> mcp get <server>` in the project; a non-zero exit (unknown server, config error) is kept as is. */
export async function runMcpGet(opts: McpGetOptions): Promise<McpGetFacts> {
  const result = await launch(opts.launcher, ["mcp", "get", opts.server], {
    cwd: opts.project,
    env: opts.env,
    timeoutMs: opts.timeoutMs,
  });
  const output = opts.redact(`${result.stdout}${result.stderr}`.trimEnd());
  return {
    exitCode: result.timedOut ? null : result.exitCode,
    fields: parseMcpGet(result.timedOut ? "" : output),
    output: result.timedOut ? `${output}\n(timed out after ${opts.timeoutMs / 1000} s)`.trim() : output,
  };
}
