// The JSON Schemas codex-smoke ships in `schemas/` (the report, the `--expect` file). They are read from the package
// at run time, so the file a user's editor or CI validates against is the very one codex-smoke applies.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Ajv2020, ErrorObject } from "ajv/dist/2020.js";
import { PACKAGE_DIR } from "./version.js";

export type SchemaName = "report" | "expect";

/** A JSON Schema as codex-smoke writes them: only the keywords the describing below reads are typed. */
export interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  items?: SchemaNode;
  minLength?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, SchemaNode>;
  $ref?: string;
}

/** One way a value breaks a schema: where (a path as `JsonInput.positionOf` takes it) and the failed keyword. */
export interface SchemaViolation {
  /** `""` the root, `mcpServers`, `mcpServers[1]`, `results[3].status`. */
  path: string;
  keyword: string;
  /** The schema node that failed (the one holding the keyword). */
  schema: SchemaNode;
  /** For `additionalProperties`: the key no schema allows. */
  unknownKey: string | null;
  /** ajv's own wording, for callers that do not word violations themselves. */
  message: string;
}

export interface SchemaValidator {
  /** The parsed schema document. */
  schema: SchemaNode;
  /** Every violation (not only the first); empty when `value` is valid. */
  violations(value: unknown): SchemaViolation[];
}

const schemaFile = (name: SchemaName): string => join(PACKAGE_DIR, "schemas", `${name}.schema.json`);

const compiled = new Map<SchemaName, SchemaValidator>();

/** The shipped schema `name`, compiled once (ajv's strict mode: a keyword it does not know is an error). */
export function schemaValidator(name: SchemaName): SchemaValidator {
  const known = compiled.get(name);
  if (known) return known;
  const schema = JSON.parse(readFileSync(schemaFile(name), "utf8")) as SchemaNode;
  // Loaded on first use: an audit without --expect or --baseline never needs it (its load is most of startup's).
  const { Ajv2020: Ajv } = createRequire(import.meta.url)("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020 };
  const validate = new Ajv({ allErrors: true, verbose: true }).compile(schema);
  const validator: SchemaValidator = {
    schema,
    violations: (value) => (validate(value) ? [] : (validate.errors ?? []).map(violation)),
  };
  compiled.set(name, validator);
  return validator;
}

function violation(error: ErrorObject): SchemaViolation {
  const unknownKey =
    error.keyword === "additionalProperties"
      ? String((error.params as { additionalProperty: string }).additionalProperty)
      : null;
  return {
    path: pointerToPath(error.instancePath),
    keyword: error.keyword,
    schema: (error.parentSchema ?? {}) as SchemaNode,
    unknownKey,
    message: error.message ?? error.keyword,
  };
}

/** `/mcpServers/1` → `mcpServers[1]`, `/target/codexPath` → `target.codexPath` (RFC 6901 escapes undone). */
export function pointerToPath(pointer: string): string {
  let path = "";
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else path += path === "" ? segment : `.${segment}`;
  }
  return path;
}

/** Joins a parent path and a key the way `pointerToPath` writes paths. */
export const childPath = (parent: string, key: string): string => (parent === "" ? key : `${parent}.${key}`);
