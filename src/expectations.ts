// The claims of the seed README as expectations, and `--expect <file>` merged over them.
import { readFile } from "node:fs/promises";
import type { Expectations } from "./model.js";

export const DEFAULT_EXPECTATIONS: Expectations = {
  profile: "azi4a2-autonomous",
  approval: "never",
  sandboxHeader: "workspace-write [workdir] (network access enabled)",
  tuiPermissions: "workspace with network access, never",
  mcpServers: ["playwright", "openaiDeveloperDocs"],
  mcpApprovalMode: "approve",
  mcpToolTimeoutSec: 300,
  readonlyPaths: [".codex", "www.azinstitute4autism.com"],
  webSearch: "live",
  envSecrets: "warn",
  registryPackage: "astro",
};

type Validator = (value: unknown) => string | null;

const nonEmptyString: Validator = (v) =>
  typeof v === "string" && v !== "" ? null : "must be a non-empty string";
const stringArray: Validator = (v) =>
  Array.isArray(v) && v.every((item) => typeof item === "string") ? null : "must be an array of strings";

const VALIDATORS: { [K in keyof Expectations]: Validator } = {
  profile: nonEmptyString,
  approval: nonEmptyString,
  sandboxHeader: nonEmptyString,
  tuiPermissions: nonEmptyString,
  mcpServers: stringArray,
  mcpApprovalMode: nonEmptyString,
  mcpToolTimeoutSec: (v) =>
    typeof v === "number" && Number.isFinite(v) && v > 0 ? null : "must be a positive number",
  readonlyPaths: stringArray,
  webSearch: nonEmptyString,
  envSecrets: (v) => (v === "warn" || v === "fail" ? null : 'must be "warn" or "fail"'),
  registryPackage: nonEmptyString,
};

/** Reads `file` (JSON) over the defaults; every problem is one line naming the file and the key. */
export async function loadExpectations(file: string): Promise<Expectations> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`${file}: cannot read (${code})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const line = jsonErrorLine(text, error instanceof Error ? error.message : "");
    throw new Error(`${file}: not valid JSON${line === null ? "" : ` (line ${line})`}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: must be a JSON object`);
  }
  const merged: Record<string, unknown> = { ...DEFAULT_EXPECTATIONS };
  for (const [key, value] of Object.entries(parsed)) {
    if (!Object.hasOwn(VALIDATORS, key)) throw new Error(`${file}: unknown key "${key}"`);
    const problem = VALIDATORS[key as keyof Expectations](value);
    if (problem !== null) throw new Error(`${file}: "${key}" ${problem}`);
    merged[key] = value;
  }
  return merged as unknown as Expectations;
}

/** V8 names either the line (newer) or the character position (Node 20) of a JSON syntax error. */
function jsonErrorLine(text: string, message: string): number | null {
  const line = /line (\d+)/.exec(message);
  if (line?.[1] !== undefined) return Number(line[1]);
  const position = /position (\d+)/.exec(message);
  if (position?.[1] !== undefined) return lineAt(text, Number(position[1]));
  if (/end of JSON input/i.test(message)) return text.split("\n").length;
  // `Unexpected token 'x', …"<up to 10 characters either side>"… is not valid JSON`
  const context = /^Unexpected token '(.)', (\.\.\.)?"(.*)"(?:\.\.\.)? is not valid JSON$/s.exec(message);
  if (context) {
    const [, token, elided, snippet] = context as unknown as [string, string, string | undefined, string];
    const start = text.indexOf(snippet);
    if (start >= 0) return lineAt(text, start + (elided ? 10 : snippet.indexOf(token)));
  }
  return null;
}

const lineAt = (text: string, offset: number): number => text.slice(0, offset).split("\n").length;
