// Validates `run`/`demo` options. Every problem with the harness's own input is a UsageError: one line that names
// the flag or file (exit 2). Validation has no side effect at all: nothing is created, written or started before
// every option has been checked (the report directory is made when the reports are written).
// A broken *setup* is not a usage error: the audit reports it (contract, exit codes).
import { accessSync, constants, lstatSync, realpathSync, type Stats, statfsSync, statSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { checks } from "../../checks/index.js";
import type { AuditSettings, AuditTarget } from "../audit/index.js";
import { UsageError } from "../core/errors.js";
import { DEFAULT_EXPECTATIONS, loadExpectations } from "../core/expectations.js";
import { jsonInputError, readJsonInput } from "../core/json-input.js";
import type { Report } from "../core/model.js";
import { type Format, parseFormats } from "../reporters/index.js";
import type { OptionSpecs, ParsedValues } from "./args.js";
import { SETUP_OPTIONS } from "./help.js";

export const RUN_OPTIONS = {
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
  quiet: { type: "boolean" },
} as const satisfies OptionSpecs;

export type RawRunOptions = ParsedValues<typeof RUN_OPTIONS>;

export interface RunOptions extends AuditSettings, Omit<AuditTarget, "env"> {
  selected: Set<string>;
  formats: Format[];
  /** The report directory, absolute; it may not exist yet. */
  out: string;
  baseline: Report | undefined;
  failOn: "fail" | "warn";
  /** Print only the one-line outcome (on stderr). */
  quiet: boolean;
}

/** A day: longer is a mistake, and Node's timers overflow past 24.8 days. */
const MAX_TIMEOUT_SECONDS = 86_400;
/** Each Codex launch is a process tree; more than this in parallel only thrashes the machine. */
const MAX_CONCURRENCY = 64;

const commaList = (values: string[] | undefined) =>
  (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);

function timeoutSeconds(value: string | undefined): number {
  if (value === undefined) return 60;
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n > 0 && n <= MAX_TIMEOUT_SECONDS)) {
    throw new UsageError(
      `--timeout: expected seconds, more than 0 and at most ${MAX_TIMEOUT_SECONDS} (a day), got "${value}"`,
    );
  }
  return n;
}

function concurrency(value: string | undefined): number {
  if (value === undefined) return Math.min(availableParallelism(), MAX_CONCURRENCY);
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= MAX_CONCURRENCY)) {
    throw new UsageError(
      `--concurrency: expected a whole number from 1 to ${MAX_CONCURRENCY}, got "${value}"`,
    );
  }
  return n;
}

/** `--only`/`--skip` selectors: an id (`fs.auth_json`), a prefix ending in a dot (`fs.`) or an area (`fs`). */
function selectorMatches(id: string, selector: string): boolean {
  if (selector.endsWith(".")) return id.startsWith(selector);
  return id === selector || (!selector.includes(".") && id.startsWith(`${selector}.`));
}

export function selection(only: string[], skip: string[]): Set<string> {
  for (const [flag, selectors] of [
    ["--only", only],
    ["--skip", skip],
  ] as const) {
    for (const selector of selectors) {
      if (!checks.some((check) => selectorMatches(check.id, selector))) {
        throw new UsageError(
          `${flag}: no check matches "${selector}" (give ids, prefixes such as fs. or areas such as fs; see codex-smoke list)`,
        );
      }
    }
  }
  const matchesAny = (id: string, selectors: string[]) => selectors.some((s) => selectorMatches(id, s));
  const selected = checks
    .filter((check) => only.length === 0 || matchesAny(check.id, only))
    .filter((check) => !matchesAny(check.id, skip))
    .map((check) => check.id);
  if (selected.length === 0) throw new UsageError("--only/--skip: no check left to run");
  return new Set(selected);
}

/** An existing executable file, absolute. */
function executableFile(flag: string, path: string): string {
  const absolute = resolve(path);
  try {
    if (!statSync(absolute).isFile()) throw new UsageError(`${flag} ${path}: not a file`);
    accessSync(absolute, constants.X_OK);
    return absolute;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag} ${path}: ${code === "ENOENT" ? "no such file" : "not executable"}`);
  }
}

/** Kernel pseudo-filesystems (statfs f_type): a recursive mkdir there spins forever, and reports do not belong. */
const PSEUDO_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, "procfs"],
  [0x62656572, "sysfs"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x1cd1, "devpts"],
  [0x62656570, "configfs"],
  [0xcafe4a11, "bpf"],
  [0x6165676c, "pstore"],
  [0xde5e81e4, "efivarfs"],
]);

/** The deepest existing path at or above `dir`, with its stats (a file in the way counts as existing). */
function existingAncestor(dir: string): { path: string; stats: Stats } {
  for (let path = dir; ; path = dirname(path)) {
    try {
      const stats = statSync(path, { throwIfNoEntry: false });
      if (stats) return { path, stats };
    } catch (error) {
      // ENOTDIR: a component above is a file; keep climbing to name it.
      if ((error as NodeJS.ErrnoException).code !== "ENOTDIR") throw error;
    }
  }
}

/** The first component of `dir` that is a symlink: `dir` itself wherever it is, and every component below the
 * project (the agent's tree, decisions §27); links above the project are the user's own. */
function symlinkIn(dir: string, project: string): string | null {
  const isLink = (path: string) => {
    try {
      return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() === true;
    } catch {
      return false; // a file in the way (ENOTDIR): the writable-directory check names it
    }
  };
  if (isLink(dir)) return dir;
  let realProject = project;
  try {
    realProject = realpathSync(project);
  } catch {
    // no such project: the target check names it
  }
  for (const root of new Set([project, realProject])) {
    if (!dir.startsWith(`${root}/`)) continue;
    let path = root;
    for (const name of relative(root, dir).split("/")) {
      path = join(path, name);
      if (isLink(path)) return path;
    }
  }
  return null;
}

/**
 * Checks that `raw` is, or can be made, a writable directory, without creating anything; returns its real path
 * (the reports are later written by opening that path without following any symlink, so a folder swapped for a
 * link during the audit is refused, not followed).
 */
function checkOutDir(raw: string, project: string): string {
  const dir = resolve(raw);
  const fail = (why: string) => new UsageError(`--out ${raw}: not a writable directory (${why})`);
  const link = symlinkIn(dir, project);
  if (link) throw fail(`${link} is a symbolic link; reports are never written through one`);
  let found: { path: string; stats: Stats };
  try {
    found = existingAncestor(dir);
  } catch (error) {
    throw fail((error as NodeJS.ErrnoException).code ?? String(error));
  }
  if (!found.stats.isDirectory()) throw fail(`${found.path} is not a directory`);
  const pseudo = PSEUDO_FILESYSTEMS.get(statfsSync(found.path).type);
  if (pseudo) throw fail(`${found.path} is on ${pseudo}, a kernel pseudo-filesystem`);
  try {
    accessSync(found.path, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw fail(`${found.path}: ${(error as NodeJS.ErrnoException).code ?? "not writable"}`);
  }
  return join(realpathSync(found.path), relative(found.path, dir));
}

/** A schemaVersion 1 report given by `label` (`--baseline`, `diff`): one line with the file and position. */
export async function loadReportInput(label: string, file: string): Promise<Report> {
  const input = await readJsonInput(label, file);
  const { reportFrom } = await import("./diff.js");
  try {
    return reportFrom(input.value, file);
  } catch (error) {
    // loadReport's message is "<file>: <problem>", the problem naming `results[i]` where it lies.
    const problem = (error instanceof Error ? error.message : String(error)).replace(`${file}: `, "");
    const path =
      /^results\[\d+\]/.exec(problem)?.[0] ?? (problem.includes("schemaVersion") ? "schemaVersion" : "");
    throw jsonInputError(label, file, input.positionOf(path) ?? input.positionOf(""), problem);
  }
}

interface Target {
  project: string;
  launcher: string;
  probeReport: string | undefined;
}

function checkTarget(command: "run" | "demo", raw: RawRunOptions): Target {
  if (command === "demo") {
    for (const flag of SETUP_OPTIONS) {
      if (raw[flag] !== undefined)
        throw new UsageError(`--${flag}: not accepted by demo (it builds its own setup)`);
    }
  }
  const project = resolve(raw.project ?? ".");
  const launcherArg = raw.launcher ?? "./codex-auto";
  const launcher = resolve(launcherArg);
  if (command === "demo") return { project, launcher, probeReport: undefined };
  const projectStats = statSync(project, { throwIfNoEntry: false });
  if (!projectStats) throw new UsageError(`--project ${raw.project ?? "."}: no such directory`);
  if (!projectStats.isDirectory()) throw new UsageError(`--project ${raw.project}: not a directory`);
  const launcherStats = statSync(launcher, { throwIfNoEntry: false });
  if (!launcherStats) throw new UsageError(`--launcher ${launcherArg}: no such file`);
  if (!launcherStats.isFile()) throw new UsageError(`--launcher ${launcherArg}: not a file`);
  try {
    accessSync(launcher, constants.X_OK);
  } catch {
    throw new UsageError(`--launcher ${launcherArg}: not executable (chmod +x ${launcherArg})`);
  }
  const probeReport = raw["probe-report"] ? resolve(raw["probe-report"]) : undefined;
  if (probeReport && !statSync(probeReport, { throwIfNoEntry: false })?.isFile()) {
    throw new UsageError(`--probe-report ${raw["probe-report"]}: no such file`);
  }
  return { project, launcher, probeReport };
}

function checkFormats(raw: RawRunOptions): Format[] {
  let formats: Format[];
  try {
    formats = parseFormats(raw.format ?? ["console"]);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (!raw.quiet) return formats;
  if (raw.format && formats.includes("console"))
    throw new UsageError("--quiet: prints only the outcome line, so it cannot go with --format console");
  return formats.filter((format) => format !== "console");
}

function checkChoices(raw: RawRunOptions) {
  const agent = raw.agent ?? "mock";
  if (agent !== "mock" && agent !== "live")
    throw new UsageError(`--agent: expected mock or live, got "${agent}"`);
  const failOn = raw["fail-on"] ?? "fail";
  if (failOn !== "fail" && failOn !== "warn")
    throw new UsageError(`--fail-on: expected fail or warn, got "${failOn}"`);
  if (raw.registry !== undefined && !/^https?:\/\/\S+$/.test(raw.registry)) {
    throw new UsageError(`--registry: expected an http(s) URL, got "${raw.registry}"`);
  }
  return { agent, failOn } as const;
}

export async function resolveRunOptions(command: "run" | "demo", raw: RawRunOptions): Promise<RunOptions> {
  // The values first, then what they name on disk.
  const { agent, failOn } = checkChoices(raw);
  const formats = checkFormats(raw);
  const timeoutMs = timeoutSeconds(raw.timeout) * 1000;
  const parallel = concurrency(raw.concurrency);
  const selected = selection(commaList(raw.only), commaList(raw.skip));
  const { project, launcher, probeReport } = checkTarget(command, raw);
  const out = checkOutDir(raw.out ?? "reports", project);
  const codex = raw.codex === undefined ? undefined : executableFile("--codex", raw.codex);
  const expectFile = raw.expect;
  const baselineFile = raw.baseline;
  const home = process.env.HOME ?? homedir();
  return {
    launcher,
    project,
    codexHome: resolve(raw["codex-home"] ?? process.env.CODEX_HOME ?? join(home, ".codex")),
    home,
    profile: raw.profile,
    expect: expectFile ? await loadExpectations(expectFile) : DEFAULT_EXPECTATIONS,
    agent,
    selected,
    formats,
    out,
    probeReport,
    baseline: baselineFile ? await loadReportInput("--baseline", baselineFile) : undefined,
    failOn,
    quiet: raw.quiet === true,
    registry: raw.registry,
    timeoutMs,
    concurrency: parallel,
    codex,
  };
}
