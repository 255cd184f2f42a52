// Shell commands as the docs and the recipes give them (README blocks, a systemd ExecStart, a cron line, a
// workflow step), checked against the real CLI: a `codex-smoke` command must pass the real option parsing and
// validation (on stand-in files in a scratch directory), or run for real where that has no side effect outside
// the scratch directory (`list`, `diff`, `probe --stage`, `--help`).
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseReleaseList } from "../../src/codex/releases.js";
import { asksForHelp, parseCommandArgs } from "../../src/commands/args.js";
import { MATRIX_OPTIONS } from "../../src/commands/matrix.js";
import { type RawRunOptions, RUN_OPTIONS, resolveRunOptions } from "../../src/commands/options.js";
import { runCli } from "./audit.js";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
const SAMPLE_REPORT = join(REPO, "test/fixtures/reports/sample.json");

/** The fenced blocks of `markdown` whose info string is one of `languages`. */
export function fencedBlocks(markdown: string, languages: readonly string[]): string[] {
  return [...markdown.matchAll(/^( *)```(\w+)\n([\s\S]*?)\n\1```$/gm)]
    .filter((m) => languages.includes(m[2] as string))
    .map((m) => (m[3] as string).replace(new RegExp(`^${m[1]}`, "gm"), ""));
}

const OPERATORS = ["&&", "||", ";", "|", "\n"];

/** Words of one simple command; redirections (`2>>file`) and their targets are dropped. */
function pushWord(words: string[], word: string, pendingRedirect: { on: boolean }): void {
  if (pendingRedirect.on) {
    pendingRedirect.on = false;
    return;
  }
  const redirect = /^\d?>>?(.*)$/.exec(word) ?? /^<(.*)$/.exec(word);
  if (redirect) {
    pendingRedirect.on = redirect[1] === "";
    return;
  }
  words.push(word);
}

/**
 * The simple commands of a shell script: continuation lines joined, comments dropped, split at `&&`, `||`, `;`,
 * `|` and newlines, each word unquoted (`$VAR` and `$(…)` kept as written).
 */
export function simpleCommands(script: string): string[][] {
  const text = script.replace(/\\\n/g, " ");
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | null = null;
  let quote: "'" | '"' | null = null;
  const redirect = { on: false };
  const endWord = () => {
    if (word !== null) pushWord(words, word, redirect);
    word = null;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
      continue;
    }
    if (c === "#" && word === null) {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
      continue;
    }
    const operator = OPERATORS.find((op) => text.startsWith(op, i));
    if (operator || c === " " || c === "\t") {
      endWord();
      if (operator) {
        if (words.length > 0) commands.push(words);
        words = [];
        i += operator.length - 1;
      }
      continue;
    }
    word = (word ?? "") + c;
  }
  endWord();
  if (words.length > 0) commands.push(words);
  return commands;
}

/** Where stand-in files live, and what `$HOME` and `%h` mean there. */
export interface Scratch {
  dir: string;
  home: string;
}

/** Options whose value names a file or directory, and the stand-in each gets when it is missing. */
const PATH_OPTIONS: Record<string, "executable" | "dir" | "json" | "report" | "any" | "none"> = {
  launcher: "executable",
  project: "dir",
  "codex-home": "none",
  expect: "json",
  out: "none",
  "probe-report": "any",
  baseline: "report",
  codex: "executable",
};

function standIn(path: string, kind: (typeof PATH_OPTIONS)[string]): void {
  if (kind === "none" || existsSync(path)) return;
  if (kind === "dir") {
    mkdirSync(path, { recursive: true });
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  if (kind === "report") copyFileSync(SAMPLE_REPORT, path);
  else writeFileSync(path, kind === "executable" ? "#!/bin/sh\n" : "{}\n");
  if (kind === "executable") chmodSync(path, 0o755);
}

/** `$HOME`, `~` and `%h` point into the scratch home; relative paths into the scratch directory. */
function expandPath(value: string, scratch: Scratch): string {
  const expanded = value.replace(/^(~|\$HOME|%h)(?=\/|$)/, scratch.home);
  return isAbsolute(expanded) ? expanded : join(scratch.dir, expanded);
}

/** Path-valued options rewritten into the scratch directory, with stand-ins for the files they name. */
function inScratch<T extends Record<string, unknown>>(values: T, scratch: Scratch): T {
  const result: Record<string, unknown> = { ...values };
  for (const [name, kind] of Object.entries(PATH_OPTIONS)) {
    const value = result[name];
    if (typeof value !== "string") continue;
    result[name] = expandPath(value, scratch);
    standIn(result[name] as string, kind);
  }
  return result as T;
}

async function checkRunOptions(command: "run" | "demo", args: string[], scratch: Scratch): Promise<void> {
  const { values, positionals } = parseCommandArgs(command, RUN_OPTIONS, args);
  if (positionals.length > 0) throw new Error(`${command}: unexpected argument ${positionals[0]}`);
  // Run from the project, as the README says: the defaults `./codex-auto` and `.` are the scratch directory's.
  const defaults = command === "run" ? { launcher: "./codex-auto", project: "." } : {};
  await resolveRunOptions(command, inScratch({ ...defaults, ...values }, scratch));
}

async function checkMatrix(args: string[], scratch: Scratch): Promise<void> {
  const { values } = parseCommandArgs("matrix", MATRIX_OPTIONS, args);
  const { codex, demo, ...raw } = values;
  if (!codex) throw new Error("matrix without --codex");
  parseReleaseList(codex);
  const defaults = demo ? {} : { launcher: "./codex-auto", project: "." };
  await resolveRunOptions(
    demo ? "demo" : "run",
    inScratch({ ...defaults, ...(raw satisfies RawRunOptions) }, scratch),
  );
}

/** Runs the real CLI in the scratch directory (its HOME there too); returns why it was not accepted, or null. */
async function realRun(
  args: string[],
  scratch: Scratch,
  accepted: (code: number | null, stderr: string) => boolean,
) {
  mkdirSync(scratch.home, { recursive: true });
  const env = { PATH: process.env.PATH ?? "", HOME: scratch.home };
  const result = await runCli(args, { env, cwd: scratch.dir });
  if (!accepted(result.exitCode, result.stderr)) {
    throw new Error(`codex-smoke ${args.join(" ")}: exit ${result.exitCode}: ${result.stderr.trim()}`);
  }
}

/** Checks the arguments of one `codex-smoke` command; throws the CLI's own message when it rejects them. */
async function checkCodexSmoke(args: string[], scratch: Scratch): Promise<void> {
  const [first, ...rest] = args;
  if (first === undefined || ["--help", "-h", "--version", "-V", "help"].includes(first)) {
    return realRun(args, scratch, (code) => code === 0);
  }
  const command = first.startsWith("-") ? "run" : first;
  const commandArgs = first.startsWith("-") ? args : rest;
  if (asksForHelp(commandArgs)) return realRun(args, scratch, (code) => code === 0);
  switch (command) {
    case "run":
    case "demo":
      return checkRunOptions(command, commandArgs, scratch);
    case "matrix":
      return checkMatrix(commandArgs, scratch);
    case "diff":
      for (const file of commandArgs) standIn(expandPath(file, scratch), "report");
      return realRun(args, scratch, (code) => code === 0);
    case "list":
      return realRun(args, scratch, (code) => code === 0);
    case "probe":
      // On the host, `probe` refuses to probe after its options were accepted; `--stage` stages into the scratch dir
      // (run from the project, as the README says: its launcher `./codex-auto` is there).
      if (commandArgs.includes("--stage")) {
        standIn(join(scratch.dir, "codex-auto"), "executable");
        return realRun(args, scratch, (code) => code === 0);
      }
      return realRun(
        args,
        scratch,
        (code, stderr) => code === 2 && stderr.includes("not inside a Codex sandbox"),
      );
    default:
      throw new Error(`codex-smoke: unknown command ${command}`);
  }
}

/** Commands besides codex-smoke's that the docs may use, each a plain tool of the machine or of npm. */
const OTHER_COMMANDS = new Set([
  "cd",
  "cp",
  "mkdir",
  "node",
  "systemctl",
  "loginctl",
  "crontab",
  "git",
  "echo",
]);

function npmScripts(): Record<string, string> {
  return (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts;
}

/** The nightly script, wherever a recipe copies it to: it takes `<reports> [run|demo] [codex-smoke options]`. */
export const NIGHTLY_SCRIPT = "codex-smoke-nightly.sh";

/** Checks one simple command from the docs or a recipe; throws why it would not work. */
export async function checkCommand(words: string[], scratch: Scratch): Promise<void> {
  const command = words.slice(words.findIndex((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)));
  const [name, ...args] = command;
  if (name === "npx" && args[0] === "codex-smoke") return checkCodexSmoke(args.slice(1), scratch);
  if (name === "codex-smoke") return checkCodexSmoke(args, scratch);
  if (name === "sh" && args[0]?.endsWith(NIGHTLY_SCRIPT)) {
    const [, , mode = "run", ...options] = args;
    if (!existsSync(join(REPO, "examples/nightly", NIGHTLY_SCRIPT)))
      throw new Error("nightly script missing");
    return checkCodexSmoke([mode, ...options], scratch);
  }
  if (name === "npm") {
    const [sub, script] = args;
    if (sub === "start" || sub === "test") {
      if (!npmScripts()[sub]) throw new Error(`npm ${sub}: no such script`);
    } else if (sub === "run") {
      if (!script || !npmScripts()[script]) throw new Error(`npm run ${script}: no such script`);
    } else if (!["install", "pack", "ci", "root"].includes(sub ?? ""))
      throw new Error(`npm ${sub}: not expected`);
    return;
  }
  if (name === "cp") {
    for (const source of args.slice(0, -1).filter((arg) => arg.startsWith("examples/"))) {
      if (!existsSync(join(REPO, source))) throw new Error(`cp: ${source} does not exist`);
    }
    return;
  }
  if (name === undefined || !OTHER_COMMANDS.has(name))
    throw new Error(`unexpected command: ${command.join(" ")}`);
}
