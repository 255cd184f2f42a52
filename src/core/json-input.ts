// JSON files the user hands in (`--expect`, `--baseline`, `diff`): every problem is one line naming the flag, the
// file and the position (`--expect x.json:4:3: …`). V8's own messages differ between Node releases (Node 20 gives
// a character offset or none at all, newer ones a line), so the position comes from our own syntax scan.
// Such a file may lie in the project the agent shapes (a baseline in `reports/`): it gets the caps of a report
// from the sandbox — a regular file (a FIFO would block, a device never end), at most 2 MB, at most 64 levels deep.
import { closeSync, constants, fstatSync, openSync } from "node:fs";
import { UsageError } from "./errors.js";
import { FileLimitError, readCapped } from "./safe-dir.js";

/** The most a JSON input file may weigh (a report with every check is tens of kilobytes). */
const MAX_INPUT_BYTES = 2 * 1024 * 1024;
/** The deepest nesting a JSON input may have (a report is 4 levels deep). */
const MAX_INPUT_DEPTH = 64;

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

/**
 * A JSON syntax scan without recursion (a deeply nested file cannot overflow the stack): one step per token,
 * with the containers open so far on a stack. Records where each value starts, by its path.
 */
class JsonScanner {
  readonly offsets = new Map<string, number>();
  private readonly stack: Container[] = [];
  private state: State = "value";
  private i = 0;

  constructor(private readonly text: string) {}

  /** The first syntax problem, or null when the text is one JSON value. */
  scan(): SyntaxProblem | null {
    for (;;) {
      this.skipWhitespace();
      if (this.state === "after" && this.stack.length === 0) {
        if (this.i >= this.text.length) return null;
        return this.problem(`unexpected ${describe(this.text, this.i)} after the value`);
      }
      const problem =
        this.state === "after" ? this.afterValue() : this.state.startsWith("key") ? this.key() : this.value();
      if (problem) return problem;
    }
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.i;
    WHITESPACE.exec(this.text);
    this.i = WHITESPACE.lastIndex;
  }

  private problem(reason: string, offset = this.i): SyntaxProblem {
    return { offset, reason };
  }

  private close(): void {
    this.stack.pop();
    this.i++;
    this.state = "after";
  }

  private afterValue(): SyntaxProblem | null {
    const top = this.stack.at(-1) as Container;
    const close = top.kind === "object" ? "}" : "]";
    const char = this.text[this.i];
    if (char === close) this.close();
    else if (char === ",") {
      this.i++;
      if (top.kind === "array") top.index++;
      this.state = top.kind === "object" ? "key" : "value";
    } else return this.problem(`expected "," or "${close}", found ${describe(this.text, this.i)}`);
    return null;
  }

  private key(): SyntaxProblem | null {
    const char = this.text[this.i];
    if (char === "}" && this.state === "key-or-close") {
      this.close();
      return null;
    }
    if (char !== '"') {
      const trailing = char === "}" ? " (a trailing comma is not JSON)" : "";
      return this.problem(`expected a key in double quotes, found ${describe(this.text, this.i)}${trailing}`);
    }
    const end = stringEnd(this.text, this.i);
    if (typeof end !== "number") return end;
    const top = this.stack.at(-1) as Extract<Container, { kind: "object" }>;
    top.key = JSON.parse(this.text.slice(this.i, end)) as string;
    this.i = end;
    this.skipWhitespace();
    if (this.text[this.i] !== ":") {
      return this.problem(`expected ":" after the key, found ${describe(this.text, this.i)}`);
    }
    this.i++;
    this.state = "value";
    return null;
  }

  private value(): SyntaxProblem | null {
    const char = this.text[this.i];
    if (char === "]" && this.state === "value-or-close") {
      this.close();
      return null;
    }
    const path = this.childPath();
    this.offsets.set(path, this.i);
    if (char === "{" || char === "[") {
      if (this.stack.length >= MAX_INPUT_DEPTH)
        return this.problem(`nested deeper than ${MAX_INPUT_DEPTH} levels`);
      this.stack.push(char === "{" ? { kind: "object", path, key: "" } : { kind: "array", path, index: 0 });
      this.i++;
      this.state = char === "{" ? "key-or-close" : "value-or-close";
      return null;
    }
    const end = scalarEnd(this.text, this.i);
    if (typeof end !== "number") {
      const trailing = char === "]" ? " (a trailing comma is not JSON)" : "";
      return { ...end, reason: `${end.reason}${trailing}` };
    }
    this.i = end;
    this.state = "after";
    return null;
  }

  private childPath(): string {
    const top = this.stack.at(-1);
    if (!top) return "";
    if (top.kind === "array") return `${top.path}[${top.index}]`;
    return top.path === "" ? top.key : `${top.path}.${top.key}`;
  }
}

/** Scans `text` as JSON: the first syntax problem, else the start offset of every value by its path. */
function scanJson(text: string): { problem: SyntaxProblem } | { offsets: Map<string, number> } {
  const scanner = new JsonScanner(text);
  const problem = scanner.scan();
  return problem ? { problem } : { offsets: scanner.offsets };
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
function positionAt(text: string, offset: number): JsonPosition {
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
function parseJsonInput(label: string, file: string, text: string): JsonInput {
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

/** Why a JSON input file cannot be read: the message is the reason alone (`no such file`, `not a regular file`). */
class InputFileError extends Error {
  override name = "InputFileError";
}

/** The text of the file the user named: a regular file (a symlink to one is the user's choice) of at most 2 MB. */
export function readInputFile(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(code === "ENOENT" ? "no such file" : `cannot read (${code})`, { cause: error });
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new InputFileError("is a directory");
    return readCapped(fd, file, MAX_INPUT_BYTES).toString("utf8");
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    if (error instanceof FileLimitError) throw new InputFileError(error.reason);
    throw new InputFileError(`cannot read (${(error as NodeJS.ErrnoException).code})`, { cause: error });
  } finally {
    closeSync(fd);
  }
}

/** Reads and parses a JSON file the user named with `label` (a flag, or a command for positional files). */
export async function readJsonInput(label: string, file: string): Promise<JsonInput> {
  let text: string;
  try {
    text = readInputFile(file);
  } catch (error) {
    if (error instanceof InputFileError) throw jsonInputError(label, file, null, error.message);
    throw error;
  }
  return parseJsonInput(label, file, text);
}
