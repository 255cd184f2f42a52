import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_EXPECTATIONS, loadExpectations } from "../../src/expectations.js";

const dir = mkdtempSync(join(tmpdir(), "codex-smoke-expect-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(text: string): string {
  const path = join(dir, "expect.json");
  writeFileSync(path, text);
  return path;
}

describe("loadExpectations", () => {
  it("merges the file over the README's claims", async () => {
    const expectations = await loadExpectations(
      file('{ "mcpServers": ["playwright"], "envSecrets": "fail" }'),
    );
    expect(expectations).toEqual({ ...DEFAULT_EXPECTATIONS, mcpServers: ["playwright"], envSecrets: "fail" });
  });

  it.each([
    ['{ "mcpServers": "playwright" }', '"mcpServers" must be an array of strings'],
    ['{ "mcpToolTimeoutSec": "300" }', '"mcpToolTimeoutSec" must be a positive number'],
    ['{ "envSecrets": "error" }', '"envSecrets" must be "warn" or "fail"'],
    ['{ "profil": "x" }', 'unknown key "profil"'],
    ["[1]", "must be a JSON object"],
    ['{\n  "profile": "x",\n  "approval": \n}', "not valid JSON (line 4)"],
    ['{\n  "profile": "x",\n}', "not valid JSON (line 3)"],
  ])("rejects %s with one line naming the file and key", async (text, message) => {
    const path = file(text);
    await expect(loadExpectations(path)).rejects.toThrow(`${path}: ${message}`);
    await expect(loadExpectations(path)).rejects.toThrow(/^[^\n]*$/);
  });

  it("names a missing file", async () => {
    await expect(loadExpectations(join(dir, "nope.json"))).rejects.toThrow("nope.json: cannot read (ENOENT)");
  });
});
