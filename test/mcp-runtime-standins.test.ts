// The stand-ins of the MCP runtime turn, driven with raw JSON-RPC as Codex's client does: the tool behind an
// expected server's name (not read-only), the probe server's elicitation and sleeping call, and their logs.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMcpHttpStandin } from "../src/demo/mcp-http-standin.js";
import { ELICIT_MESSAGE, PROBE_TOOLS, type StandinEvent } from "../src/demo/mcp-stdio-standin.js";
import { stdioStandinScript } from "../src/demo/standin-script.js";

let dir: string;
let script: string;
beforeAll(async () => {
  dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-standins-"));
  script = await stdioStandinScript(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in child with a line reader and its log. */
function start(mode: string, name: string) {
  const log = join(dir, `${name}.jsonl`);
  const child = spawn(process.execPath, [script, `--mode=${mode}`, `--log=${log}`], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const replies = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  return {
    child,
    send: (message: unknown) => child.stdin?.write(`${JSON.stringify(message)}\n`),
    next: async () => JSON.parse((await replies.next()).value as string),
    events: (): Array<Omit<StandinEvent, "at">> =>
      (existsSync(log) ? readFileSync(log, "utf8") : "")
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const { at, ...event } = JSON.parse(line) as StandinEvent;
          expect(at).toBeGreaterThan(0);
          return event;
        }),
  };
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

const call = (id: number, name: string) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name } });

describe("stdio stand-in, --mode=probe (behind an expected server's name)", () => {
  it("offers one tool that is not read-only, answers its call and logs it", async () => {
    const standin = start("probe", "probe");
    children.push(standin.child);
    standin.send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const { tools } = (await standin.next()).result;
    expect(
      tools.map((tool: { name: string; annotations: unknown }) => [tool.name, tool.annotations]),
    ).toEqual([["codex_smoke_probe", { readOnlyHint: false, destructiveHint: true, openWorldHint: true }]]);
    standin.send(call(2, "codex_smoke_probe"));
    expect((await standin.next()).result.content[0].text).toBe("codex-smoke stand-in: call received");
    expect(standin.events()).toEqual([{ event: "listed" }, { event: "call", tool: "codex_smoke_probe" }]);
  });
});

describe("stdio stand-in, --mode=elicit (codex-smoke's probe server)", () => {
  it("offers read-only tools only, and logs that it was listed (the turn waits for that)", async () => {
    const standin = start("elicit", "tools");
    children.push(standin.child);
    standin.send({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-06-18" } });
    await standin.next();
    expect(standin.events()).toEqual([]);
    standin.send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const { tools } = (await standin.next()).result;
    expect(
      tools.map((tool: { name: string; annotations: unknown }) => [tool.name, tool.annotations]),
    ).toEqual([
      ["codex_smoke_elicit", { readOnlyHint: true }],
      ["codex_smoke_sleep", { readOnlyHint: true }],
    ]);
    expect(standin.events()).toEqual([{ event: "listed" }]);
  });

  it("asks the client for input during the call, answers with what the client said, and logs the answer", async () => {
    const standin = start("elicit", "elicit");
    children.push(standin.child);
    standin.send(call(7, "codex_smoke_elicit"));
    const request = await standin.next();
    expect(request).toMatchObject({
      jsonrpc: "2.0",
      method: "elicitation/create",
      params: { message: ELICIT_MESSAGE, requestedSchema: { required: ["confirm"] } },
    });
    standin.send({ jsonrpc: "2.0", id: request.id, result: { action: "decline" } });
    expect(await standin.next()).toMatchObject({
      id: 7,
      result: { content: [{ type: "text", text: "elicitation answered: decline" }] },
    });
    standin.send(call(8, "codex_smoke_elicit"));
    const again = await standin.next();
    standin.send({ jsonrpc: "2.0", id: again.id, error: { code: -32600, message: "no" } });
    expect((await standin.next()).result.content[0].text).toContain('elicitation answered: {"code":-32600');
    expect(standin.events()).toEqual([
      { event: "call", tool: "codex_smoke_elicit" },
      { event: "elicitation", action: "decline", error: null },
      { event: "call", tool: "codex_smoke_elicit" },
      { event: "elicitation", action: null, error: '{"code":-32600,"message":"no"}' },
    ]);
  });

  it("sleeps through a call until the client cancels it, then logs the cancellation and never answers", async () => {
    const standin = start("elicit", "sleep");
    children.push(standin.child);
    standin.send(call(9, "codex_smoke_sleep"));
    standin.send({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 9, reason: "x" },
    });
    // A ping after the cancellation: its answer is the next line, so the call got none.
    standin.send({ jsonrpc: "2.0", id: 10, method: "ping" });
    expect(await standin.next()).toEqual({ jsonrpc: "2.0", id: 10, result: {} });
    expect(standin.events()).toEqual([
      { event: "call", tool: "codex_smoke_sleep" },
      { event: "cancelled", tool: "codex_smoke_sleep" },
    ]);
  });
});

describe("HTTP stand-in with the probe tool (behind an HTTP server's name)", () => {
  it("serves the probe tool and records that it was listed and the calls it received", async () => {
    const standin = await startMcpHttpStandin({ tools: PROBE_TOOLS, name: "codex-smoke-probe-standin" });
    try {
      const rpc = async (message: unknown) =>
        (
          await fetch(standin.url, {
            method: "POST",
            headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
            body: JSON.stringify(message),
          })
        ).json();
      await rpc({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-06-18" } });
      expect(standin.listed()).toBe(false);
      const list = await rpc({ jsonrpc: "2.0", id: 1, method: "tools/list" });
      expect(standin.listed()).toBe(true);
      expect(list.result.tools[0]).toMatchObject({
        name: "codex_smoke_probe",
        annotations: { readOnlyHint: false },
      });
      expect(standin.calls()).toEqual([]);
      await rpc(call(2, "codex_smoke_probe"));
      expect(standin.calls().map((c) => c.tool)).toEqual(["codex_smoke_probe"]);
    } finally {
      await standin.close();
    }
  });
});
