// What a launcher script says about how it starts Codex, read without running it, and the argv a PATH shim
// recorded. Static reading is the fallback for the profile and what lint messages point at (file:line).
//
// The script is parsed with tree-sitter's bash grammar (run as WebAssembly); a small evaluator then follows what
// the shell would pass: variables and their defaults, arrays, `set --`/`shift`, wrappers such as `exec` and `env`.
// Only the arguments of a command that runs Codex count; comments, messages, case patterns and here-documents don't.
// A variable the launcher does not assign is taken as unset, so `${CODEX_PROFILE:-x}` reads as `x`; what the
// reader cannot know (`"$@"`, `$(…)`, `$HOME`) is kept as written and never read as an option.
//
// It also says where Codex's arguments are hidden from any reader (launcher.integrity): a value or a branch that
// comes from the environment, a command's output (`$(…)`) or `eval`. A variable with a written default
// (`${CODEX_PROFILE:-azi4a2-autonomous}`) used as a value is a documented knob, not hidden: the reader reads the
// default and the observed launches show what the caller's environment made of it. A branch on any environment
// variable is hidden, default or not: the audit sees one side of it, a user's start may take the other.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import TreeSitter, { type Parser, type Node as SyntaxNode } from "@vscode/tree-sitter-wasm";
import {
  type CodexCommandLine,
  configKey,
  legacyFlagOf,
  type ObservedArgv,
  parseCodexArgs,
  summarizeCodexArgs,
} from "./codex-argv.js";

export { type ObservedArgv, parseObservedArgv } from "./codex-argv.js";

export interface LintFinding {
  line: number;
  /** The offending flag or setting, e.g. `--sandbox`, `-c sandbox_mode`, `NODE_TLS_REJECT_UNAUTHORIZED=0`. */
  flag: string;
  /** The launcher line, trimmed. */
  text: string;
}

/** One command in the launcher that runs Codex. */
interface CodexInvocation {
  /** The line the command starts on. */
  line: number;
  /** Its arguments after the program, expanded; what the launcher cannot know is kept as written (`$@`). */
  args: string[];
  /** What Codex reads from them; a profile or `-c` value that is not exactly known is left out. */
  parsed: ObservedArgv;
}

export interface LauncherStatic {
  path: string;
  /** The profile the launcher passes (`--profile`, `-p`, `--profile=`), variables resolved through defaults. */
  profile: string | null;
  /** The line that passes that profile. */
  profileLine: number | null;
  /** Its `-c key=value` arguments, each once, at the line where it is written. */
  overrides: Array<{ key: string; raw: string; line: number }>;
  /** Legacy sandbox flags passed to Codex and settings that switch TLS verification off, by line. */
  findings: LintFinding[];
  /** Every command that runs Codex, in the order of the script (branches are not evaluated). */
  invocations: CodexInvocation[];
  /** Lines the bash grammar could not read; what is near them may be missing from this reading. */
  syntaxErrors: number[];
  /** Where Codex's arguments (or the branches that choose them) depend on the environment, `$(…)` or `eval`. */
  hidden: LintFinding[];
  /** Environment variables with a written default that reach Codex's arguments (documented knobs), by line. */
  defaults: Array<{ line: number; name: string }>;
  /** Files the launcher sources or runs by path, as written: relative to its working directory or its own folder. */
  files: Array<{ line: number; path: string; from: "cwd" | "launcher" }>;
}

/** Something Codex's arguments depend on that no reader of the file can know: where it is written, and what. */
interface Dependence {
  line: number;
  flag: string;
}

/** What an expression's value depends on: hidden things, and the environment variables it reads. */
interface Dependences {
  hidden: Dependence[];
  env: Array<{ line: number; name: string; defaulted: boolean }>;
}

const require = createRequire(import.meta.url);
// tree-sitter loads its WebAssembly asynchronously; once loaded, parsing is synchronous, so the reading stays a
// plain function for its callers.
const bashParser = await loadBashParser();

async function loadBashParser(): Promise<Parser> {
  // V8 recompiles hot WebAssembly with its optimizing compiler on a background thread. For tree-sitter's large
  // parse functions that took 0.6 s of CPU per audit (perf, 2 cores), taken from the Codex launches running
  // meanwhile, to speed up parsing scripts of a few hundred lines. The baseline compiler alone is enough; the flag
  // is read when a module compiles, and this process compiles no other WebAssembly on its hot paths.
  setFlagsFromString("--liftoff-only");
  await TreeSitter.Parser.init();
  const grammar = readFileSync(require.resolve("@vscode/tree-sitter-wasm/wasm/tree-sitter-bash.wasm"));
  const parser = new TreeSitter.Parser();
  parser.setLanguage(await TreeSitter.Language.load(grammar));
  return parser;
}

export function readLauncherStatic(path: string, text: string): LauncherStatic {
  const tree = bashParser.parse(text);
  if (!tree) throw new Error(`could not parse ${path}`);
  try {
    const reader = new LauncherReader(text);
    reader.visit(tree.rootNode);
    return { path, ...reader.result(), syntaxErrors: syntaxErrorLines(tree.rootNode) };
  } finally {
    tree.delete();
  }
}

/** Visited in the order of the script, so the lines come out in order. */
function syntaxErrorLines(root: SyntaxNode): number[] {
  const lines = new Set<number>();
  const visit = (node: SyntaxNode) => {
    if (node.isError || node.isMissing) lines.add(node.startPosition.row + 1);
    else if (node.hasError) for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return [...lines];
}

// ---- words after expansion ----

/**
 * A word, or part of one, after expansion: its text (unknown parts as written), whether it is exactly what the
 * shell passes, whether it may stand for any number of words (`"$@"`, an unknown unquoted `$x`), and the line its
 * text was written on (a variable's value keeps the line of its assignment).
 */
interface Field {
  text: string;
  exact: boolean;
  several: boolean;
  line: number;
}
/** Parts of words in order; `null` separates two words. */
type Segment = Field | null;

const literal = (text: string, line: number): Field => ({ text, exact: true, several: false, line });
const unknown = (node: SyntaxNode, quoted: boolean): Field => ({
  text: textOf(node),
  exact: false,
  several: !quoted || LIST_EXPANSION.test(textOf(node)),
  line: lineOf(node),
});
const lineOf = (node: SyntaxNode) => node.startPosition.row + 1;
/** In a string the grammar puts the spaces before a `$` into the expansion's node (`" $x"`); they are not its text. */
const textOf = (node: SyntaxNode) => node.text.trimStart();
const startOf = (node: SyntaxNode) => node.endIndex - textOf(node).length;

function joinFields(a: Field, b: Field): Field {
  return {
    text: a.text + b.text,
    exact: a.exact && b.exact,
    several: a.several || b.several,
    line: a.text === "" ? b.line : a.line,
  };
}

function fold(segments: Segment[]): Field[] {
  const fields: Field[] = [];
  let current: Field | null = null;
  for (const segment of segments) {
    if (segment === null) {
      if (current) fields.push(current);
      current = null;
    } else {
      current = current ? joinFields(current, segment) : segment;
    }
  }
  if (current) fields.push(current);
  return fields;
}

/** Field splitting of an unquoted expansion's known text. */
function splitWords(field: Field): Segment[] {
  if (!field.exact) return [{ ...field, several: true }];
  return field.text
    .split(/([ \t\n]+)/)
    .filter((part) => part !== "")
    .map((part) => (/^[ \t\n]/.test(part) ? null : { ...field, text: part }));
}

const unescapeUnquoted = (text: string) => text.replace(/\\(.)/gs, "$1");
const unescapeDoubleQuoted = (text: string) => text.replace(/\\\n/g, "").replace(/\\(["\\$`])/g, "$1");
const ANSI_C: Record<string, string> = { n: "\n", t: "\t", r: "\r" };
const unescapeAnsiC = (text: string) => text.replace(/\\(.)/gs, (_, c: string) => ANSI_C[c] ?? c);

const basename = (text: string) => text.slice(text.lastIndexOf("/") + 1);
const isCodexProgram = (text: string) => basename(text) === "codex" || /^@openai\/codex(@[^/]*)?$/.test(text);

// ---- the reader ----

const DEFAULT_OPERATORS = new Set([":-", "-", ":=", "="]);
const ALTERNATIVE_OPERATORS = new Set([":+", "+"]);
const LIST_EXPANSION = /^\$(@|\{@\}|\{[A-Za-z_][A-Za-z0-9_]*\[@\]\})$/;
/** Word parts that are quotes or expansions; any other part of a word is its text. */
const EVALUATED_TYPES = new Set([
  "string",
  "raw_string",
  "ansi_c_string",
  "simple_expansion",
  "expansion",
  "command_substitution",
]);
/** Commands whose arguments are text (messages, tests), not switches. */
const TEXT_COMMANDS = new Set(["echo", "printf", "test", "["]);
/** curl's short options that take a value: a `k` after one of them in a cluster is that value, not `--insecure`. */
const CURL_VALUE_SHORTS = new Set("EKCbcdDFPHmoUQreXYytzTuAwx");

interface Reference {
  name: SyntaxNode;
  operator: string | null;
  /** The operand's children and the source range it spans (its spaces are only in the source). */
  operand: { nodes: SyntaxNode[]; start: number; end: number };
}

class LauncherReader {
  private readonly lines: string[];
  private readonly scalars = new Map<string, Field[]>();
  private readonly arrays = new Map<string, Field[]>();
  private positional: Field[] = [{ text: "$@", exact: false, several: true, line: 0 }];
  private readonly findings = new Map<string, LintFinding>();
  private readonly overrides = new Map<string, LauncherStatic["overrides"][number]>();
  private readonly invocations: CodexInvocation[] = [];
  private profile: { name: string; line: number } | null = null;
  /** What each variable the launcher assigns depends on (its value, and the branches it was assigned in). */
  private readonly dependences = new Map<string, Dependences>();
  /** The hidden dependences of the branches the walk is in. */
  private readonly conditions: Dependence[][] = [];
  private readonly hidden = new Map<string, LintFinding>();
  private readonly defaults = new Map<string, { line: number; name: string }>();
  private readonly files = new Map<string, LauncherStatic["files"][number]>();

  constructor(private readonly source: string) {
    this.lines = source.split("\n");
  }

  result(): Omit<LauncherStatic, "path" | "syntaxErrors"> {
    const byLine = <T extends { line: number }>(map: Map<string, T>) =>
      [...map.values()].sort((a, b) => a.line - b.line);
    return {
      profile: this.profile?.name ?? null,
      profileLine: this.profile?.line ?? null,
      overrides: [...this.overrides.values()],
      findings: byLine(this.findings),
      invocations: this.invocations,
      hidden: byLine(this.hidden),
      defaults: byLine(this.defaults),
      files: byLine(this.files),
    };
  }

  /** Walks the script in order; commands inside `$(…)`, functions and branches are visited like the rest. */
  visit(node: SyntaxNode): void {
    switch (node.type) {
      case "if_statement":
      case "elif_clause":
      case "while_statement":
        this.visitBranch(node, node.childrenForFieldName("condition").filter(isNamed));
        return;
      case "case_statement":
        this.visitBranch(node, node.childrenForFieldName("value").filter(isNamed));
        return;
      case "list":
        // `a && b`, `a || b`: what follows the operator runs depending on what precedes it.
        this.visitBranch(node, node.namedChildren.slice(0, 1).filter(isNamed));
        return;
      case "variable_assignment":
        this.checkTlsAssignment(node);
        // `VAR=x cmd` sets VAR for that command only.
        if (node.parent?.type !== "command") this.assign(node);
        break;
      case "command":
        this.readCommand(node);
        break;
      case "for_statement": {
        const variable = node.childForFieldName("variable");
        if (variable) {
          this.setUnknown(variable);
          this.dependences.set(variable.text, this.dependencesOf(node.childrenForFieldName("value")));
        }
        break;
      }
      case "unset_command":
        for (const name of node.namedChildren) if (name) this.forget(name.text);
        break;
    }
    for (const child of node.namedChildren) if (child) this.visit(child);
  }

  /** The conditions first, then the rest of the statement with the conditions' hidden dependences in force. */
  private visitBranch(node: SyntaxNode, conditions: SyntaxNode[]): void {
    for (const condition of conditions) this.visit(condition);
    this.conditions.push(this.conditionDependences(conditions));
    for (const child of node.namedChildren) {
      if (child && !conditions.some((condition) => sameNode(condition, child))) this.visit(child);
    }
    this.conditions.pop();
  }

  /** One finding per flag and line, however many commands pass it. */
  private report(line: number, flag: string): void {
    this.findings.set(`${line}\0${flag}`, { line, flag, text: (this.lines[line - 1] ?? "").trim() });
  }

  // ---- variables ----

  private assign(node: SyntaxNode): void {
    const nameNode = node.childForFieldName("name");
    // `a[0]=x` (one element) is not followed: the array's value is no longer known.
    const arrayName = nameNode?.type === "subscript" ? nameNode.childForFieldName("name") : null;
    if (arrayName) this.setUnknown(arrayName);
    if (nameNode?.type !== "variable_name") return;
    const name = nameNode.text;
    const append = node.children.some((child) => child?.type === "+=");
    const value = node.childForFieldName("value");
    this.recordDependences(name, value, append);
    if (value?.type === "array") {
      const elements = this.fieldsOf(value.namedChildren);
      const before = append ? (this.arrays.get(name) ?? fold(this.scalars.get(name) ?? [])) : [];
      this.forget(name);
      this.arrays.set(name, [...before, ...elements]);
      return;
    }
    const segments = value ? this.evaluate(value, true) : [];
    this.setScalar(name, [...(append ? (this.scalars.get(name) ?? []) : []), ...segments]);
  }

  /** An assigned value is not split into words; `${a[@]}` joins with spaces. Returns the value. */
  private setScalar(name: string, segments: Segment[]): Field[] {
    const value = segments.map((s, k, all) => s ?? literal(" ", all[k - 1]?.line ?? 0));
    this.forget(name);
    this.scalars.set(name, value);
    return value;
  }

  private setUnknown(node: SyntaxNode): void {
    this.forget(node.text);
    this.scalars.set(node.text, [{ ...unknown(node, true), text: `$${node.text}` }]);
  }

  private forget(name: string): void {
    this.scalars.delete(name);
    this.arrays.delete(name);
  }

  private checkTlsAssignment(node: SyntaxNode): void {
    if (node.childForFieldName("name")?.text !== "NODE_TLS_REJECT_UNAUTHORIZED") return;
    const value = node.childForFieldName("value");
    const fields = value ? fold(this.evaluate(value, true)) : [];
    if (fields.length === 1 && fields[0]?.exact && fields[0].text === "0") {
      this.report(lineOf(node), "NODE_TLS_REJECT_UNAUTHORIZED=0");
    }
  }

  // ---- commands ----

  private readCommand(node: SyntaxNode): void {
    const name = node.childForFieldName("name");
    const run = this.unwrap(this.fieldsOf([name, ...node.childrenForFieldName("argument")]));
    if (!run) return;
    const { program, args } = run;
    this.recordFile(lineOf(node), program, args);
    if (program.text === "eval") this.reportHidden({ line: lineOf(node), flag: "eval" });
    if (isCodexProgram(program.text)) {
      this.readInvocation(lineOf(node), args);
      this.recordInvocationDependences([name, ...node.childrenForFieldName("argument")]);
    } else if (program.text === "set") this.setPositional(args);
    else if (program.text === "shift") this.shift(args);
    else this.checkTlsArguments(basename(program.text), args);
  }

  /** Drops the wrappers in front of the program (`exec`, `env VAR=x`, `nohup`, …); null when nothing runs. */
  private unwrap(fields: Field[]): { program: Field; args: Field[] } | null {
    let rest = fields;
    for (;;) {
      const [first, ...args] = rest;
      if (!first) return null;
      const wrapper = WRAPPERS[basename(first.text)];
      if (!wrapper) return { program: first, args };
      const skipped = wrapper(args);
      if (skipped === null) return null;
      if (basename(first.text) === "env") {
        for (const arg of args.slice(0, skipped)) this.checkTlsEnvArgument(arg);
      }
      rest = args.slice(skipped);
    }
  }

  /** `source x`, `. x`, `./x`, `bash x`: a file whose content decides too (its writability is probed). */
  private recordFile(line: number, program: Field, args: Field[]): void {
    const base = basename(program.text);
    let file: ReturnType<typeof fileOf> = null;
    if (program.text === "source" || program.text === ".") file = fileOf(args[0]);
    else if (INTERPRETERS.has(base)) {
      const operand = args.findIndex((arg) => !arg.text.startsWith("-"));
      const inline = args
        .slice(0, operand < 0 ? args.length : operand)
        .some((a) => INLINE_PROGRAM.has(a.text));
      if (!inline && operand >= 0) file = fileOf(args[operand]);
    } else if (program.text.includes("/")) file = fileOf(program);
    if (file) this.files.set(`${file.from}\0${file.path}`, { ...file, line });
  }

  // ---- what Codex's arguments depend on ----

  private reportHidden(dependence: Dependence): void {
    const text = (this.lines[dependence.line - 1] ?? "").trim();
    this.hidden.set(`${dependence.line}\0${dependence.flag}`, { ...dependence, text });
  }

  private inBranches(): Dependence[] {
    return this.conditions.flat();
  }

  private recordDependences(name: string, value: SyntaxNode | null, append: boolean): void {
    const found = this.dependencesOf([value]);
    found.hidden.push(...this.inBranches());
    const before = append ? this.dependences.get(name) : undefined;
    this.dependences.set(name, {
      hidden: [...(before?.hidden ?? []), ...found.hidden],
      env: [...(before?.env ?? []), ...found.env],
    });
  }

  /** A command that runs Codex: whatever its words or its branches hide is a finding; a default is noted. */
  private recordInvocationDependences(words: Array<SyntaxNode | null>): void {
    const found = this.dependencesOf(words);
    for (const dependence of [...found.hidden, ...this.inBranches()]) this.reportHidden(dependence);
    for (const { line, name, defaulted } of found.env) {
      if (defaulted) this.defaults.set(name, { line, name });
    }
  }

  /** What a branch's conditions hide, at the line of the branch (where the value came from is another line). */
  private conditionDependences(conditions: SyntaxNode[]): Dependence[] {
    const [first] = conditions;
    if (!first) return [];
    const line = lineOf(first);
    const found = this.dependencesOf(conditions);
    const flags = [
      ...found.hidden
        // An environment variable is named below, with or without a default.
        .filter((d) => !/^\$\w+$/.test(d.flag))
        .map((d) => (d.flag.startsWith("branch on ") ? d.flag : `branch on ${d.flag}`)),
      ...found.env.map(({ name }) => `branch on $${name}`),
    ];
    return [...flags.map((flag) => ({ line, flag })), ...runtimeTests(conditions)];
  }

  /** The hidden things and environment variables the words' values come from. */
  private dependencesOf(nodes: Array<SyntaxNode | null>): Dependences {
    const found: Dependences = { hidden: [], env: [] };
    const walk = (node: SyntaxNode): void => {
      if (node.type === "command_substitution" && !isPathHelper(node) && !lookedUpProgram(node)) {
        found.hidden.push({ line: lineOf(node), flag: node.text.startsWith("`") ? "`…`" : "$(…)" });
      } else if (node.type === "simple_expansion" || node.type === "expansion") {
        this.variableDependences(node, found);
      }
      for (const child of node.namedChildren) if (child) walk(child);
    };
    for (const node of nodes) if (node) walk(node);
    return found;
  }

  private variableDependences(node: SyntaxNode, found: Dependences): void {
    const nameNode = node.namedChildren.find(
      (child) => child && ["variable_name", "special_variable_name", "subscript"].includes(child.type),
    );
    if (!nameNode || nameNode.type === "special_variable_name") return;
    const name =
      nameNode.type === "subscript" ? (nameNode.childForFieldName("name")?.text ?? "") : nameNode.text;
    // The launcher's own arguments are not its environment: the audit passes real subcommands.
    if (/^\d+$/.test(name) || SAME_FOR_AUDIT.has(name)) return;
    if (this.scalars.has(name) || this.arrays.has(name)) {
      const own = this.dependences.get(name);
      if (own) {
        found.hidden.push(...own.hidden);
        found.env.push(...own.env);
      }
      return;
    }
    const reference = this.referenceOf(node);
    const operand = reference ? this.source.slice(reference.operand.start, reference.operand.end) : "";
    const operator = reference?.operator ?? null;
    const defaulted = operator !== null && DEFAULT_OPERATORS.has(operator) && operand.trim() !== "";
    found.env.push({ line: lineOf(node), name, defaulted });
    if (!defaulted) found.hidden.push({ line: lineOf(node), flag: `$${name}` });
  }

  private readInvocation(line: number, args: Field[]): void {
    const commandLine = parseCodexArgs(args.map((arg) => arg.text));
    const exact = (index: number) => args[index]?.exact === true;
    const parsed = summarizeCodexArgs(commandLine, exact);
    this.invocations.push({ line, args: args.map((arg) => arg.text), parsed });
    this.recordOptions(commandLine, args, exact);
  }

  private recordOptions(
    commandLine: CodexCommandLine,
    args: Field[],
    exact: (index: number) => boolean,
  ): void {
    for (const option of commandLine.options) {
      const line = (args[option.at] as Field).line;
      const flag = legacyFlagOf(option);
      if (flag) this.report(line, flag);
      if (option.value === null || option.valueAt === null || !exact(option.valueAt)) continue;
      if (option.name === "--profile" && this.profile === null) this.profile = { name: option.value, line };
      // Keyed by line and value: two commands that expand the same array pass each override once.
      if (option.name === "--config") {
        this.overrides.set(`${line}\0${option.value}`, {
          key: configKey(option.value),
          raw: option.value,
          line,
        });
      }
    }
  }

  /** `set -- a b` replaces the positional parameters (`set -e` does not). */
  private setPositional(args: Field[]): void {
    const [first] = args;
    if (first?.text === "--") this.positional = args.slice(1);
    else if (first && !/^[-+]/.test(first.text)) this.positional = args;
  }

  private shift(args: Field[]): void {
    const count = args[0] ? Number(args[0].text) : 1;
    for (let k = 0; k < count && this.positional[0] && !this.positional[0].several; k++) {
      this.positional = this.positional.slice(1);
    }
  }

  private checkTlsArguments(program: string, args: Field[]): void {
    if (TEXT_COMMANDS.has(program)) return;
    for (const arg of args) {
      if (arg.text === "--insecure" || arg.text === "--no-check-certificate") this.report(arg.line, arg.text);
      else if (program === "curl" && /^-[^-]/.test(arg.text) && curlClusterHasK(arg.text)) {
        this.report(arg.line, "-k");
      }
    }
  }

  private checkTlsEnvArgument(arg: Field): void {
    if (arg.exact && arg.text === "NODE_TLS_REJECT_UNAUTHORIZED=0") {
      this.report(arg.line, "NODE_TLS_REJECT_UNAUTHORIZED=0");
    }
  }

  // ---- expansion ----

  /** The words a list of shell words expands to (comments inside an array are skipped). */
  private fieldsOf(nodes: Array<SyntaxNode | null>): Field[] {
    const segments: Segment[] = [];
    for (const node of nodes) {
      if (node && node.type !== "comment") segments.push(...this.evaluate(node, false), null);
    }
    return fold(segments);
  }

  private evaluate(node: SyntaxNode, quoted: boolean): Segment[] {
    switch (node.type) {
      case "command_name":
        return node.namedChildren[0] ? this.evaluate(node.namedChildren[0], quoted) : [];
      case "word":
      case "number":
        return [literal(quoted ? node.text : unescapeUnquoted(node.text), lineOf(node))];
      case "raw_string":
        return [literal(node.text.slice(1, -1), lineOf(node))];
      case "ansi_c_string":
        return [literal(unescapeAnsiC(node.text.slice(2, -1)), lineOf(node))];
      case "string":
        return this.evaluateString(node);
      case "concatenation":
        return node.namedChildren.flatMap((child) => (child ? this.evaluate(child, quoted) : []));
      case "simple_expansion":
      case "expansion":
        return this.expand(node, quoted);
      case "command_substitution":
        return [lookedUpProgram(node) ?? unknown(node, quoted)];
      default:
        return [unknown(node, quoted)];
    }
  }

  /** `"…"`: text between the parts is literal. */
  private evaluateString(node: SyntaxNode): Segment[] {
    const parts = node.namedChildren.filter((child): child is SyntaxNode => child !== null);
    const segments: Segment[] = [];
    let offset = node.startIndex + 1;
    for (const part of parts) {
      const gap = this.source.slice(offset, part.type === "string_content" ? part.startIndex : startOf(part));
      if (gap !== "") segments.push(literal(unescapeDoubleQuoted(gap), lineOf(part)));
      if (part.type === "string_content") {
        segments.push(literal(unescapeDoubleQuoted(part.text), lineOf(part)));
      } else {
        segments.push(...this.evaluate(part, true));
      }
      offset = part.endIndex;
    }
    const tail = this.source.slice(offset, node.endIndex - 1);
    if (tail !== "") segments.push(literal(unescapeDoubleQuoted(tail), lineOf(node)));
    // "$@" and "${a[@]}" are as many words as there are elements, none for none; any other string is one word.
    const onlyList =
      parts.length === 1 && LIST_EXPANSION.test(this.source.slice(node.startIndex + 1, node.endIndex - 1));
    return onlyList ? segments : [literal("", lineOf(node)), ...segments];
  }

  /** `$x`, `${x}`, `${x:-default}`, `${x:+alternative}`, `${a[@]}`, `$@`, `$1`. */
  private expand(node: SyntaxNode, quoted: boolean): Segment[] {
    const reference = this.referenceOf(node);
    if (!reference) return [unknown(node, quoted)];
    const value = this.valueOf(reference.name, quoted);
    const { operator } = reference;
    if (value === "unknown") return [unknown(node, quoted)];
    if (operator === null) return value === "unset" ? [unknown(node, quoted)] : value;
    const empty = (s: Segment) => s?.exact === true && s.text === "";
    const useOperand = value === "unset" || (operator.startsWith(":") && value.every(empty));
    if (DEFAULT_OPERATORS.has(operator)) {
      if (value !== "unset" && !useOperand) return value;
      if (!operator.endsWith("=")) return this.evaluateOperand(reference, quoted);
      // `${x:=word}` assigns the word unsplit, then expands like `$x`.
      const assigned = this.setScalar(reference.name.text, this.evaluateOperand(reference, quoted, false));
      return quoted ? assigned : assigned.flatMap(splitWords);
    }
    if (value !== "unset" && !value.every((s) => s === null || s.exact)) return [unknown(node, quoted)];
    return useOperand ? [] : this.evaluateOperand(reference, quoted);
  }

  private referenceOf(node: SyntaxNode): Reference | null {
    const children = node.children.filter((child): child is SyntaxNode => child !== null);
    const nameAt = children.findIndex((child) =>
      ["variable_name", "special_variable_name", "subscript"].includes(child.type),
    );
    const name = children[nameAt];
    // `${#x}` (length) and `${!x}` (indirection) put an operator before the name.
    if (!name || children.slice(0, nameAt).some((child) => child.type !== "${" && child.type !== "$"))
      return null;
    const after = children.slice(nameAt + 1).filter((child) => child.type !== "}");
    const [operatorNode, ...operand] = after;
    if (!operatorNode) return { name, operator: null, operand: { nodes: [], start: 0, end: 0 } };
    const operator = operatorNode.type;
    if (!DEFAULT_OPERATORS.has(operator) && !ALTERNATIVE_OPERATORS.has(operator)) return null;
    const end = node.endIndex - 1;
    return { name, operator, operand: { nodes: operand, start: operatorNode.endIndex, end } };
  }

  /** A default or alternative word: unquoted, its literal text is split into words too (unless `split` is off). */
  private evaluateOperand(reference: Reference, quoted: boolean, split = !quoted): Segment[] {
    const { nodes, start, end } = reference.operand;
    return this.operandParts(nodes, start, end, { quoted, split }, lineOf(reference.name));
  }

  /**
   * The grammar reads an operand loosely (`${x:-a-b}` gives a variable name and a word), so everything but
   * quotes and expansions is taken as the source text it spans, spaces between the nodes included.
   */
  private operandParts(
    nodes: Array<SyntaxNode | null>,
    start: number,
    end: number,
    context: { quoted: boolean; split: boolean },
    line: number,
  ): Segment[] {
    const { quoted, split } = context;
    const segments: Segment[] = [];
    const literalText = (text: string) => {
      const field = literal(quoted ? text : unescapeUnquoted(text), line);
      segments.push(...(split ? splitWords(field) : [field]));
    };
    let offset = start;
    for (const node of nodes) {
      if (!node) continue;
      literalText(this.source.slice(offset, node.startIndex));
      if (node.type === "concatenation") {
        segments.push(...this.operandParts(node.children, node.startIndex, node.endIndex, context, line));
      } else if (EVALUATED_TYPES.has(node.type)) {
        segments.push(...this.evaluate(node, !split));
      } else {
        literalText(node.text);
      }
      offset = node.endIndex;
    }
    literalText(this.source.slice(offset, end));
    return segments;
  }

  /** A variable's value as segments: "unset" when the launcher never assigns it, "unknown" when it can't tell. */
  private valueOf(name: SyntaxNode, quoted: boolean): Segment[] | "unset" | "unknown" {
    if (name.type === "special_variable_name") {
      return name.text === "@" ? this.positional.flatMap((f) => [f, null]).slice(0, -1) : "unknown";
    }
    if (name.type === "subscript") return this.elementsOf(name, quoted);
    if (/^\d+$/.test(name.text)) return this.positionalAt(Number(name.text));
    const array = this.arrays.get(name.text);
    if (array) return array[0] ? [array[0]] : [];
    const scalar = this.scalars.get(name.text);
    if (!scalar) return "unset";
    return quoted ? scalar : scalar.flatMap(splitWords);
  }

  private elementsOf(subscript: SyntaxNode, quoted: boolean): Segment[] | "unset" | "unknown" {
    const arrayName = subscript.childForFieldName("name")?.text ?? "";
    const index = subscript.childForFieldName("index")?.text ?? "";
    const scalar = this.scalars.get(arrayName);
    const elements = this.arrays.get(arrayName) ?? (scalar ? fold(scalar) : undefined);
    if (!elements) return "unset";
    // `"${a[*]}"` is one word, the elements joined with spaces.
    if (index === "*" && quoted)
      return elements.flatMap((f, k) => (k === 0 ? [f] : [literal(" ", f.line), f]));
    if (index === "@" || index === "*") return elements.flatMap((f) => [f, null]).slice(0, -1);
    const element = /^\d+$/.test(index) ? elements[Number(index)] : undefined;
    return element ? [element] : "unknown";
  }

  private positionalAt(n: number): Segment[] | "unknown" {
    // `$0` is no positional parameter: positional[-1] is undefined.
    const known = this.positional.slice(0, n).every((field) => !field.several);
    const field = this.positional[n - 1];
    return known && field ? [field] : "unknown";
  }
}

type Wrapper = (args: Field[]) => number | null;

/** Skips leading options (and the value of those in `withValue`); stops after `--`. */
function skipOptions(args: Field[], withValue: string[] = []): number {
  let k = 0;
  while (k < args.length) {
    const arg = args[k] as Field;
    if (!arg.text.startsWith("-") || arg.text === "-") break;
    k++;
    if (arg.text === "--") break;
    if (withValue.includes(arg.text)) k++;
  }
  return k;
}

/** Programs that run the command after them; each returns how many of its own arguments come first. */
const WRAPPERS: Record<string, Wrapper> = {
  exec: (args) => skipOptions(args, ["-a"]),
  // `command -v codex` looks Codex up, it does not run it.
  command: (args) => (args[0]?.text === "-v" || args[0]?.text === "-V" ? null : skipOptions(args)),
  nohup: (args) => skipOptions(args),
  setsid: (args) => skipOptions(args),
  time: (args) => skipOptions(args),
  nice: (args) => skipOptions(args, ["-n"]),
  stdbuf: (args) => skipOptions(args, ["-i", "-o", "-e"]),
  timeout: (args) => skipOptions(args, ["-k", "-s"]) + 1,
  npx: (args) => skipOptions(args, ["-p", "--package"]),
  env: (args) => {
    let k = skipOptions(args, ["-u", "-C", "-S"]);
    // env takes any word with `=` before the command for an assignment (`env x-y=1` sets `x-y`).
    while (args[k]?.text.includes("=")) k++;
    return k;
  },
};

/** Variables that are the same for the audit's launches as for the user's own starts (the audit runs as the user). */
const SAME_FOR_AUDIT = new Set(["HOME", "CODEX_HOME", "USER", "LOGNAME", "BASH_SOURCE"]);
/** Programs that only compute a path (`$(cd "$(dirname "$0")" && pwd)`): their output is no hidden value. */
const PATH_HELPERS = new Set(["dirname", "basename", "cd", "pwd", "realpath", "readlink"]);
/** Commands a condition may run without hiding anything: tests and lookups. */
const CONDITION_COMMANDS = new Set(["test", "[", "true", "false", ":", "command", "type", "which", "hash"]);
/** Interpreters whose first operand is a script they run. */
const INTERPRETERS = new Set([
  "sh",
  "bash",
  "dash",
  "zsh",
  "ksh",
  "node",
  "python",
  "python3",
  "perl",
  "ruby",
]);
/** Options of an interpreter that take the program as text (`bash -c`, `node -e`): no script file then. */
const INLINE_PROGRAM = new Set(["-c", "-e", "--eval", "-p", "--print", "-m"]);
/** `$(dirname "$0")/`, `${0%/*}/`, `$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/`: the launcher's own folder. */
const LAUNCHER_DIR =
  /^(?:\$\(dirname "?(?:\$0|\$\{0\}|\$\{?BASH_SOURCE(?:\[0\])?\}?)"?\)|\$\{(?:0|BASH_SOURCE(?:\[0\])?)%\/\*\}|\$\(cd "?\$\(dirname "?(?:\$0|\$\{0\}|\$\{?BASH_SOURCE(?:\[0\])?\}?)"?\)"? && pwd(?: -P)?\))\/(.+)$/;

const isNamed = (node: SyntaxNode | null): node is SyntaxNode => node?.isNamed === true;
const sameNode = (a: SyntaxNode, b: SyntaxNode) => a.startIndex === b.startIndex && a.endIndex === b.endIndex;

/** `$(…)` whose every command only computes a path. */
function isPathHelper(substitution: SyntaxNode): boolean {
  const commands = substitution.descendantsOfType("command");
  return (
    commands.length > 0 && commands.every((c) => PATH_HELPERS.has(c?.childForFieldName("name")?.text ?? ""))
  );
}

/** `[ -t 0 ]` and commands other than tests in a condition: a branch on the terminal or a command's result. */
function runtimeTests(conditions: SyntaxNode[]): Dependence[] {
  const found: Dependence[] = [];
  const walk = (node: SyntaxNode): void => {
    if (node.type === "command_substitution") return;
    if (node.type === "test_operator" && node.text === "-t")
      found.push({ line: lineOf(node), flag: "branch on the terminal ([ -t ])" });
    if (node.type === "command") {
      const name = node.childForFieldName("name")?.text ?? "";
      if (!CONDITION_COMMANDS.has(name)) found.push({ line: lineOf(node), flag: `branch on \`${name}\`` });
    }
    for (const child of node.namedChildren) if (child) walk(child);
  };
  for (const node of conditions) walk(node);
  return found;
}

/** A word naming a file: as written, relative to the working directory, or to the launcher's own folder. */
function fileOf(field: Field | undefined): Omit<LauncherStatic["files"][number], "line"> | null {
  if (!field || field.several) return null;
  if (field.exact) return field.text === "" ? null : { path: field.text, from: "cwd" };
  const relative = LAUNCHER_DIR.exec(field.text)?.[1];
  return relative && !relative.includes("$") ? { path: relative, from: "launcher" } : null;
}

/** `$(command -v codex)`, `$(which codex)`, `$(type -P codex)`: a path to that program. */
function lookedUpProgram(node: SyntaxNode): Field | null {
  const commands = node.namedChildren.filter((child) => child?.type === "command");
  if (commands.length !== 1) return null;
  const words = (commands[0] as SyntaxNode).namedChildren.map((child) => child?.text ?? "");
  const [program, ...args] = words;
  const lookup =
    (program === "command" && args[0] === "-v") ||
    program === "which" ||
    (program === "type" && (args[0] === "-P" || args[0] === "-p"));
  const target = args[args.length - 1];
  if (!lookup || !target || !/^[\w./@-]+$/.test(target)) return null;
  return { text: target, exact: false, several: false, line: lineOf(node) };
}

/** A curl short-option cluster (`-fsSk`) holds `-k` unless the `k` is the value of a letter before it (`-ok`). */
function curlClusterHasK(text: string): boolean {
  // The leading `-` is neither a `k` nor a letter that takes a value.
  for (const letter of text) {
    if (letter === "k") return true;
    if (CURL_VALUE_SHORTS.has(letter)) return false;
  }
  return false;
}
