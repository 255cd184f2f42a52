// What a launcher script says about how it starts Codex, read without running it, and the argv a PATH shim
// recorded. Static reading is the fallback for the profile and what lint messages point at (file:line).

export interface LintFinding {
  line: number;
  /** The offending flag or setting, e.g. `--sandbox`, `-c sandbox_mode`, `NODE_TLS_REJECT_UNAUTHORIZED=0`. */
  flag: string;
  /** The launcher line, trimmed. */
  text: string;
}

export interface LauncherStatic {
  path: string;
  /** The profile the launcher passes (`--profile`, `-p`, `--profile=`), variables resolved through defaults. */
  profile: string | null;
  /** Its `-c key=value` arguments. */
  overrides: Array<{ key: string; raw: string; line: number }>;
  findings: LintFinding[];
}

export interface ObservedArgv {
  subcommand: string | null;
  profile: string | null;
  overrides: Array<{ key: string; raw: string }>;
  /** Legacy sandbox flags as passed, e.g. `--sandbox workspace-write`, `-c sandbox_mode="workspace-write"`. */
  legacyFlags: string[];
}

/** Flags that replace the permission profile (codex-sandbox-lab §2.5, §5.1). */
export const LEGACY_FLAGS = [
  "--sandbox",
  "-s",
  "--full-auto",
  "--dangerously-bypass-approvals-and-sandbox",
  "--approve-for-me",
  "--add-dir",
  "-c sandbox_mode",
  "-c sandbox_workspace_write",
] as const;
/** Settings that switch TLS certificate verification off. */
export const TLS_FLAGS = [
  "NODE_TLS_REJECT_UNAUTHORIZED=0",
  "--insecure",
  "-k",
  "--no-check-certificate",
] as const;

const SANDBOX_MODES = new Set(["read-only", "workspace-write", "danger-full-access"]);
const LEGACY_CONFIG_KEY = /^(sandbox_mode|sandbox_workspace_write)\b/;
/** Codex options that take a value (so the value is not mistaken for a subcommand or prompt). */
const VALUE_OPTIONS = new Set([
  "-m",
  "--model",
  "-C",
  "--cd",
  "-a",
  "--ask-for-approval",
  "-i",
  "--image",
  "--enable",
  "--disable",
  "--local-provider",
  "--color",
  "-o",
  "--output-last-message",
  "--output-schema",
]);
const SUBCOMMANDS = new Set([
  "exec",
  "e",
  "review",
  "login",
  "logout",
  "mcp",
  "mcp-server",
  "app-server",
  "completion",
  "sandbox",
  "debug",
  "apply",
  "a",
  "resume",
  "fork",
  "cloud",
  "features",
  "doctor",
  "help",
  "archive",
  "delete",
  "unarchive",
  "queue",
  "migrate-nfs-db",
]);

/** Parses an argv the shim recorded, after removing the arguments the harness appended (`appended`, in order). */
export function parseObservedArgv(argv: string[], appended: string[] = []): ObservedArgv {
  const args = withoutSequence(argv, appended);
  const result: ObservedArgv = { subcommand: null, profile: null, overrides: [], legacyFlags: [] };
  let positionalSeen = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (arg === "--") break;
    const [name, inlineValue] = splitLongOption(arg);
    const takesValue = inlineValue === undefined && next !== undefined;
    const value = inlineValue ?? next;
    if (name === "-c" || name === "--config") {
      if (value === undefined) continue;
      if (inlineValue === undefined) i++;
      const key = configKey(value);
      result.overrides.push({ key, raw: value });
      if (LEGACY_CONFIG_KEY.test(key)) result.legacyFlags.push(`-c ${value}`);
    } else if (name === "-p" || name === "--profile") {
      if (inlineValue === undefined) i++;
      result.profile = value ?? null;
    } else if (name === "--sandbox" || name === "-s" || name === "--add-dir") {
      if (inlineValue === undefined) i++;
      result.legacyFlags.push(value === undefined ? name : `${name} ${value}`);
    } else if (
      name === "--full-auto" ||
      name === "--dangerously-bypass-approvals-and-sandbox" ||
      name === "--approve-for-me"
    ) {
      result.legacyFlags.push(name);
    } else if (VALUE_OPTIONS.has(name)) {
      if (takesValue) i++;
    } else if (!arg.startsWith("-") && !positionalSeen) {
      positionalSeen = true;
      if (SUBCOMMANDS.has(arg)) result.subcommand = arg;
    }
  }
  return result;
}

function withoutSequence(argv: string[], sequence: string[]): string[] {
  if (sequence.length === 0) return argv;
  for (let start = argv.length - sequence.length; start >= 0; start--) {
    if (sequence.every((arg, k) => argv[start + k] === arg)) {
      return [...argv.slice(0, start), ...argv.slice(start + sequence.length)];
    }
  }
  return argv;
}

function splitLongOption(arg: string): [string, string | undefined] {
  if (!arg.startsWith("--")) return [arg, undefined];
  const eq = arg.indexOf("=");
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function configKey(raw: string): string {
  const eq = raw.indexOf("=");
  return (eq < 0 ? raw : raw.slice(0, eq)).trim();
}

// ---- static reading of a POSIX shell launcher ----

type Token = { kind: "word"; text: string; line: number } | { kind: "sep"; text: string; line: number };

interface Command {
  words: Array<{ text: string; line: number }>;
  /** An array assignment `name=( … )`: its elements are arguments for a later command. */
  isArray: boolean;
}

export function readLauncherStatic(path: string, text: string): LauncherStatic {
  const lines = text.split("\n");
  const commands = commandsOf(tokenize(text));
  const findings: LintFinding[] = [];
  const overrides: LauncherStatic["overrides"] = [];
  const assignments = new Map<string, string>();
  let profileWord: string | null = null;

  const report = (line: number, flag: string) =>
    findings.push({ line, flag, text: (lines[line - 1] ?? "").trim() });

  for (const command of commands) {
    const { words, isArray } = command;
    let start = 0;
    while (start < words.length && isPrefixWord(words[start]?.text ?? "")) {
      const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(words[start]?.text ?? "");
      if (assignment) assignments.set(assignment[1] as string, assignment[2] as string);
      start++;
    }
    const commandName = isArray ? "" : (words[start]?.text ?? "");
    // Messages and tests that merely mention a flag (e.g. refusing it) are not arguments.
    if (/^(echo|printf|\[|\[\[|test|case)$/.test(commandName)) continue;
    const invokesCodex = isArray || /codex/i.test(commandName);
    for (let i = 0; i < words.length; i++) {
      const word = words[i] as { text: string; line: number };
      const next = words[i + 1]?.text;
      const [name, inlineValue] = splitLongOption(word.text);
      if (/^NODE_TLS_REJECT_UNAUTHORIZED=0$/.test(word.text))
        report(word.line, "NODE_TLS_REJECT_UNAUTHORIZED=0");
      if (i < start) continue;
      if (name === "--insecure" || name === "--no-check-certificate") report(word.line, name);
      else if (word.text === "-k" && /(^|\/)curl$/.test(commandName)) report(word.line, "-k");
      else if (name === "--sandbox" || name === "--add-dir") report(word.line, name);
      else if (word.text === "-s" && (invokesCodex || (next !== undefined && SANDBOX_MODES.has(next))))
        report(word.line, "-s");
      else if (
        name === "--full-auto" ||
        name === "--dangerously-bypass-approvals-and-sandbox" ||
        name === "--approve-for-me"
      )
        report(word.line, name);
      else if (
        (name === "-c" || name === "--config") &&
        (inlineValue ?? next) !== undefined &&
        invokesCodex
      ) {
        const raw = (inlineValue ?? next) as string;
        const key = configKey(raw);
        overrides.push({ key, raw, line: word.line });
        const legacy = LEGACY_CONFIG_KEY.exec(key);
        if (legacy) report(word.line, `-c ${legacy[1]}`);
      } else if (
        (name === "--profile" || (name === "-p" && invokesCodex)) &&
        (inlineValue ?? next) !== undefined
      ) {
        profileWord = (inlineValue ?? next) as string;
      }
    }
  }
  return {
    path,
    profile: profileWord === null ? null : resolveWord(profileWord, assignments),
    overrides,
    findings,
  };
}

function isPrefixWord(word: string): boolean {
  return (
    /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) ||
    /^(exec|command|env|export|local|readonly|declare|if|then|else|elif|do|while|until|!|\{|time|nohup)$/.test(
      word,
    )
  );
}

/** `$PROFILE` / `${PROFILE}` through assignments like `PROFILE=${CODEX_PROFILE:-azi4a2-autonomous}`. */
function resolveWord(word: string, assignments: Map<string, string>, depth = 0): string | null {
  if (depth > 5) return null;
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(word);
  if (variable) {
    const value = assignments.get(variable[1] as string);
    return value === undefined ? null : resolveWord(value, assignments, depth + 1);
  }
  const withDefault = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?[-=]([^}]*)\}$/.exec(word);
  if (withDefault) return resolveWord(withDefault[1] as string, assignments, depth + 1);
  return word.includes("$") || word === "" ? null : word;
}

/** Splits tokens into simple commands; case patterns are dropped (`-s|--sandbox)` is a pattern, not an argument). */
function commandsOf(tokens: Token[]): Command[] {
  const commands: Command[] = [];
  let current: Command = { words: [], isArray: false };
  const caseModes: Array<"head" | "pattern" | "body"> = [];
  const flush = () => {
    if (current.words.length > 0) commands.push(current);
    current = { words: [], isArray: false };
  };
  for (const token of tokens) {
    const mode = caseModes[caseModes.length - 1];
    if (mode === "head") {
      if (token.kind === "word" && token.text === "in") caseModes[caseModes.length - 1] = "pattern";
      continue;
    }
    if (mode === "pattern") {
      if (token.kind === "word" && token.text === "esac") caseModes.pop();
      else if (token.kind === "sep" && token.text === ")") caseModes[caseModes.length - 1] = "body";
      continue;
    }
    if (token.kind === "sep") {
      if (current.isArray && token.text !== ")") continue;
      flush();
      if (mode === "body" && /^;;&?$|^;&$/.test(token.text)) caseModes[caseModes.length - 1] = "pattern";
      continue;
    }
    if (token.text === "case" && current.words.every((w) => /^(do|then|else|\{|!)$/.test(w.text))) {
      caseModes.push("head");
      continue;
    }
    if (current.words.length === 0 && token.text === "esac" && mode === "body") {
      caseModes.pop();
      continue;
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*=\($/.test(token.text)) {
      flush();
      current.isArray = true;
    }
    current.words.push({ text: token.text, line: token.line });
  }
  flush();
  return commands;
}

/**
 * A small shell lexer: quotes removed, `$…`/`${…}`/`$(…)` kept verbatim; comments, line continuations,
 * redirections (`>&2`, `2>/dev/null`) and here-documents are dropped.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const heredocDelimiters: string[] = [];
  let line = 1;
  let i = 0;
  let dropNextWord = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "\\" && text[i + 1] === "\n") {
      i += 2;
      line++;
    } else if (ch === "\n") {
      tokens.push({ kind: "sep", text: "\n", line });
      line++;
      i++;
      for (const delimiter of heredocDelimiters.splice(0)) {
        while (i < text.length) {
          const end = text.indexOf("\n", i);
          const stop = end < 0 ? text.length : end;
          const body = text.slice(i, stop);
          i = stop + 1;
          line++;
          if (body.trim() === delimiter) break;
        }
      }
    } else if (ch === " " || ch === "\t" || ch === "\r") {
      i++;
    } else if (ch === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "<" && text[i + 1] === "<" && text[i + 2] !== "<") {
      i += text[i + 2] === "-" ? 3 : 2;
      while (text[i] === " " || text[i] === "\t") i++;
      const delimiter = readWord(text, i);
      heredocDelimiters.push(delimiter.word);
      i = delimiter.end;
    } else if (ch === "<" || ch === ">" || (ch === "&" && text[i + 1] === ">")) {
      while (i < text.length && "<>&|".includes(text[i] as string)) i++;
      if (/\d/.test(text[i] ?? "") && text[i - 1] === "&") i++;
      else dropNextWord = true;
    } else if (";&|()".includes(ch)) {
      const op = /^(;;&|;;|;&|&&|\|\|)/.exec(text.slice(i, i + 3))?.[1] ?? ch;
      tokens.push({ kind: "sep", text: op, line });
      i += op.length;
    } else {
      const { word, end, newlines } = readWord(text, i);
      i = end;
      if (/^\d+$/.test(word) && (text[i] === ">" || text[i] === "<")) continue;
      if (dropNextWord) dropNextWord = false;
      else tokens.push({ kind: "word", text: word, line });
      line += newlines;
    }
  }
  return tokens;
}

function readWord(text: string, from: number): { word: string; end: number; newlines: number } {
  let word = "";
  let newlines = 0;
  let i = from;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "\\" && text[i + 1] === "\n") {
      i += 2;
      newlines++;
    } else if (" \t\r\n;&|)<>".includes(c)) {
      break;
    } else if (c === "(") {
      // `name=(` opens an array assignment; any other `(` ends the word.
      if (word !== "" && word.endsWith("=")) {
        word += c;
        i++;
      }
      break;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const stop = end < 0 ? text.length : end;
      const quoted = text.slice(i + 1, stop);
      newlines += quoted.split("\n").length - 1;
      word += quoted;
      i = stop + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        if (text[i] === "\n") newlines++;
        word += text[i];
        i++;
      }
      i++;
    } else if (c === "$" && (text[i + 1] === "{" || text[i + 1] === "(")) {
      const open = text[i + 1] as string;
      const close = open === "{" ? "}" : ")";
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === open) depth++;
        else if (text[j] === close && --depth === 0) break;
      }
      word += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "\\") {
      word += text[i + 1] ?? "";
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  return { word, end: i, newlines };
}
