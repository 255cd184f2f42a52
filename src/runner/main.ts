// The staged runner: `node <dir>/runner.mjs <input.json> local|net [--force]`. Bundled at build time into one
// dependency-free file (decisions §6, §21). It attests first and refuses to probe outside a sandbox (exit 3,
// nothing written) unless `--force`: its probes would land on the real machine (a commit in the user's repository,
// files in read-only folders). Inside, it writes the part's report next to the input and prints what it found and
// the host command that turns the facts into verdicts; it exits 0 whenever it could run: failures are data.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { attest, sandboxVerdict } from "./attest.js";
import { localRows, netRows, table } from "./describe.js";
import { errorCode } from "./kit.js";
import { runLocalProbes, runNetProbes } from "./probes.js";
import { runDomainProbe } from "./rules.js";
import {
  type LocalReport,
  type NetReport,
  RUNNER_PARTS,
  type RunnerInput,
  type RunnerPart,
} from "./types.js";

/**
 * The prefix of the line carrying the whole report, gzipped and base64-encoded, when the report file could not be
 * written (the model channel). Codex hands the model at most ~5 000 characters of a command's head and ~5 000 of its
 * tail (measured on 0.169: "…10000 chars truncated…" in between): the line is the last one and must fit its tail.
 */
export const REPORT_LINE_PREFIX = "CODEX_SMOKE_REPORT ";
export const STATUS_LINE_PREFIX = "CODEX_SMOKE_RUNNER ";

/** Writes to a temp name in the same directory, then renames: a reader never sees half a report. */
export function writeReport(path: string, report: LocalReport | NetReport): string | null {
  const temporary = `${path}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(report, null, 2)}\n`);
    renameSync(temporary, path);
    return null;
  } catch (error) {
    return errorCode(error);
  }
}

function readInput(path: string): RunnerInput {
  const input = JSON.parse(readFileSync(resolve(path), "utf8")) as RunnerInput;
  if (input?.schema !== 2 || typeof input.nonce !== "string")
    throw new Error("not a codex-smoke runner input");
  return input;
}

export async function runPart(
  input: RunnerInput,
  part: Exclude<RunnerPart, "domains">,
): Promise<{ report: LocalReport | NetReport; writeError: string | null }> {
  const path = input.reports[part];
  if (part === "local") {
    const report = await runLocalProbes(input);
    return { report, writeError: writeReport(path, report) };
  }
  let writeError: string | null = null;
  const report = await runNetProbes(input, (partial) => {
    writeError = writeReport(path, partial);
  });
  return { report, writeError };
}

/** Exit code of a run refused outside a sandbox. */
const REFUSED = 3;

export async function main(argv: string[]): Promise<number> {
  const force = argv.includes("--force");
  const [inputPath, part, ...rest] = argv.filter((arg) => arg !== "--force");
  const domainProbe = part === "domains" && rest.length === 1 && /^\d+$/.test(rest[0] ?? "");
  const localOrNet = RUNNER_PARTS.includes(part as RunnerPart) && rest.length === 0;
  if (!inputPath || !(localOrNet || domainProbe)) {
    process.stderr.write("usage: node runner.mjs <input.json> local|net|domains <index> [--force]\n");
    return 2;
  }
  let input: RunnerInput;
  try {
    input = readInput(inputPath);
  } catch (error) {
    process.stdout.write(
      `${STATUS_LINE_PREFIX}nonce=unknown part=${part} report=failed:INPUT_${errorCode(error)}\n`,
    );
    return 2;
  }
  const where = sandboxVerdict(attest(input.hostNamespaces));
  if (!where.inside && !force) {
    process.stdout.write(`${STATUS_LINE_PREFIX}nonce=${input.nonce} part=${part} report=refused\n`);
    process.stderr.write(
      `runner: not inside a Codex sandbox (${where.why}); nothing was written (run it inside the session, or pass --force)\n`,
    );
    return REFUSED;
  }
  if (domainProbe) return domainCommand(input, Number(rest[0]));
  const { report, writeError } = await runPart(input, part as "local" | "net");
  // The first line is short and early: the model channel may cut long command output.
  process.stdout.write(
    `${STATUS_LINE_PREFIX}nonce=${input.nonce} part=${part} report=${writeError ? `failed:${writeError}` : "written"}\n`,
  );
  const rows = report.part === "local" ? localRows(report) : netRows(report);
  process.stdout.write(`${table(rows)}\n`);
  if (writeError)
    process.stdout.write(`${REPORT_LINE_PREFIX}${gzipSync(JSON.stringify(report)).toString("base64")}\n`);
  else
    process.stdout.write(
      `Facts only. Verdicts on the host: codex-smoke run --probe-report ${input.reports.local}\n`,
    );
  return 0;
}

/** One domain probe: a short line only (Codex kills the command when its proxy blocks the request). */
async function domainCommand(input: RunnerInput, index: number): Promise<number> {
  const { writeError } = await runDomainProbe(input, index);
  process.stdout.write(
    `${STATUS_LINE_PREFIX}nonce=${input.nonce} part=domains ${index} report=${writeError ? `failed:${writeError}` : "written"}\n`,
  );
  return 0;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  // process.exit, not a natural end: a DNS lookup the timeout abandoned would keep the process alive.
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stdout.write(`${STATUS_LINE_PREFIX}nonce=unknown report=failed:${errorCode(error)}\n`);
      process.exit(1);
    },
  );
}
