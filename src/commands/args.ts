// Command-line parsing with messages users can act on. node:util's parseArgs cuts `--timeout -5` off as "argument
// is ambiguous" and names no fix; here a value may start with a dash (a negative number is then rejected by the
// option's own validation, naming the flag), and a flag that lacks its value says so.
import { UsageError } from "../core/errors.js";

interface OptionSpec {
  type: "string" | "boolean";
  /** Repeatable (string options only): the values are collected in order. */
  multiple?: boolean;
  /** One-letter alias, e.g. `h` for `-h`. */
  short?: string;
}
export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<O extends OptionSpec> = O extends { type: "boolean" }
  ? boolean
  : O extends { multiple: true }
    ? string[]
    : string;
export type ParsedValues<S extends OptionSpecs> = { [K in keyof S]?: ValueOf<S[K]> };

export interface ParsedArgs<S extends OptionSpecs> {
  values: ParsedValues<S>;
  positionals: string[];
}

/** The option an argument names (`--out`, `--out=x`, `-h`), or null for a plain argument. */
function optionName(specs: OptionSpecs, arg: string): string | null {
  if (arg.startsWith("--")) {
    const eq = arg.indexOf("=");
    return arg.slice(2, eq < 0 ? undefined : eq);
  }
  if (arg.length === 2 && arg.startsWith("-")) {
    const alias = Object.entries(specs).find(([, spec]) => spec.short === arg.slice(1));
    return alias ? alias[0] : arg.slice(1);
  }
  return null;
}

/** `--flag value`, `--flag=value`, repeatable flags, `-h`, and `--` ending the options. */
export function parseCommandArgs<S extends OptionSpecs>(
  command: string,
  specs: S,
  args: readonly string[],
): ParsedArgs<S> {
  const values: Record<string, string | string[] | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    const name = optionName(specs, arg);
    if (name === null) {
      positionals.push(arg);
      continue;
    }
    const flag = arg.startsWith("--") ? `--${name}` : arg;
    const spec = specs[name];
    if (!spec) throw new UsageError(`${command}: unknown option ${flag} (see codex-smoke ${command} --help)`);
    const inline = arg.startsWith("--") && arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : undefined;
    if (spec.type === "boolean") {
      if (inline !== undefined) throw new UsageError(`${flag}: takes no value (got "${inline}")`);
      values[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = args[i + 1];
      // `--out --quiet` forgot the value; `--timeout -5` gave one (that its own validation judges).
      if (next !== undefined && next !== "--" && optionName(specs, next) === null) value = next;
      else if (next !== undefined && /^-\d/.test(next)) value = next;
      if (value !== undefined) i++;
    }
    if (value === undefined || value === "") throw new UsageError(`${flag}: needs a value`);
    // A repeated single-value option: the last one wins, so a wrapper script's default can be overridden.
    if (spec.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    else values[name] = value;
  }
  return { values: values as ParsedValues<S>, positionals };
}

/** `--help` or `-h` anywhere before `--`: the command prints its help and does nothing else. */
export function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}
