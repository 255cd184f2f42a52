import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { MOCK_FINAL_MESSAGE, type MockResponses, startMockResponses } from "../src/agent/mock-responses.js";
import { killGroup } from "../src/core/processes.js";
import { killMarked, MARKER_VAR } from "./helpers/marked.js";

const CODEX = join(import.meta.dirname, "../node_modules/.bin/codex");

interface SseEvent {
  type: string;
  item?: { type: string; name?: string; arguments?: string; content?: Array<{ text: string }> };
}

async function postResponses(mock: MockResponses, input: unknown[]): Promise<SseEvent[]> {
  const res = await fetch(`${mock.baseUrl}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "mock-model", stream: true, input }),
  });
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  const text = await res.text();
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split("\n");
      const event = JSON.parse(dataLine?.replace(/^data: /, "") ?? "") as SseEvent;
      expect(eventLine).toBe(`event: ${event.type}`);
      return event;
    });
}

const userTurn = { type: "message", role: "user", content: [{ type: "input_text", text: "go" }] };
const call = { type: "function_call", call_id: "c1", name: "exec_command", arguments: "{}" };

describe("mock Responses API", () => {
  let mock: MockResponses;
  afterEach(() => mock.close());

  it("asks for the command, polls a running session, then ends the turn", async () => {
    mock = await startMockResponses({ commands: ["echo hi"] });

    const first = await postResponses(mock, [userTurn]);
    expect(first.map((e) => e.type)).toEqual([
      "response.created",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(first[1]?.item?.name).toBe("exec_command");
    expect(JSON.parse(first[1]?.item?.arguments ?? "")).toEqual({
      cmd: "echo hi",
      yield_time_ms: 30000,
      max_output_tokens: 20000,
    });

    const running = {
      type: "function_call_output",
      call_id: "c1",
      output: "Process running with session ID 61460",
    };
    const poll = await postResponses(mock, [userTurn, call, running]);
    expect(poll[1]?.item?.name).toBe("write_stdin");
    expect(JSON.parse(poll[1]?.item?.arguments ?? "")).toEqual({
      session_id: 61460,
      chars: "",
      yield_time_ms: 30000,
    });

    const exited = {
      type: "function_call_output",
      call_id: "c2",
      output: "Process exited with code 0\nOutput:\nhi\n",
    };
    const done = await postResponses(mock, [userTurn, call, running, call, exited]);
    expect(done[1]?.item?.type).toBe("message");
    expect(done[1]?.item?.content?.[0]?.text).toBe(MOCK_FINAL_MESSAGE);

    expect(mock.commandOutputs()).toEqual([running.output, exited.output]);
    expect(mock.requestCount()).toBe(3);
  });

  it("lists no models and answers 404 elsewhere", async () => {
    mock = await startMockResponses({ commands: ["true"] });
    const models = await fetch(`${mock.baseUrl}/models`);
    expect(await models.json()).toEqual({ data: [] });
    expect((await fetch(`${mock.baseUrl}/chat/completions`, { method: "POST", body: "{}" })).status).toBe(
      404,
    );
    expect(mock.requestCount()).toBe(0);
  });

  it("provider overrides point at the mock", async () => {
    mock = await startMockResponses({ commands: ["true"] });
    const overrides = mock.providerOverrides();
    expect(overrides.filter((_, i) => i % 2 === 0).every((flag) => flag === "-c")).toBe(true);
    expect(overrides.at(-1)).toContain(`base_url="${mock.baseUrl}"`);
    // Names of this run's own: a launcher that sees the appended arguments has no fixed name to key on.
    const names = (o: string[]) => [o[1], o[3], o[5]?.slice(0, o[5].indexOf("="))];
    expect(names(overrides)).toEqual([
      expect.stringMatching(/^model_provider="p[0-9a-f]{8}"$/),
      expect.stringMatching(/^model="m[0-9a-f]{8}"$/),
      expect.stringMatching(/^model_providers\.p[0-9a-f]{8}$/),
    ]);
    const other = await startMockResponses({ commands: [] });
    expect(names(other.providerOverrides())).not.toEqual(names(overrides));
    await other.close();
  });

  it("drives a real codex exec turn", async () => {
    mock = await startMockResponses({ commands: ["echo codex-smoke-$((6*7))"] });
    const nonce = randomUUID();
    const root = mkdtempSync(join(homedir(), ".cache/codex-smoke/mock-test-"));
    const project = join(root, "project");
    const codexHome = join(root, "codex-home");
    for (const dir of [project, codexHome, join(root, "home"), join(root, "tmp")]) mkdirSync(dir);
    writeFileSync(
      join(codexHome, "config.toml"),
      "[analytics]\nenabled = false\n\n[features]\nplugins = false\n",
    );
    await execa("git", ["init", "-q", project]);
    let pid: number | undefined;
    try {
      const child = execa(
        CODEX,
        [
          "exec",
          "--skip-git-repo-check",
          "--disable",
          "unbounded_connection_retries",
          "-c",
          'sandbox_mode="workspace-write"',
          ...mock.providerOverrides(),
          "go",
        ],
        {
          cwd: project,
          stdin: "ignore",
          detached: true,
          reject: false,
          timeout: 60_000,
          killSignal: "SIGKILL",
          env: {
            HOME: join(root, "home"),
            CODEX_HOME: codexHome,
            TMPDIR: join(root, "tmp"),
            RUST_BACKTRACE: "0",
            [MARKER_VAR]: nonce,
          },
        },
      );
      pid = child.pid;
      const result = await child;
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain(MOCK_FINAL_MESSAGE);
      const outputs = mock.commandOutputs().join("\n");
      expect(outputs).toContain("codex-smoke-42");
      expect(outputs).toContain("Process exited with code 0");
    } finally {
      if (pid !== undefined) killGroup(pid);
      await killMarked(nonce);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
