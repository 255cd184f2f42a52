// `codex-smoke matrix --codex <list> [run options | --demo]`: the same audit with each Codex release first on
// PATH, one `codex-smoke run` (or `demo`) process per release, concurrently where the machine has the cores.
// Each release's JSON report goes to `<out>/codex-<release>/`; the console gets one check × release table, and
// where the release cache is and how big. The user's own release (the version of the codex the launcher finds)
// runs from the user's binary on the user's Codex home; another release on a temporary copy of CODEX_HOME whose
// Codex grant points at it and whose rules naming the Codex home by path name the copy too (decisions §1); the
// copy is removed afterwards, on Ctrl-C too. Entries naming the same release are audited once.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { copyCodexHome, pointCodexGrant, retargetHomeRules } from "../codex/home-copy.js";
import { callerEnvironment, userCodex } from "../codex/locate.js";
import { cachedReleases, describeCache } from "../codex/release-cache.js";
import {
  binaryVersion,
  latestRelease,
  parseReleaseList,
  type Release,
  releaseCacheDir,
  resolveReleases,
} from "../codex/releases.js";
import { UsageError } from "../core/errors.js";
import type { Report } from "../core/model.js";
import type { SafeDir } from "../core/safe-dir.js";
import { terminalSafeLine } from "../core/terminal-safe.js";
import { codexInstallFromBin } from "../demo/codex-install.js";
import { renderJson } from "../reporters/json.js";
import { openReportDir } from "../reporters/report-dir.js";
import { type RunningCommand, startCommand } from "../util/command.js";
import { type OptionSpecs, type ParsedValues, parseCommandArgs } from "./args.js";
import { loadReport } from "./diff.js";
import { takeOverInterrupts } from "./interrupt.js";
import { buildMatrix, type MatrixColumn, matrixExitCode, renderMatrix } from "./matrix-table.js";
import { type RawRunOptions, RUN_OPTIONS, type RunOptions, resolveRunOptions } from "./options.js";

const CLI = fileURLToPath(new URL("../cli.js", import.meta.url));

/** `run`'s options that `matrix` passes on to each release's audit (not its report options), and its own. */
const {
  format: _format,
  "probe-report": _probeReport,
  baseline: _baseline,
  quiet: _quiet,
  codex: _codex,
  ...PASSED_ON
} = RUN_OPTIONS;
export const MATRIX_OPTIONS = {
  ...PASSED_ON,
  codex: { type: "string", multiple: true },
  demo: { type: "boolean" },
} as const satisfies OptionSpecs;

type MatrixValues = ParsedValues<typeof MATRIX_OPTIONS>;

/** What one release's audit runs with. */
interface Plan {
  release: Release;
  label: string;
  out: string;
  /** Set for a release other than the user's own (`run` only): the Codex home copy and what changed in it. */
  copy: { codexHome: string; summary: string } | null;
}

/** Temp dirs and child processes to clean up on the way out, Ctrl-C included. */
class Leftovers {
  readonly dirs = new Set<string>();
  readonly children = new Set<RunningCommand>();
  removeDirs(): void {
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs.clear();
  }
}

function parseMatrixArgs(args: string[]): MatrixValues {
  const { values, positionals } = parseCommandArgs("matrix", MATRIX_OPTIONS, args);
  if (positionals.length > 0) throw new UsageError(`matrix: unexpected argument "${positionals[0]}"`);
  return values;
}

/** The run options each release's audit gets, as command-line arguments (matrix's own are not among them). */
function passedOn(values: MatrixValues, codexHome: string | null): string[] {
  const args: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (["codex", "demo", "out"].includes(name) || (name === "codex-home" && codexHome !== null)) continue;
    for (const item of Array.isArray(value) ? value : [value]) args.push(`--${name}`, String(item));
  }
  return codexHome === null ? args : [...args, "--codex-home", codexHome];
}

function homeCopy(opts: RunOptions, release: Release, userBin: string | null, leftovers: Leftovers) {
  const parent = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "matrix-home-"));
  leftovers.dirs.add(parent);
  const codexHome = join(parent, "codex-home");
  // The mock agent needs no login: the copy gets no auth.json (the audit's canary stands in for it).
  if (existsSync(opts.codexHome))
    copyCodexHome(opts.codexHome, codexHome, opts.agent === "live" ? "link" : "none");
  else mkdirSync(codexHome, { mode: 0o700 });
  const edit = pointCodexGrant(codexHome, {
    from: userBin === null ? null : codexInstallFromBin(userBin).vendorDir,
    to: codexInstallFromBin(release.bin).vendorDir,
    home: opts.home,
  });
  const twins = retargetHomeRules(codexHome, { codexHome: opts.codexHome, home: opts.home });
  return { codexHome, summary: twins === null ? edit.summary : `${edit.summary}; ${twins}` };
}

/** Runs one release's audit as its own `codex-smoke` process; its report, or why there is none. */
async function auditRelease(
  plan: Plan,
  context: {
    command: "run" | "demo";
    values: MatrixValues;
    env: Record<string, string>;
    leftovers: Leftovers;
  },
): Promise<Report | { exitCode: number; problem: string }> {
  const reportFile = join(plan.out, "codex-smoke.json");
  // never read an earlier matrix's report as this one's
  withReportDir(plan.out, (dir) => dir.unlink("codex-smoke.json"));
  const args = [
    CLI,
    context.command,
    ...passedOn(context.values, plan.copy?.codexHome ?? null),
    ...["--codex", plan.release.bin, "--format", "json", "--out", plan.out],
  ];
  const env = {
    ...context.env,
    PATH: [dirname(plan.release.bin), context.env.PATH ?? ""].join(delimiter),
    ...(plan.copy ? { CODEX_HOME: plan.copy.codexHome } : {}),
  };
  // Its own process group: a Ctrl-C reaches it once, forwarded by `matrix`, so its cleanup runs to the end.
  const child = startCommand(process.execPath, args, { env, exactEnv: true, detached: true });
  context.leftovers.children.add(child);
  const result = await child.result;
  context.leftovers.children.delete(child);
  try {
    return await loadReport(reportFile);
  } catch {
    const last = result.stderr.trim().split("\n").at(-1);
    return {
      exitCode: result.exitCode ?? 4,
      problem: last || `exit ${result.exitCode ?? result.signal}, no report`,
    };
  }
}

/** Runs `tasks` with at most `max` at a time, results in order. */
async function bounded<T>(tasks: Array<() => Promise<T>>, max: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tasks.length; i = next++) results[i] = await (tasks[i] as () => Promise<T>)();
  };
  await Promise.all(Array.from({ length: Math.min(max, tasks.length) }, worker));
  return results;
}

/** `fn` on the report directory `path` (made when missing), opened without following symlinks (decisions §27). */
function withReportDir(path: string, fn: (dir: SafeDir) => unknown): void {
  const dir = openReportDir(path);
  try {
    fn(dir);
  } finally {
    dir.close();
  }
}

/** The report as `matrix` keeps it: for a copy, the user's Codex home and what the copy changed. */
function recordCopy(report: Report, plan: Plan, codexHome: string): Report {
  if (!plan.copy) return report;
  const target = {
    ...report.target,
    codexHome,
    codexHomeCopy: `audited a temporary copy of ${codexHome} (removed afterwards) in which ${plan.copy.summary}`,
  };
  const recorded = { ...report, target };
  withReportDir(plan.out, (dir) => dir.writeFile("codex-smoke.json", renderJson(recorded)));
  return recorded;
}

export async function matrixCommand(args: string[], ui: { color: boolean }): Promise<number> {
  const values = parseMatrixArgs(args);
  if (!values.codex) throw new UsageError("matrix needs --codex <releases> (e.g. --codex 0.150.0,latest)");
  const specs = parseReleaseList(values.codex);
  const command = values.demo ? "demo" : "run";
  const { codex: _releases, demo: _demo, ...raw } = values;
  const opts = await resolveRunOptions(command, raw satisfies RawRunOptions);
  const env = callerEnvironment();
  const leftovers = new Leftovers();
  const onSignal = (signal: NodeJS.Signals) => {
    for (const child of leftovers.children) child.kill(signal);
    void Promise.allSettled([...leftovers.children].map((child) => child.result)).finally(() => {
      leftovers.removeDirs();
      console.error(
        terminalSafeLine(
          `codex-smoke: matrix interrupted (${signal}); reports written so far are in ${opts.out}`,
        ),
      );
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  takeOverInterrupts();
  try {
    return await runMatrix({ command, values, opts, env, leftovers, specs, color: ui.color });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    leftovers.removeDirs();
  }
}

interface MatrixRun {
  command: "run" | "demo";
  values: MatrixValues;
  opts: RunOptions;
  env: Record<string, string>;
  leftovers: Leftovers;
  specs: ReturnType<typeof parseReleaseList>;
  color: boolean;
}

/** One audit per release `--codex` names; the user's own release (for `run`) from the user's binary, as it is. */
async function planAudits(m: MatrixRun, cacheDir: string): Promise<Plan[]> {
  let latest: Promise<string> | null = null;
  const userBin = m.command === "run" ? userCodex() : null;
  const userVersion = userBin === null ? null : await binaryVersion(userBin, m.env);
  const releases = await resolveReleases(m.specs, {
    cacheDir,
    env: m.env,
    tempDirs: m.leftovers.dirs,
    latest: () => (latest ??= latestRelease(m.env)),
    own: userBin !== null && userVersion !== null ? { bin: userBin, version: userVersion } : null,
  }).catch((error: unknown) => {
    throw error instanceof UsageError ? error : new UsageError(`--codex: ${(error as Error).message}`);
  });
  return releases.map(
    (release): Plan => ({
      release,
      label: release.version,
      out: join(m.opts.out, `codex-${release.version}`),
      copy: m.command === "demo" || release.own ? null : homeCopy(m.opts, release, userBin, m.leftovers),
    }),
  );
}

/** What the table's notes say about one release's audit. */
function planNotes(plan: Plan, report: Report): string[] {
  const { label, release } = plan;
  return [
    ...(release.specs.length > 1
      ? [`${label}: ${release.specs.join(", ")} are the same release: audited once`]
      : []),
    ...(release.own
      ? [`${label}: your own release: audited with ${release.bin} and your Codex home as they are`]
      : []),
    ...(plan.copy ? [`${label}: ${report.target.codexHomeCopy}`] : []),
    `${label}: report ${join(plan.out, "codex-smoke.json")} (codex ${release.bin})`,
  ];
}

async function runMatrix(m: MatrixRun): Promise<number> {
  const cacheDir = releaseCacheDir();
  mkdirSync(cacheDir, { recursive: true });
  const plans = await planAudits(m, cacheDir);
  const context = { command: m.command, values: m.values, env: m.env, leftovers: m.leftovers };
  const outcomes = await bounded(
    plans.map((plan) => () => auditRelease(plan, context)),
    Math.max(1, availableParallelism()),
  );
  const columns: MatrixColumn[] = [];
  const notes: string[] = [];
  let failed: number | null = null;
  outcomes.forEach((outcome, i) => {
    const plan = plans[i] as Plan;
    if ("problem" in outcome) {
      notes.push(`${plan.label}: no report: ${outcome.problem}`);
      failed ??= outcome.exitCode === 2 ? 2 : 4;
    } else {
      const report = recordCopy(outcome, plan, m.opts.codexHome);
      columns.push({ label: plan.label, version: plan.release.version, report });
      notes.push(...planNotes(plan, report));
    }
  });
  notes.push(
    `release cache ${describeCache(cacheDir, cachedReleases(cacheDir))}; \`codex-smoke cache clean\` empties it`,
  );
  const matrix = buildMatrix(columns);
  process.stdout.write(renderMatrix(matrix, { color: m.color, notes }));
  return failed ?? matrixExitCode(matrix, m.opts.failOn);
}
