// The claims of the seed README as expectations, and `--expect <file>` merged over them. The file is validated
// against the shipped schema (schemas/expect.schema.json): every problem is one line naming the key at fault.
import { UsageError } from "./errors.js";
import { type JsonInput, type JsonPosition, jsonInputError, readJsonInput } from "./json-input.js";
import type { Expectations } from "./model.js";
import { childPath, type SchemaNode, type SchemaViolation, schemaValidator } from "./schemas.js";

export const DEFAULT_EXPECTATIONS: Expectations = {
  profile: "azi4a2-autonomous",
  approval: "never",
  sandboxHeader: "workspace-write [workdir] (network access enabled)",
  tuiPermissions: "workspace with network access, never",
  mcpServers: ["playwright", "openaiDeveloperDocs"],
  mcpOptional: [],
  mcpApprovalMode: "approve",
  mcpToolTimeoutSec: 300,
  readonlyPaths: [".codex", "www.azinstitute4autism.com"],
  webSearch: "live",
  envSecrets: "warn",
  registryPackage: "astro",
  launcherIntegrity: "warn",
};

/** The key an editor uses to find the schema: allowed in the file, never an expectation. */
const SCHEMA_KEY = "$schema";

/** What a value must be, in words, from the schema node it failed (the expect schema's keywords only). */
export function describeSchema(node: SchemaNode, root: SchemaNode): string {
  if (node.$ref !== undefined) return describeSchema(resolveRef(node.$ref, root), root);
  if (node.enum !== undefined) return node.enum.map((value) => JSON.stringify(value)).join(" or ");
  if (node.type === "array" && node.items !== undefined) {
    return `an array of ${describeSchema(node.items, root).replace(/^an? /, "")}s`;
  }
  if (node.type === "string") return node.minLength === 1 ? "a non-empty string" : "a string";
  if (node.type === "number") return node.exclusiveMinimum === 0 ? "a positive number" : "a number";
  if (node.type === "object") return "a JSON object";
  throw new Error(`expect schema: no wording for ${JSON.stringify(node)}`);
}

function resolveRef(ref: string, root: SchemaNode): SchemaNode {
  let node: unknown = root;
  for (const segment of ref.replace(/^#\//, "").split("/")) node = (node as Record<string, unknown>)[segment];
  if (node === undefined) throw new Error(`expect schema: unresolved ${ref}`);
  return node as SchemaNode;
}

interface Problem {
  position: JsonPosition | null;
  why: string;
}

function problemOf(v: SchemaViolation, input: JsonInput, root: SchemaNode): Problem {
  if (v.unknownKey !== null) {
    const known = Object.keys(root.properties ?? {}).filter((key) => key !== SCHEMA_KEY);
    return {
      position: input.positionOf(childPath(v.path, v.unknownKey)),
      why: `unknown key "${v.unknownKey}" (known: ${known.join(", ")})`,
    };
  }
  const what = describeSchema(v.schema, root);
  return {
    position: input.positionOf(v.path),
    why: v.path === "" ? `must be ${what}` : `"${v.path}" must be ${what}`,
  };
}

const byPosition = (a: Problem, b: Problem): number =>
  (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0);

/** Reads `file` (JSON) over the defaults; one line per problem: `--expect`, the file, the position, the key. */
export async function loadExpectations(file: string): Promise<Expectations> {
  const input = await readJsonInput("--expect", file);
  const validator = schemaValidator("expect");
  const problems = validator.violations(input.value).map((v) => problemOf(v, input, validator.schema));
  if (problems.length > 0) {
    const lines = problems
      .sort(byPosition)
      .map((p) => jsonInputError("--expect", file, p.position, p.why).message);
    throw new UsageError([...new Set(lines)]);
  }
  const { [SCHEMA_KEY]: _editorHint, ...overrides } = input.value as Record<string, unknown>;
  return { ...DEFAULT_EXPECTATIONS, ...(overrides as Partial<Expectations>) };
}
