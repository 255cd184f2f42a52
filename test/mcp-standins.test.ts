// Drives both MCP stand-ins with raw JSON-RPC, as Codex's client (rmcp, protocol 2025-06-18) does.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { parse } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type McpHttpStandin, startMcpHttpStandin } from "../src/demo/mcp-http-standin.js";
import { standinMode } from "../src/demo/mcp-stdio-standin.js";
import { buildReferenceSetup, type ReferenceSetup } from "../src/demo/reference-setup.js";

const initialize = (id: number, protocolVersion: string) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion, capabilities: {}, clientInfo: { name: "test", version: "0" } },
});

describe("stdio stand-in (playwright), run as the reference setup configures it", () => {
  let setup: ReferenceSetup;
  let child: ChildProcess;
  let replies: AsyncIterator<string>;

  beforeAll(async () => {
    setup = await buildReferenceSetup();
    const profile = parse(await readFile(setup.profileFile, "utf8")) as {
      mcp_servers: { playwright: { command: string; args: string[]; env: Record<string, string> } };
    };
    const { command, args, env } = profile.mcp_servers.playwright;
    child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, ...env } });
    replies = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  });

  afterAll(async () => {
    child?.kill("SIGKILL");
    await setup?.dispose();
  });

  const send = (message: unknown) => child.stdin?.write(`${JSON.stringify(message)}\n`);
  const next = async () => JSON.parse((await replies.next()).value as string);

  it("negotiates, lists and calls its tools, and rejects unknown methods", async () => {
    send(initialize(0, "2025-06-18"));
    expect(await next()).toEqual({
      jsonrpc: "2.0",
      id: 0,
      result: {
        protocolVersion: "2025-06-18",
        capabilities: { tools: {} },
        serverInfo: { name: "codex-smoke-playwright-standin", version: "1.0.0" },
      },
    });
    // A notification gets no answer: the next reply belongs to the next request.
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: { progressToken: 0 } } });
    const list = await next();
    expect(list.id).toBe(1);
    expect(list.result.tools.map((t: { name: string }) => t.name)).toEqual([
      "browser_navigate",
      "browser_snapshot",
    ]);
    expect(list.result.tools[0].inputSchema).toMatchObject({ type: "object", required: ["url"] });

    send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "browser_navigate", arguments: { url: "http://a.test/" } },
    });
    expect((await next()).result.content[0].text).toContain("http://a.test/");
    // Its --log: a caller can tell which calls the setup's own server received.
    expect(setup.mcpCalls().playwright).toEqual(["browser_navigate"]);

    send({ jsonrpc: "2.0", id: 3, method: "ping" });
    expect(await next()).toEqual({ jsonrpc: "2.0", id: 3, result: {} });
    send({ jsonrpc: "2.0", id: 4, method: "resources/list" });
    expect((await next()).error.code).toBe(-32601);
    child.stdin?.write("not json\n");
    expect((await next()).error.code).toBe(-32700);
  });

  it("exits when its stdin closes", async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin?.end();
    expect(await exited).toBe(0);
  });
});

describe("stdio stand-in as a broken server (--mode)", () => {
  let setup: ReferenceSetup;
  let standin: { command: string; args: string[] };

  beforeAll(async () => {
    setup = await buildReferenceSetup();
    const profile = parse(await readFile(setup.profileFile, "utf8")) as {
      mcp_servers: { playwright: { command: string; args: string[] } };
    };
    standin = profile.mcp_servers.playwright;
  });
  afterAll(() => setup?.dispose());

  const exited = (child: ChildProcess) =>
    new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  it("hang: reads initialize and never answers, until its stdin closes", async () => {
    const child = spawn(standin.command, [...standin.args, "--mode=hang"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const exit = exited(child);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdin?.write(`${JSON.stringify(initialize(0, "2025-06-18"))}\n`);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(output).toBe("");
    expect(child.exitCode).toBeNull();
    child.stdin?.end();
    expect(await exit).toBe(0);
  });

  it("exit: exits at once with status 1 and answers nothing", async () => {
    const child = spawn(standin.command, [...standin.args, "--mode=exit"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    expect(await exited(child)).toBe(1);
    expect(output).toBe("");
  });

  it("reads its mode from argv; serve by default, an unknown mode is an error", () => {
    expect(standinMode([])).toBe("serve");
    expect(standinMode(["--mode=hang"])).toBe("hang");
    expect(standinMode(["x", "--mode=exit"])).toBe("exit");
    expect(() => standinMode(["--mode=sleep"])).toThrow('unknown --mode "sleep"');
  });
});

describe("streamable HTTP stand-in resetting every connection", () => {
  it("resets before answering", async () => {
    const server = await startMcpHttpStandin({ mode: "reset" });
    try {
      const error = await fetch(server.url, { method: "POST", body: "{}" }).then(
        () => null,
        (e: Error & { cause?: { code?: string } }) => e.cause?.code,
      );
      expect(error).toMatch(/^(ECONNRESET|UND_ERR_SOCKET)$/);
    } finally {
      await server.close();
    }
  });
});

describe("streamable HTTP stand-in (openaiDeveloperDocs)", () => {
  let server: McpHttpStandin;

  beforeAll(async () => {
    server = await startMcpHttpStandin();
  });
  afterAll(() => server.close());

  const post = (body: unknown) =>
    fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("listens on loopback at /mcp", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it("echoes a supported protocol version and offers its newest for an unknown one", async () => {
    const known = await post(initialize(0, "2025-06-18"));
    expect(known.status).toBe(200);
    expect(known.headers.get("content-type")).toBe("application/json");
    expect(known.headers.get("mcp-session-id")).toBeNull();
    expect(await known.json()).toMatchObject({
      id: 0,
      result: { protocolVersion: "2025-06-18", capabilities: { tools: {} } },
    });
    const unknown = await (await post(initialize(1, "1999-01-01"))).json();
    expect(unknown.result.protocolVersion).toBe("2025-11-25");
  });

  it("answers notifications with 202 and no body", async () => {
    const res = await post({ jsonrpc: "2.0", method: "notifications/initialized" });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("");
  });

  it("lists and calls its tools", async () => {
    const list = await (await post({ jsonrpc: "2.0", id: 2, method: "tools/list" })).json();
    expect(list.result.tools.map((t: { name: string }) => t.name)).toEqual([
      "search_openai_docs",
      "fetch_openai_doc",
    ]);
    const call = await (
      await post({
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "search_openai_docs", arguments: { query: "sandbox" } },
      })
    ).json();
    expect(call.result.content).toEqual([{ type: "text", text: "no results for sandbox (stand-in)" }]);
    const unknownTool = await (
      await post({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "nope" } })
    ).json();
    expect(unknownTool.error.code).toBe(-32602);
  });

  it("rejects unknown methods, bad JSON, GET and other paths", async () => {
    expect((await (await post({ jsonrpc: "2.0", id: 5, method: "prompts/list" })).json()).error.code).toBe(
      -32601,
    );
    expect((await (await post("{")).json()).error.code).toBe(-32700);
    expect((await (await post({ jsonrpc: "2.0", id: 6 })).json()).error.code).toBe(-32600);
    expect((await fetch(server.url, { headers: { accept: "text/event-stream" } })).status).toBe(405);
    expect((await fetch(new URL("/other", server.url), { method: "POST", body: "{}" })).status).toBe(404);
  });
});
