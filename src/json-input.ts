// JSON files the user hands in (`--expect`, `--baseline`, `diff`): every problem is one line naming the flag, the
// file and the position (`--expect x.json:4:3: …`). V8's own messages differ between Node releases (Node 20 gives
// a character offset or none at all, newer ones a line), so the position comes from our own syntax scan.
import { readFile } from "node:fs/promises";
import { UsageError } from "./errors.js";

export interface JsonPosition {
  line: number;
  column: number;
}

export interface JsonInput {
  value: unknown;
  /** Where the value at `path` starts (`""` the root, `"results[3]"`, `"mcpServers"`), when it exists. */
  positionOf(path: string): JsonPosition | null;
}

interface SyntaxProblem {
  offset: number;
  reason: string;
}

type Container =
  | { kind: "object"; path: string; key: string }
  | { kind: "array"; path: string; index: number };
type State = "value" | "value-or-close" | "key" | "key-or-close" | "after";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not contain them raw
const STRING_BODY = /(?:[^"\\\u0000-\u001F]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;
const WHITESPACE = /[ \t\n\r]*/y;

function describe(text: string, offset: number): string {
  const char = text[offset];
  return char === undefined ? "end of file" : JSON.stringify(char);
}

/** Scans `text` as JSON: the first syntax problem, else the start offset of every value by its path. */
export function scanJson(text: string): { problem: SyntaxProblem } | { offsets: Map<string, number> } {
  const offsets = new Map<string, number>();
  const stack: Container[] = [];
  let state: State = "value";
  let i = 0;
  const childPath = (): string => {
    const top = stack.at(-1);
    if (!top) return "";
    if (top.kind === "array") return `${top.path}[${top.index}]`;
    return top.path === "" ? top.key : `${top.path}.${top.key}`;
  };
  const fail = (reason: string) => ({ problem: { offset: i, reason } });
  for (;;) {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(text);
    i = WHITESPACE.lastIndex;
    const char = text[i];
    const top = stack.at(-1);
    if (state === "after") {
      if (!top)
        return char === undefined ? { offsets } : fail(`unexpected ${describe(text, i)} after the value`);
      const close = top.kind === "object" ? "}" : "]";
      if (char === close) {
        stack.pop();
        i++;
      } else if (char === ",") {
        i++;
        if (top.kind === "array") top.index++;
        state = top.kind === "object" ? "key" : "value";
      } else return fail(`expected "," or "${close}", found ${describe(text, i)}`);
      continue;
    }
    if (state === "key" || state === "key-or-close") {
      if (char === "}" && state === "key-or-close") {
        stack.pop();
        i++;
        state = "after";
        continue;
      }
      if (char !== '"') {
        const trailing = char === "}" ? " (a trailing comma is not JSON)" : "";
        return fail(`expected a key in double quotes, found ${describe(text, i)}${trailing}`);
      }
      const end = stringEnd(text, i);
      if (typeof end !== "number") return { problem: end };
      (top as Extract<Container, { kind: "object" }>).key = JSON.parse(text.slice(i, end)) as string;
      i = end;
      WHITESPACE.lastIndex = i;
      WHITESPACE.exec(text);
      i = WHITESPACE.lastIndex;
      if (text[i] !== ":") return fail(`expected ":" after the key, found ${describe(text, i)}`);
      i++;
      state = "value";
      continue;
    }
    // state is "value" or "value-or-close"
    if (char === "]" && state === "value-or-close") {
      stack.pop();
      i++;
      state = "after";
      continue;
    }
    const path = childPath();
    offsets.set(path, i);
    if (char === "{" || char === "[") {
      stack.push(char === "{" ? { kind: "object", path, key: "" } : { kind: "array", path, index: 0 });
      i++;
      state = char === "{" ? "key-or-close" : "value-or-close";
      continue;
    }
    const end = scalarEnd(text, i);
    if (typeof end !== "number") {
      const trailing = char === "]" ? " (a trailing comma is not JSON)" : "";
      return { problem: { ...end, reason: `${end.reason}${trailing}` } };
    }
    i = end;
    state = "after";
  }
}

function stringEnd(text: string, start: number): number | SyntaxProblem {
  STRING_BODY.lastIndex = start + 1;
  STRING_BODY.exec(text);
  const end = STRING_BODY.lastIndex;
  if (text[end] === '"') return end + 1;
  if (end >= text.length) return { offset: start, reason: "string not closed" };
  if (text[end] === "\\") return { offset: end, reason: "invalid escape in a string" };
  return { offset: end, reason: "control character (e.g. a line break) in a string" };
}

function scalarEnd(text: string, start: number): number | SyntaxProblem {
  const char = text[start];
  if (char === '"') return stringEnd(text, start);
  for (const literal of ["true", "false", "null"]) {
    if (text.startsWith(literal, start)) return start + literal.length;
  }
  NUMBER.lastIndex = start;
  if (char !== undefined && /[-\d]/.test(char) && NUMBER.exec(text)) return NUMBER.lastIndex;
  return { offset: start, reason: `expected a value, found ${describe(text, start)}` };
}

/** 1-based line and column (in characters) of `offset`. */
export function positionAt(text: string, offset: number): JsonPosition {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}

const where = (label: string, file: string, position: JsonPosition | null): string =>
  `${label} ${file}${position ? `:${position.line}:${position.column}` : ""}`;

/** One line naming `label` (the flag), the file and, when known, the position: `--expect x.json:4:3: why`. */
export function jsonInputError(label: string, file: string, position: JsonPosition | null, why: string) {
  return new UsageError(`${where(label, file, position)}: ${why}`);
}

/** Parses `text` (a leading byte-order mark is ignored, as editors on some systems write one). */
export function parseJsonInput(label: string, file: string, text: string): JsonInput {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const scan = scanJson(body);
  if ("problem" in scan) {
    const { offset, reason } = scan.problem;
    throw jsonInputError(label, file, positionAt(body, offset), `not valid JSON (${reason})`);
  }
  const value: unknown = JSON.parse(body);
  return {
    value,
    positionOf: (path) => {
      const offset = scan.offsets.get(path);
      return offset === undefined ? null : positionAt(body, offset);
    },
  };
}

/** Reads and parses a JSON file the user named with `label` (a flag, or a command for positional files). */
export async function readJsonInput(label: string, file: string): Promise<JsonInput> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : `cannot read (${code})`;
    throw jsonInputError(label, file, null, why);
  }
  return parseJsonInput(label, file, text);
}
