// parseMcpGet on captured `codex mcp get` output (Codex 0.169.0, test/fixtures/tui/captures/mcp-cli.txt).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMcpGet } from "../src/gather/mcp-get.js";

/** The output of one `$ … mcp get <name>` command in the captured CLI transcript. */
function captured(command: string): string {
  const transcript = readFileSync(join(import.meta.dirname, "fixtures/tui/captures/mcp-cli.txt"), "utf8");
  const start = transcript.indexOf(`${command}\n`);
  const body = transcript.slice(start + command.length + 1);
  return body.slice(0, body.indexOf("[exit "));
}

describe("parseMcpGet", () => {
  it("reads the fields of a stdio server", () => {
    const fields = parseMcpGet(captured("mcp get playwright"));
    expect(fields).toMatchObject({
      enabled: "true",
      transport: "stdio",
      command: "node",
      cwd: "-",
      tool_timeout_sec: "300",
      default_tools_approval_mode: "approve",
      remove: "codex mcp remove playwright",
    });
    expect(fields).not.toHaveProperty("playwright");
  });

  it("reads the fields of an HTTP server", () => {
    const fields = parseMcpGet(captured("mcp get openaiDeveloperDocs"));
    expect(fields).toMatchObject({
      transport: "streamable_http",
      url: "http://127.0.0.1:18532/mcp",
      tool_timeout_sec: "300",
      default_tools_approval_mode: "approve",
    });
  });

  it("finds no fields in an error", () => {
    expect(parseMcpGet(captured("mcp get nosuch"))).toEqual({});
  });
});

describe("parseMcpGet on written-out output", () => {
  it("takes indented key: value lines (CR line ends too), an empty value as empty", () => {
    const output = [
      "docs",
      "  enabled: true\r",
      "  url:   http://127.0.0.1:9/mcp  \r",
      "\tbearer_token_env_var:",
      "  env-name: x",
      "  note: a: b",
      "name: not indented",
      "  9lives: no",
    ].join("\n");
    expect(parseMcpGet(output)).toEqual({
      enabled: "true",
      url: "http://127.0.0.1:9/mcp",
      bearer_token_env_var: "",
      "env-name": "x",
      note: "a: b",
    });
  });

  it("a colon not followed by a space is no field", () => {
    expect(parseMcpGet("  url:http://x\r\n  args:\tnpx")).toEqual({ args: "npx" });
  });
});
