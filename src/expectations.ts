// The claims of the seed README as expectations, and `--expect <file>` merged over them.
import { jsonInputError, readJsonInput } from "./json-input.js";
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

/** Reads `file` (JSON) over the defaults; every problem is one line naming `--expect`, the file and the position. */
export async function loadExpectations(file: string): Promise<Expectations> {
  const flag = "--expect";
  const input = await readJsonInput(flag, file);
  const parsed = input.value;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw jsonInputError(flag, file, input.positionOf(""), "must be a JSON object");
  }
  const merged: Record<string, unknown> = { ...DEFAULT_EXPECTATIONS };
  for (const [key, value] of Object.entries(parsed)) {
    if (!Object.hasOwn(VALIDATORS, key)) {
      const known = Object.keys(VALIDATORS).join(", ");
      throw jsonInputError(flag, file, input.positionOf(key), `unknown key "${key}" (known: ${known})`);
    }
    const problem = VALIDATORS[key as keyof Expectations](value);
    if (problem !== null) throw jsonInputError(flag, file, input.positionOf(key), `"${key}" ${problem}`);
    merged[key] = value;
  }
  return merged as unknown as Expectations;
}
