// The mock hands out a runner command only when `before` lets it: the network command waits for its input.
import { describe, expect, it } from "vitest";
import { startMockResponses } from "../src/agent/mock-responses.js";

/** One POST /v1/responses with the given tool outputs so far; resolves with the SSE text. */
async function turn(baseUrl: string, outputs: string[]): Promise<string> {
  const input = outputs.map((output, i) => ({ type: "function_call_output", call_id: `c${i}`, output }));
  const response = await fetch(`${baseUrl}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ input }),
  });
  return response.text();
}

describe("the mock's gate before a command", () => {
  it("holds the answer that hands out command i until before(i) settles, and asks for each command once", async () => {
    const asked: number[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const mock = await startMockResponses({
      commands: ["echo local", "echo net"],
      before: async (index) => {
        asked.push(index);
        if (index === 1) await gate;
      },
    });
    try {
      expect(await turn(mock.baseUrl, [])).toContain("echo local");
      let answered = false;
      const second = turn(mock.baseUrl, ["Process exited with code 0\nOutput:\nlocal"]).then((text) => {
        answered = true;
        return text;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(answered).toBe(false);
      release();
      expect(await second).toContain("echo net");
      // The final message is no command: nothing to wait for.
      expect(
        await turn(mock.baseUrl, ["Process exited with code 0", "Process exited with code 0"]),
      ).toContain("runner finished");
      expect(asked).toEqual([0, 1]);
    } finally {
      await mock.close();
    }
  });
});
