#!/usr/bin/env node
// The command line: parses options, validates the harness's own inputs (exit 2 on bad ones, one line naming the
// flag or file), runs the audit and maps the report to the contract's exit codes. Modules load lazily per
// command: `probe` runs inside the sandbox, where only the runner file itself is guaranteed to load.
import { parseArgs } from "node:util";

const RUN_OPTIONS = {
  launcher: { type: "string" },
  project: { type: "string" },
  "codex-home": { type: "string" },
  profile: { type: "string" },
  expect: { type: "string" },
  agent: { type: "string" },
  only: { type: "string", multiple: true },
  skip: { type: "string", multiple: true },
  format: { type: "string", multiple: true },
  out: { type: "string" },
  "probe-report": { type: "string" },
  baseline: { type: "string" },
  "fail-on": { type: "string" },
  registry: { type: "string" },
  timeout: { type: "string" },
  concurrency: { type: "string" },
  codex: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "probe") {
    if (rest.includes("--stage")) return (await import("./stage.js")).stageCommand(rest);
    // A DNS lookup abandoned at its timeout would keep the process alive for ~10 s: exit explicitly.
    process.exit(await (await import("./runner/runner.js")).probeCommand(rest));
  }
  if (first === "--version" || first === "-V") {
    console.log((await import("./version.js")).VERSION);
    return 0;
  }
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    console.log(await helpText());
    return 0;
  }
  if (first === "list") return list(rest);
  if (first === "docs") return docs(rest);
  if (first === "diff") return diff(rest);
  if (first === "demo") return audit("demo", rest);
  if (first === "run") return audit("run", rest);
  if (first === "matrix") return (await import("./matrix.js")).matrixCommand(rest, { color: useColor() });
  if (first.startsWith("-")) return audit("run", argv);
  const { UsageError } = await import("./errors.js");
  throw new UsageError(
    `unknown command "${first}" (expected run, demo, matrix, list, diff, probe; see --help)`,
  );
}

async function helpText(): Promise<string> {
  const { checks } = await import("../checks/index.js");
  const { VERSION } = await import("./version.js");
  const { catalogueText } = await import("./catalogue.js");
  const ids = catalogueText(checks, { needs: false });
  return `codex-smoke ${VERSION}: prove an autonomous Codex setup enforces what its README claims

Usage:
  codex-smoke run [options]         audit a Codex setup (the default command)
  codex-smoke demo [options]        build the bundled reference setup in a temp dir and audit it
  codex-smoke list                  the check catalogue: id, claim, what it needs
  codex-smoke diff <old> <new>      compare two JSON reports: regressions, fixes, changed evidence
  codex-smoke probe [--out <file>]  the in-sandbox runner: run it inside a live Codex session (by the agent)
  codex-smoke probe --stage         (host) put the runner into the project and print the command for the agent
  codex-smoke matrix --codex <list> [options | --demo]
                                    the same audit with each Codex release (0.150.0, latest, or a path): one
                                    check × release table; exit 1 when a later release loses a pass

Options for run and demo:
  --launcher <file>      the launcher to audit [./codex-auto]
  --project <dir>        the project the launcher runs in [cwd]
  --codex-home <dir>     Codex home [$CODEX_HOME, else ~/.codex]
  --profile <name>       config profile the launcher selects [read from the launcher, else azi4a2-autonomous]
  --expect <file>        expectations (JSON) over the built-in defaults (the README's claims)
  --agent mock|live      who runs the in-sandbox runner [mock]
  --only <ids>           comma list of ids or prefixes (fs.) to run
  --skip <ids>           comma list of ids or prefixes to skip
  --format <list>        console, json, junit, markdown, tap [console; json is always written]
  --out <dir>            where report files go [./reports]
  --probe-report <file>  complete a report that \`probe\` wrote inside a live session
  --baseline <file>      compare with an earlier JSON report; a regression fails the run
  --fail-on fail|warn    lowest status that makes the exit code non-zero [fail]
  --registry <url>       registry the network checks retrieve from [npm config get registry]
  --timeout <seconds>    per Codex launch [60]
  --concurrency <n>      parallel Codex launches [number of cores]
  --codex <path>         the Codex to audit [the codex on PATH, never codex-smoke's own]

Exit codes: 0 all passed · 1 a check failed (or a regression) · 2 usage or setup error · 3 inconclusive (errors)

Checks:
${ids}`;
}

async function list(args: string[]): Promise<number> {
  const { UsageError } = await import("./errors.js");
  if (args.length > 0) throw new UsageError(`list takes no arguments (got "${args[0]}")`);
  const { checks } = await import("../checks/index.js");
  const { catalogueText } = await import("./catalogue.js");
  console.log(catalogueText(checks, { needs: true }));
  return 0;
}

/** `codex-smoke docs` (npm run docs): rewrites the README's check table from the registry. */
async function docs(args: string[]): Promise<number> {
  const { UsageError } = await import("./errors.js");
  if (args.length !== 1) throw new UsageError("docs needs the README path: codex-smoke docs README.md");
  const { readFileSync, writeFileSync } = await import("node:fs");
  const { checks } = await import("../checks/index.js");
  const { withCatalogue } = await import("./catalogue.js");
  const path = args[0] as string;
  writeFileSync(path, withCatalogue(readFileSync(path, "utf8"), checks));
  return 0;
}

async function diff(args: string[]): Promise<number> {
  const { UsageError } = await import("./errors.js");
  if (args.length !== 2)
    throw new UsageError("diff needs two report files: codex-smoke diff <old.json> <new.json>");
  const { diffReports, hasRegressions, loadReport, renderDiff } = await import("./diff.js");
  const [oldReport, newReport] = await Promise.all(
    args.map((path) =>
      loadReport(path).catch((error: unknown) => {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }),
    ),
  );
  if (!oldReport || !newReport) throw new UsageError("diff needs two report files");
  const result = diffReports(oldReport, newReport);
  process.stdout.write(renderDiff(result, { color: useColor() }));
  return hasRegressions(result) ? 1 : 0;
}

function useColor(): boolean {
  return process.stdout.isTTY === true && !("NO_COLOR" in process.env) && process.env.CI !== "true";
}

async function audit(command: "run" | "demo", args: string[]): Promise<number> {
  const { resolveRunOptions } = await import("./options.js");
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof RUN_OPTIONS; strict: true; allowPositionals: false }>
  >;
  try {
    parsed = parseArgs({ args, options: RUN_OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    const { UsageError } = await import("./errors.js");
    throw new UsageError(error instanceof Error ? error.message.split("\n")[0] : String(error));
  }
  if (parsed.values.help) {
    console.log(await helpText());
    return 0;
  }
  const options = await resolveRunOptions(command, parsed.values);
  const { executeAudit } = await import("./execute.js");
  return executeAudit(command, options, { color: useColor() });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    const { UsageError } = await import("./errors.js");
    const message = error instanceof Error ? error.message : String(error);
    console.error(`codex-smoke: ${message.split("\n")[0]}`);
    process.exitCode = error instanceof UsageError ? 2 : 3;
  },
);
