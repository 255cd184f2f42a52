// `codex mcp get` through the launcher: real runs of Codex 0.169.0 on the bundled reference setup (the parser's
// unit tests are in mcp-get-parse.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redactor } from "../src/core/redact.js";
import { buildReferenceSetup, type ReferenceSetup } from "../src/demo/reference-setup.js";
import { runMcpGet } from "../src/gather/mcp-get.js";

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
