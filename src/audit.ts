// Gathers the facts the selected checks need — each Codex launch once, independent launches concurrently — then
// runs the checks. Leaves the user's config, project and home as it found them, and no process behind.
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type MockResponses, startMockResponses } from "./agent/mock-responses.js";
import {
  execAppendedArgs,
  launchableNeeds,
  probeCodexSupport,
  unsupportedReason,
  withUnsupportedRelease,
} from "./codex/support.js";
import { recordedExecHeader } from "./diff.js";
import { neededFacts, runCheck, summarize } from "./engine.js";
import { readConfigLayers } from "./gather/config.js";
import { guardConfig } from "./gather/config-guard.js";
import { parseExecHeader, refusalMessage } from "./gather/exec-header.js";
import { probeHostSandbox } from "./gather/host-sandbox.js";
import { type LaunchResult, launch } from "./gather/launch.js";
import { parseObservedArgv, readLauncherStatic } from "./gather/launcher-static.js";
import { runMcpGet } from "./gather/mcp-get.js";
import { hostRegistryControl, registryPackageUrl, resolveRegistryBase } from "./gather/registry.js";
import { findOnPath, installShim, type Shim } from "./gather/shim.js";
import { snapshotHost, verifyAndRestore, verifyProbeMarkers } from "./gather/side-effects.js";
import { runTuiSession, tuiArgs } from "./gather/tui.js";
import type {
  CheckDefinition,
  CheckResult,
  ExecFacts,
  Expectations,
  Fact,
  Facts,
  LauncherFacts,
  LaunchKind,
  Report,
} from "./model.js";
import { gathered, notGathered } from "./model.js";
import { killMarked, MARKER_VAR } from "./processes.js";
import { Redactor, SECRET_NAME, secretValues } from "./redact.js";
import type { RunnerInput, RunnerReport } from "./runner/report-types.js";
import { STAGE_DIR } from "./stage.js";
import { startUntrustedTlsServer, type UntrustedTlsServer } from "./tls/untrusted-server.js";
import { VERSION } from "./version.js";

/** What is audited. */
export interface AuditTarget {
  launcher: string;
  project: string;
  codexHome: string;
  home: string;
  /** The environment of every launch: the caller's for `run`, a curated one for `demo`. */
  env: Record<string, string>;
}

/** How it is audited (from the command line). */
export interface AuditSettings {
  /** `--profile`, when given. */
  profile: string | undefined;
  expect: Expectations;
  agent: "mock" | "live";
  /** Ids selected by --only/--skip; the others are reported as `skip`. */
  selected: ReadonlySet<string>;
  registry: string | undefined;
  timeoutMs: number;
  concurrency: number;
  /** A report `codex-smoke probe` wrote inside a live session: replaces the runner launched by the harness. */
  probeReport: string | undefined;
  /** `--codex`: the Codex to audit instead of the first `codex` on the launch environment's PATH. */
  codex: string | undefined;
}

export type AuditOptions = AuditTarget & AuditSettings & { checks: readonly CheckDefinition[] };

const RUNNER_FILE = fileURLToPath(new URL("./runner/runner.js", import.meta.url));
const NETWORK_TIMEOUT_MS = 5000;
/** The shell's exit code for a command it cannot find: Codex is missing, so nothing about the setup was learnt. */
const COMMAND_NOT_FOUND = 127;

/** A tiny semaphore: `--concurrency` bounds parallel Codex launches. */
function limiter(max: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolveSlot) => queue.push(resolveSlot));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

function firstLines(text: string, count: number): string {
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(0, count)
    .join(" | ");
}

/** Directories a writable-root mistake would expose: the project's parent, $HOME, temp dirs, and every absolute
 * path the profile marks writable (the README says only the project is). */
function outsideWriteDirs(opts: AuditOptions, writableFromConfig: string[]): string[] {
  const dirs = [dirname(opts.project), opts.home, "/tmp", "/var/tmp", ...writableFromConfig];
  return [...new Set(dirs.filter((dir) => existsSync(dir) && resolve(dir) !== resolve(opts.project)))];
}

function writableEntries(effective: Record<string, unknown>, home: string): string[] {
  const name = effective.default_permissions;
  if (typeof name !== "string") return [];
  const permissions = (effective.permissions as Record<string, unknown> | undefined)?.[name] as
    | Record<string, unknown>
    | undefined;
  const filesystem = permissions?.filesystem as Record<string, unknown> | undefined;
  if (!filesystem) return [];
  return Object.entries(filesystem)
    .filter(([path, access]) => access === "write" && (isAbsolute(path) || path.startsWith("~/")))
    .map(([path]) => (path.startsWith("~/") ? join(home, path.slice(2)) : path));
}

export interface AuditResult {
  report: Report;
  /** The interactive session as rendered and as raw bytes (redacted), kept for a failure's evidence. */
  tuiEvidence: { transcript: string; rawStream: string } | null;
  /** The in-sandbox runner's own report (redacted), kept beside the audit's. */
  runnerReport: string | null;
}

export async function runAudit(opts: AuditOptions): Promise<AuditResult> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const nonce = randomBytes(6).toString("hex");
  const cacheDir = join(homedir(), ".cache", "codex-smoke");
  // The first directory mkdir creates, if any: removed again at the end when empty, so nothing is left behind.
  const createdCacheRoot = mkdirSync(cacheDir, { recursive: true });
  const runDir = join(cacheDir, `run-${nonce}`);
  mkdirSync(runDir, { recursive: true });

  const redactor = new Redactor(secretValues(opts.env));
  const redact = (text: string) => redactor.redact(text);
  const selectedChecks = opts.checks.filter((check) => opts.selected.has(check.id));

  const cleanups: Array<() => Promise<void> | void> = [];
  const stagedFiles: string[] = [];
  const guard = guardConfig(opts.codexHome, [join(opts.project, ".codex", "config.toml")]);
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await killMarked(nonce);
    for (const file of stagedFiles) rmSync(file, { force: true });
    guard.restore();
    for (const step of cleanups.reverse()) await step();
    rmSync(runDir, { recursive: true, force: true });
    if (createdCacheRoot) removeEmptyDirs(cacheDir, createdCacheRoot);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  // `on`, not `once`: execa's exit hook re-raises a signal nobody else listens to, which would cut cleanup short.
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    const realCodex = opts.codex ?? findOnPath("codex", opts.env.PATH);
    const probeHome = join(runDir, "support-probe-home");
    const support = await probeCodexSupport(realCodex, {
      probeHome,
      env: opts.env,
      timeoutMs: opts.timeoutMs,
    });
    const unsupported = unsupportedReason(support);
    const needs = launchableNeeds(neededFacts(selectedChecks), unsupported);
    const needsRunner = needs.has("runner") || needs.has("sideEffects");
    const needsExec = needsRunner || needs.has("exec") || needs.has("launcher");
    const launcherText = readFileSync(opts.launcher, "utf8");
    const staticReading = readLauncherStatic(opts.launcher, launcherText);
    const preliminaryProfile = opts.profile ?? staticReading.profile ?? opts.expect.profile;
    const preliminaryConfig = readConfigLayers({
      codexHome: opts.codexHome,
      profileName: preliminaryProfile,
      project: opts.project,
      launcherOverrides: [],
    });

    const baseEnv: Record<string, string> = { ...opts.env, [MARKER_VAR]: nonce };
    const shim: Shim | null = realCodex ? installShim(runDir, realCodex) : null;
    const envFor = (kind: LaunchKind) => (shim ? shim.envFor(kind, baseEnv) : baseEnv);
    const limit = limiter(Math.max(1, opts.concurrency));

    // Registry: resolved with the caller's environment, before any launch; host control in parallel.
    const registryFact = (async () => {
      if (!needs.has("registry") && !needsRunner) return notGathered("not needed");
      const base = await resolveRegistryBase(opts.registry);
      if (!base.ok) return base;
      const url = registryPackageUrl(base.value.base, opts.expect.registryPackage);
      const control = await hostRegistryControl(url, NETWORK_TIMEOUT_MS);
      return gathered({
        url,
        source: base.value.source,
        hostStatus: control.status,
        hostError: control.error,
      });
    })();

    let mock: MockResponses | null = null;
    let tls: UntrustedTlsServer | null = null;
    const runnerBase = `.codex-smoke-${nonce}`;
    const runnerPaths = {
      script: join(opts.project, `${runnerBase}.mjs`),
      input: join(opts.project, `${runnerBase}.json`),
      report: join(opts.project, `${runnerBase}.report.json`),
    };
    const runnerCommand = opts.probeReport ? "true" : `node ${runnerBase}.mjs ${runnerBase}.json`;
    if ((needsExec || needs.has("tui")) && opts.agent === "mock") {
      mock = await startMockResponses({ command: runnerCommand });
      const started = mock;
      cleanups.push(() => started.close());
    }
    const providerArgs = mock ? mock.providerOverrides() : [];

    const hostSandbox = (async (): Promise<Facts["hostSandbox"]> => {
      if (!needs.has("hostSandbox") && !needsRunner) return notGathered("not needed");
      const probeHome = join(runDir, "host-probe-home");
      mkdirSync(probeHome, { recursive: true });
      return limit(() =>
        probeHostSandbox({
          codex: realCodex,
          cwd: runDir,
          env: { ...baseEnv, CODEX_HOME: probeHome },
          timeoutMs: opts.timeoutMs,
          redact,
        }),
      );
    })();

    let snapshot: Awaited<ReturnType<typeof snapshotHost>> | null = null;
    let runnerInput: RunnerInput | null = null;
    if (needsRunner && !opts.probeReport) {
      tls = await startUntrustedTlsServer();
      const server = tls;
      cleanups.push(() => server.close());
      const canary = join(runDir, `canary-${nonce}.txt`);
      writeFileSync(canary, "codex-smoke canary: must not be readable inside the sandbox\n");
      const registry = await registryFact;
      runnerInput = {
        nonce,
        reportPath: runnerPaths.report,
        project: opts.project,
        home: opts.home,
        // The credential Codex really uses lives in CODEX_HOME (the README's ~/.codex by default).
        authJsonPath: join(opts.codexHome, "auth.json"),
        readonlyPaths: opts.expect.readonlyPaths,
        outsideWriteDirs: outsideWriteDirs(opts, writableEntries(preliminaryConfig.effective, opts.home)),
        outsideReadFiles: [canary],
        registryUrl: registry.ok ? registry.value.url : null,
        untrustedTlsUrl: server.url,
        networkTimeoutMs: NETWORK_TIMEOUT_MS,
      };
      snapshot = await snapshotHost(opts.project, opts.expect.readonlyPaths);
      stagedFiles.push(
        runnerPaths.script,
        runnerPaths.input,
        runnerPaths.report,
        `${runnerPaths.report}.tmp`,
      );
      copyFileSync(RUNNER_FILE, runnerPaths.script);
      writeFileSync(runnerPaths.input, `${JSON.stringify(runnerInput, null, 2)}\n`);
    }

    const prompt =
      opts.agent === "mock"
        ? "codex-smoke: run the in-sandbox runner"
        : `Run exactly this shell command in the workspace, without changing it, then reply "done": ${runnerCommand}`;
    const execLaunch: Promise<LaunchResult | null> = needsExec
      ? limit(() =>
          launch(opts.launcher, ["exec", ...execAppendedArgs(support), ...providerArgs, prompt], {
            cwd: opts.project,
            env: envFor("exec"),
            timeoutMs: opts.timeoutMs,
          }),
        )
      : Promise.resolve(null);

    const tuiFact: Promise<Facts["tui"]> = needs.has("tui")
      ? limit(() =>
          runTuiSession({
            launcher: opts.launcher,
            project: opts.project,
            env: envFor("tui"),
            extraArgs: [...tuiArgs(opts.project), ...providerArgs],
            timeoutMs: opts.timeoutMs,
            expectedServers: opts.expect.mcpServers,
            redact,
          }),
        )
      : Promise.resolve(notGathered("not needed"));

    const mcpGetFact: Promise<Facts["mcpGet"]> = needs.has("mcpGet")
      ? Promise.all(
          opts.expect.mcpServers.map((server) =>
            limit(() =>
              runMcpGet({
                launcher: opts.launcher,
                project: opts.project,
                env: envFor("mcp"),
                server,
                timeoutMs: opts.timeoutMs,
                redact,
              }),
            ).then((facts) => [server, facts] as const),
          ),
        ).then((entries): Facts["mcpGet"] => {
          // No exit code means the call was killed at the deadline: could not test, not a wrong setting.
          const killed = entries.find(([, facts]) => facts.exitCode === null);
          if (killed) return notGathered(`\`mcp get ${killed[0]}\` did not finish: ${killed[1].output}`);
          const noCodex = entries.find(([, facts]) => facts.exitCode === COMMAND_NOT_FOUND);
          if (noCodex)
            return notGathered(`the launcher could not run Codex: ${firstLines(noCodex[1].output, 2)}`);
          // An unknown server is a finding (mcp.approval fails on it); any other failure means Codex (or the
          // launcher) refused to start on this config, so nothing was learnt about the servers (decisions §10).
          const refused = entries.find(
            ([, facts]) => facts.exitCode !== 0 && !/No MCP server named/.test(facts.output),
          );
          if (refused) {
            return notGathered(
              `\`mcp get ${refused[0]}\` refused (exit ${refused[1].exitCode}): ${firstLines(refused[1].output, 3)}`,
            );
          }
          return gathered(Object.fromEntries(entries));
        })
      : Promise.resolve(notGathered("not needed"));

    // The exec launch, then what its runner left behind.
    const execResult = await execLaunch;
    const execFact = execFacts(execResult, mock, redact, opts.timeoutMs);
    let sideEffects: Facts["sideEffects"] = notGathered("not needed");
    if (snapshot && runnerInput) {
      sideEffects = gathered(
        await verifyAndRestore(snapshot, {
          nonce,
          project: opts.project,
          home: opts.home,
          readonlyPaths: runnerInput.readonlyPaths,
          outsideWriteDirs: runnerInput.outsideWriteDirs,
        }),
      );
    }
    let runner: Facts["runner"] = opts.probeReport
      ? readProbeReport(opts.probeReport)
      : readRunnerReport(runnerPaths.report, nonce, execFact, mock, redact);
    if (opts.probeReport && runner.ok) {
      sideEffects = gathered(verifyProbeMarkers(runner.value, opts.project));
      // The runner `probe --stage` put into the project is not needed any more (decisions §6).
      rmSync(join(opts.project, STAGE_DIR), { recursive: true, force: true });
    }

    const [hostSandboxFact, tui, mcpGet, registry] = await Promise.all([
      hostSandbox,
      tuiFact,
      mcpGetFact,
      registryFact,
    ]);
    if (hostSandboxFact.ok && !hostSandboxFact.value.usable) {
      const why = `the host cannot run the sandbox: ${firstLines(hostSandboxFact.value.output, 1)}`;
      runner = notGathered(why);
      sideEffects = notGathered(why);
    }

    const observed: LauncherFacts["observed"] = {};
    for (const kind of ["exec", "tui", "mcp"] as const) {
      const seen = shim?.observed(kind);
      if (seen) observed[kind] = { ...seen, argv: seen.argv.map((arg) => redact(maskSecretOverride(arg))) };
    }
    const appendedExec = [...execAppendedArgs(support), ...providerArgs, prompt];
    const observedExec = observed.exec ? parseObservedArgv(observed.exec.argv, appendedExec) : null;
    const profile = observedExec?.profile ?? opts.profile ?? staticReading.profile ?? null;
    const profileSource: LauncherFacts["profileSource"] = observedExec?.profile
      ? "observed"
      : opts.profile
        ? "option"
        : staticReading.profile
          ? "static"
          : "default";
    const launcher: Facts["launcher"] = gathered({
      path: opts.launcher,
      lines: launcherText.split("\n"),
      observed,
      profile,
      profileSource,
    });
    const config: Facts["config"] = gathered(
      readConfigLayers({
        codexHome: opts.codexHome,
        profileName: profile ?? opts.expect.profile,
        project: opts.project,
        launcherOverrides: (observedExec?.overrides ?? []).map((o) => o.raw),
      }),
    );

    const gatheredFacts: Facts = {
      launcher,
      registry,
      config,
      hostSandbox: hostSandboxFact,
      exec: execFact,
      runner,
      sideEffects,
      tui,
      mcpGet,
    };
    const facts = withUnsupportedRelease(gatheredFacts, unsupported);
    const ctx = { expect: opts.expect };
    const results: CheckResult[] = opts.checks.map((check) =>
      opts.selected.has(check.id)
        ? redactResult(runCheck(check, facts, ctx), redact)
        : {
            id: check.id,
            title: check.title,
            claim: check.claim,
            remediation: check.remediation,
            status: "skip",
            expected: "",
            observed: "not selected (--only/--skip)",
            evidence: [],
            durationMs: 0,
          },
    );
    const report: Report = {
      schemaVersion: 1,
      tool: { name: "codex-smoke", version: VERSION },
      startedAt,
      durationMs: Date.now() - started,
      target: {
        launcher: opts.launcher,
        project: opts.project,
        codexHome: opts.codexHome,
        profile: profile ?? preliminaryProfile,
        codexVersion:
          support?.version ??
          (hostSandboxFact.ok ? hostSandboxFact.value.codexVersion : undefined) ??
          ((execFact.ok && execFact.value.header?.version) || "unknown"),
        codexPath: realCodex ?? "not found",
        execHeader: execFact.ok ? recordedExecHeader(execFact.value.header) : null,
      },
      summary: summarize(results),
      results,
    };
    return {
      report,
      tuiEvidence: tui.ok ? { transcript: tui.value.transcript, rawStream: tui.value.rawStream } : null,
      runnerReport: runner.ok ? redact(`${JSON.stringify(runner.value, null, 2)}\n`) : null,
    };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanup();
  }
}

/** Removes `dir` and its parents up to and including `top` while they are empty. */
function removeEmptyDirs(dir: string, top: string): void {
  for (let current = dir; current.startsWith(top); current = dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return;
    }
    if (current === top) return;
  }
}

/** `-c mcp_servers.x.env.API_TOKEN="…"`: the value of a secret-looking key never reaches a report. */
function maskSecretOverride(arg: string): string {
  const eq = arg.indexOf("=");
  return eq > 0 && SECRET_NAME.test(arg.slice(0, eq)) ? `${arg.slice(0, eq)}=***` : arg;
}

function redactResult(result: CheckResult, redact: (s: string) => string): CheckResult {
  return {
    ...result,
    expected: redact(result.expected),
    observed: redact(result.observed),
    evidence: result.evidence.map(redact),
  };
}

function execFacts(
  result: LaunchResult | null,
  mock: MockResponses | null,
  redact: (s: string) => string,
  timeoutMs: number,
): Facts["exec"] {
  if (!result) return notGathered("not needed");
  if (result.spawnError) return notGathered(`cannot run the launcher: ${result.spawnError}`);
  const header = parseExecHeader(result.stderr);
  if (result.exitCode === COMMAND_NOT_FOUND && !header) {
    return notGathered(`the launcher could not run Codex: ${firstLines(redact(result.stderr), 2)}`);
  }
  if (result.timedOut && !header)
    return notGathered(`Codex timed out after ${timeoutMs / 1000}s before printing its header`);
  const stderrLines = redact(result.stderr).split("\n").filter(Boolean);
  const refused =
    header === null && result.exitCode !== 0
      ? redact(refusalMessage(result.stderr) ?? stderrLines.at(-1) ?? `exit ${result.exitCode}`)
      : null;
  const facts: ExecFacts = {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    header,
    refused,
    stderrTail: stderrLines.slice(-12),
    commandOutputs: (mock?.commandOutputs() ?? []).map(redact),
  };
  return gathered(facts);
}

function isRunnerReport(value: unknown, nonce: string | null): value is RunnerReport {
  const report = value as Partial<RunnerReport> | null;
  return (
    typeof report === "object" &&
    report !== null &&
    report.tool === "codex-smoke-runner" &&
    report.schema === 1 &&
    (nonce === null || report.nonce === nonce)
  );
}

/** The report file first; else the report the runner printed (the model channel); else why there is none. */
function readRunnerReport(
  path: string,
  nonce: string,
  exec: Facts["exec"],
  mock: MockResponses | null,
  redact: (s: string) => string,
): Fact<RunnerReport> {
  try {
    const report: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (isRunnerReport(report, nonce)) return gathered(report);
    return notGathered(`${path}: not the report of this run (nonce mismatch)`);
  } catch {
    // fall through to the second channel
  }
  for (const output of mock?.commandOutputs() ?? []) {
    const line = output.split("\n").find((l) => l.startsWith("CODEX_SMOKE_REPORT "));
    if (!line) continue;
    try {
      const report: unknown = JSON.parse(line.slice("CODEX_SMOKE_REPORT ".length));
      if (isRunnerReport(report, nonce)) return gathered(report);
    } catch {
      // not JSON: keep looking
    }
  }
  if (!exec.ok) return notGathered(exec.error);
  if (exec.value.refused) return notGathered(`Codex refused to start: ${exec.value.refused}`);
  if (exec.value.timedOut) return notGathered("Codex timed out before the runner reported");
  const last = exec.value.commandOutputs.at(-1);
  if (last)
    return notGathered(`the runner wrote no report; its command output: ${firstLines(redact(last), 6)}`);
  return notGathered(
    `the runner never ran (exit ${exec.value.exitCode ?? "?"}): ${exec.value.stderrTail.slice(-3).join(" | ")}`,
  );
}

function readProbeReport(path: string): Fact<RunnerReport> {
  try {
    const report: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (isRunnerReport(report, null)) return gathered(report);
    return notGathered(`${path}: not a codex-smoke probe report`);
  } catch (error) {
    return notGathered(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
