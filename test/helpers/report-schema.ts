// Every report the suite writes is validated against the shipped JSON Schema (schemas/report.schema.json, through
// ajv, as a user's CI would): `runCli` checks the reports a run wrote, and tests that read a report themselves
// read it with `readReport`. A field added to the report without the schema fails here (decisions §22).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Report } from "../../src/core/model.js";
import { schemaValidator } from "../../src/core/schemas.js";

const REPORT_FILE = "codex-smoke.json";

/** `value` as a report, or an error naming `where` and every violation (path and ajv's message). */
function assertReport(value: unknown, where: string): Report {
  const violations = schemaValidator("report").violations(value);
  if (violations.length > 0) {
    const lines = violations.map((v) => `  ${v.path || "(root)"}: ${v.message}`);
    throw new Error(`${where}: not a valid report (schemas/report.schema.json)\n${lines.join("\n")}`);
  }
  return value as Report;
}

/** Reads and validates a report file. */
export function readReport(file: string): Report {
  return assertReport(JSON.parse(readFileSync(file, "utf8")), file);
}

/** The `--out` of a CLI invocation (`--out dir` or `--out=dir`), else the default `reports` under `cwd`. */
export function outDirOf(args: readonly string[], cwd: string): string {
  let out = "reports";
  args.forEach((arg, i) => {
    if (arg === "--out" && args[i + 1] !== undefined) out = args[i + 1] as string;
    else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
  });
  return resolve(cwd, out);
}

/**
 * Validates every report written into `outDir` since `sinceMs` (`run` and `demo` write one there, `matrix` one per
 * release in a subdirectory). Older files are not this run's: a test may plant one to see it replaced.
 */
export function validateWrittenReports(outDir: string, sinceMs: number): number {
  let validated = 0;
  const candidates = [join(outDir, REPORT_FILE), ...subdirs(outDir).map((dir) => join(dir, REPORT_FILE))];
  for (const file of candidates) {
    let modifiedMs: number;
    try {
      modifiedMs = statSync(file).mtimeMs;
    } catch {
      continue; // not written
    }
    if (modifiedMs < sinceMs) continue;
    readReport(file);
    validated++;
  }
  return validated;
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(dir, entry.name));
  } catch {
    return [];
  }
}
