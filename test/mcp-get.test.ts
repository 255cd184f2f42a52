// `codex mcp get` through the launcher: the parser on captured output, and real runs of Codex 0.169.0 on the
// bundled reference setup.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReferenceSetup, type ReferenceSetup } from "../src/demo/reference-setup.js";
import { parseMcpGet, runMcpGet } from "../src/gather/mcp-get.js";
import { Redactor } from "../src/redact.js";

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

describe("runMcpGet on a real Codex", () => {
  let setup: ReferenceSetup;
  const redact = (text: string) => new Redactor([setup.canary]).redact(text);
  beforeAll(async () => {
    setup = await buildReferenceSetup();
  });
  afterAll(async () => {
    await setup.dispose();
  });
  const run = (server: string) =>
    runMcpGet({
      launcher: setup.launcher,
      project: setup.project,
      env: setup.env,
      server,
      timeoutMs: 30_000,
      redact,
    });

  it("shows the launcher's overrides in effect", async () => {
    const result = await run("playwright");
    expect(result.exitCode).toBe(0);
    expect(result.fields).toMatchObject({
      transport: "stdio",
      tool_timeout_sec: "300",
      default_tools_approval_mode: "approve",
    });
    const http = await run("openaiDeveloperDocs");
    expect(http.fields).toMatchObject({ transport: "streamable_http", tool_timeout_sec: "300" });
  });

  it("keeps an unknown server's refusal as it is", async () => {
    const result = await run("nosuch");
    expect(result.exitCode).toBe(1);
    expect(result.fields).toEqual({});
    expect(result.output).toContain("Error: No MCP server named 'nosuch' found.");
  });
});
