import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_EXPECTATIONS, loadExpectations } from "../../src/core/expectations.js";

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
    ['{ "mcpServers": "playwright" }', '1:17: "mcpServers" must be an array of non-empty strings'],
    ['{ "mcpToolTimeoutSec": "300" }', '1:24: "mcpToolTimeoutSec" must be a positive number'],
    ['{\n  "envSecrets": "error"\n}', '2:17: "envSecrets" must be "warn" or "fail"'],
    [
      '{ "profil": "x" }',
      '1:13: unknown key "profil" (known: profile, approval, sandboxHeader, tuiPermissions, mcpServers, mcpOptional, mcpApprovalMode, mcpToolTimeoutSec, readonlyPaths, webSearch, envSecrets, registryPackage, launcherIntegrity)',
    ],
    ["\n  [1]", "2:3: must be a JSON object"],
    ['{\n  "profile": "x",\n  "approval": \n}', '4:1: not valid JSON (expected a value, found "}")'],
    [
      '{\n  "profile": "x",\n}',
      '3:1: not valid JSON (expected a key in double quotes, found "}" (a trailing comma is not JSON))',
    ],
    [
      '{ "mcpServers": ["a",] }',
      '1:22: not valid JSON (expected a value, found "]" (a trailing comma is not JSON))',
    ],
    ['{ "profile": "x" "approval": "never" }', '1:18: not valid JSON (expected "," or "}", found "\\"")'],
    ['{ "profile": "x\ny" }', "1:16: not valid JSON (control character (e.g. a line break) in a string)"],
    ['{ "profile": "x\\q" }', "1:16: not valid JSON (invalid escape in a string)"],
    ['{ "profile": "x }', "1:14: not valid JSON (string not closed)"],
    ['{ "profile": x }', '1:14: not valid JSON (expected a value, found "x")'],
    ["{} {}", '1:4: not valid JSON (unexpected "{" after the value)'],
    ["", "1:1: not valid JSON (expected a value, found end of file)"],
    ['{ "profile": "x"', '1:17: not valid JSON (expected "," or "}", found end of file)'],
  ])("rejects %j with one line naming the flag, the file and the position", async (text, message) => {
    const path = file(text);
    await expect(loadExpectations(path)).rejects.toThrow(`--expect ${path}:${message}`);
    await expect(loadExpectations(path)).rejects.toThrow(/^[^\n]*$/);
  });

  it("accepts a byte-order mark (some editors write one) and counts positions after it", async () => {
    await expect(loadExpectations(file('\uFEFF{ "envSecrets": "fail" }'))).resolves.toMatchObject({
      envSecrets: "fail",
    });
    const path = file('\uFEFF{ "envSecrets": 1 }');
    await expect(loadExpectations(path)).rejects.toThrow(`--expect ${path}:1:17: "envSecrets" must be`);
  });

  it("names a missing file and a directory", async () => {
    await expect(loadExpectations(join(dir, "nope.json"))).rejects.toThrow(
      `--expect ${join(dir, "nope.json")}: no such file`,
    );
    await expect(loadExpectations(dir)).rejects.toThrow(`--expect ${dir}: is a directory`);
  });
});
