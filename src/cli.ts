#!/usr/bin/env node
// The command line: parses options, validates the harness's own inputs (exit 2 on bad ones, one line naming the
// flag or file, before anything is created or started), runs the audit and maps the report to the contract's
// exit codes. An unexpected exception is exit 4: one line on stderr, the details in a log file.
// Modules load lazily per command: `probe` runs inside the sandbox, where only the runner file itself is
// guaranteed to load.
import type { HelpTopic } from "./commands/help.js";

/** The report directory once the options are known: an internal error's log goes there. */
let logDir: string | undefined;

async function main(argv: string[]): Promise<number> {
  (await import("./commands/interrupt.js")).exitOnEarlyInterrupt();
  const [first, ...rest] = argv;
  const { asksForHelp } = await import("./commands/args.js");
  if (first === "probe") {
    const stage = rest.includes("--stage");
    if (asksForHelp(rest)) return printHelp(stage ? "stage" : "probe");
    if (stage) return (await import("./commands/probe-stage.js")).stageCommand(rest, process.cwd());
    // A DNS lookup abandoned at its timeout would keep the process alive for ~10 s: exit explicitly.
    process.exit(await (await import("./commands/probe.js")).probeCommand(rest, process.cwd()));
  }
  if (first === "--version" || first === "-V") {
    console.log((await import("./core/version.js")).VERSION);
    return 0;
  }
  if (first === undefined || first === "--help" || first === "-h") return printHelp("main");
  if (first === "help") return printHelp(helpTopic(rest[0]));
  const command = first.startsWith("-") ? "run" : first;
  const args = first.startsWith("-") ? argv : rest;
  if (isCommand(command) && asksForHelp(args)) return printHelp(command);
  if (command === "list") return list(args);
  if (command === "docs") return docs(args);
  if (command === "diff") return diff(args);
  if (command === "demo" || command === "run") return audit(command, args);
  if (command === "matrix")
    return (await import("./commands/matrix.js")).matrixCommand(args, { color: useColor() });
  if (command === "cache") return (await import("./commands/cache.js")).cacheCommand(args);
  const { UsageError } = await import("./core/errors.js");
  throw new UsageError(
    `unknown command "${first}" (expected run, demo, matrix, list, diff, probe, cache; see --help)`,
  );
}

const COMMANDS = ["run", "demo", "matrix", "list", "diff", "docs", "cache"] as const;
const isCommand = (name: string): name is (typeof COMMANDS)[number] =>
  (COMMANDS as readonly string[]).includes(name);

function helpTopic(name: string | undefined): HelpTopic {
  if (name === "probe") return "probe";
  return name !== undefined && isCommand(name) ? name : "main";
}

async function printHelp(topic: HelpTopic): Promise<number> {
  const { helpText } = await import("./commands/help.js");
  if (topic !== "main") {
    console.log(helpText(topic, { version: "", catalogue: "" }));
    return 0;
  }
  const { checks } = await import("../checks/index.js");
  const { VERSION } = await import("./core/version.js");
  const { catalogueText } = await import("./commands/catalogue.js");
  console.log(helpText("main", { version: VERSION, catalogue: catalogueText(checks, { needs: false }) }));
  return 0;
}

async function list(args: string[]): Promise<number> {
  const { UsageError } = await import("./core/errors.js");
  if (args.length > 0)
    throw new UsageError(`list: takes no arguments (got "${args[0]}"; see codex-smoke list --help)`);
  const { checks } = await import("../checks/index.js");
  const { catalogueText } = await import("./commands/catalogue.js");
  const { PACKAGE_DIR } = await import("./core/version.js");
  console.log(catalogueText(checks, { needs: true, docs: true }));
  // The pages ship in the package: say where this installation keeps them.
  console.log(`\ndocs paths are relative to codex-smoke's package directory, here ${PACKAGE_DIR}`);
  return 0;
}

/** `codex-smoke docs` (npm run docs): rewrites the README's check table from the registry. */
async function docs(args: string[]): Promise<number> {
  const { UsageError } = await import("./core/errors.js");
  if (args.length !== 1 || args[0]?.startsWith("-"))
    throw new UsageError("docs: needs the README path: codex-smoke docs README.md");
  const { readFileSync, writeFileSync } = await import("node:fs");
  const { checks } = await import("../checks/index.js");
  const { withCatalogue } = await import("./commands/catalogue.js");
  const path = args[0] as string;
  let readme: string;
  try {
    readme = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`docs ${path}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  }
  writeFileSync(path, withCatalogue(readme, checks));
  return 0;
}

async function diff(args: string[]): Promise<number> {
  const { UsageError } = await import("./core/errors.js");
  const { parseCommandArgs } = await import("./commands/args.js");
  const { positionals } = parseCommandArgs("diff", {}, args);
  if (positionals.length !== 2)
    throw new UsageError("diff: needs two report files: codex-smoke diff <old.json> <new.json>");
  const { loadReportInput } = await import("./commands/options.js");
  const { diffReports, hasRegressions, renderDiff } = await import("./commands/diff.js");
  const [oldFile, newFile] = positionals as [string, string];
  // One after the other, so that with two bad files the first one is named, every time.
  const oldReport = await loadReportInput("diff", oldFile);
  const result = diffReports(oldReport, await loadReportInput("diff", newFile));
  process.stdout.write(renderDiff(result, { color: useColor() }));
  return hasRegressions(result) ? 1 : 0;
}

function useColor(): boolean {
  return process.stdout.isTTY === true && !("NO_COLOR" in process.env) && !("CI" in process.env);
}

async function audit(command: "run" | "demo", args: string[]): Promise<number> {
  const { parseCommandArgs } = await import("./commands/args.js");
  const { RUN_OPTIONS, resolveRunOptions } = await import("./commands/options.js");
  const { values, positionals } = parseCommandArgs(command, RUN_OPTIONS, args);
  if (positionals.length > 0) {
    const { UsageError } = await import("./core/errors.js");
    throw new UsageError(
      `${command}: unexpected argument "${positionals[0]}" (see codex-smoke ${command} --help)`,
    );
  }
  const options = await resolveRunOptions(command, values);
  logDir = options.out;
  const { executeAudit } = await import("./commands/execute.js");
  return executeAudit(command, options, { color: useColor() });
}

async function fail(error: unknown): Promise<void> {
  const { UsageError } = await import("./core/errors.js");
  const { reportInternalError, usageErrorLine } = await import("./commands/outcome.js");
  if (error instanceof UsageError) {
    for (const line of error.lines) process.stderr.write(`${usageErrorLine(line)}\n`);
    process.exitCode = 2;
    return;
  }
  const { VERSION } = await import("./core/version.js");
  const line = await reportInternalError(error, {
    dir: logDir,
    argv: process.argv.slice(2),
    version: VERSION,
  });
  process.stderr.write(`${line}\n`);
  process.exitCode = 4;
}

// A reader that went away (`codex-smoke list | head -1`) is no failure: the output is simply not read any more,
// and the run finishes (cleanup included) with its own exit code. Other stream errors are internal.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

// An exception outside the main promise chain (an emitter's `error`, a stray rejection) is internal too.
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (error: unknown) => {
    void fail(error).finally(() => process.exit(4));
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, fail);
