// One audit, as named phases: plan what the selected checks need → start the loopback services → stage the runner →
// launch concurrently → restore and verify the host → turn outcomes into facts → evaluate → report. Leaves the
// user's config, project and home as it found them, and no process behind, also when interrupted.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type CodexSupport,
  execAppendedArgs,
  probeCodexSupport,
  SUPPORT_CACHE,
  unsupportedReason,
  withUnsupportedRelease,
} from "../codex/support.js";
import type { OnProgress } from "../commands/progress.js";
import { summarize } from "../core/engine.js";
import type {
  CheckDefinition,
  CheckResult,
  Expectations,
  Fact,
  Facts,
  Report,
  SideEffectFacts,
} from "../core/model.js";
import { expectedMcpServers, gathered, notGathered } from "../core/model.js";
import { Redactor, secretValues } from "../core/redact.js";
import { jsonText } from "../core/terminal-safe.js";
import { VERSION } from "../core/version.js";
import { addDirsOf } from "../gather/codex-argv.js";
import { readConfigLayers } from "../gather/config.js";
import { guardConfig } from "../gather/config-guard.js";
import { recordedExecHeader } from "../gather/exec-header.js";
import type { LauncherStatic } from "../gather/launcher-static.js";
import { runtimeServers } from "../gather/mcp-runtime.js";
import { activeProfile } from "../gather/profile-rules.js";
import { findOnPath, installShim } from "../gather/shim.js";
import { tuiArgs } from "../gather/tui.js";
import type { RunnerPart } from "../runner/types.js";
import { evaluate } from "./evaluate.js";
import {
  configFacts,
  execFacts,
  type LauncherReader,
  launcherFacts,
  mcpGetFact,
  runnerFacts,
} from "./facts.js";
import { sessionIdOf, watchSessions } from "./history.js";
import { hashFiles, launcherFiles, realPathOf } from "./launcher-files.js";
import { appendedExecArgs, type LaunchContext, type Launched, launchAll } from "./launches.js";
import { racingMountPoints } from "./mount-race.js";
import { type AuditPlan, planAudit } from "./plan.js";
import { acceptProbeReport, type StagingRecord } from "./probe-staging.js";
import type { HostRecord } from "./record.js";
import { removePlaceholders, restoreHost } from "./restore.js";
import { domainRuleFacts } from "./rule-facts.js";
import { removeRootPlaceholders } from "./rule-restore.js";
import { execPrompt, gatherRegistry, startModel } from "./services.js";
import { type AuditSession, openSession } from "./session.js";
import { readLayerSettings } from "./settings.js";
import {
  type BeforeLaunch,
  outsideWriteDirs,
  readStagedReport,
  recordBeforeLaunch,
  runnerCommands,
  type Staged,
  type StageRequest,
  stageRunner,
  unstage,
} from "./stage.js";
import { writableEntries } from "./writable.js";

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
  /** Told when each Codex launch starts and ends (the CLI's progress display). */
  onProgress?: OnProgress;
  /** `--codex`: the Codex to audit instead of the first `codex` on the launch environment's PATH. */
  codex: string | undefined;
}

export type AuditOptions = AuditTarget & AuditSettings & { checks: readonly CheckDefinition[] };

export interface AuditResult {
  report: Report;
  /** The signal that interrupted the audit (the report is then incomplete). */
  interrupted: NodeJS.Signals | null;
  /** The interactive session as rendered and as raw bytes (redacted), kept for a failure's evidence. */
  tuiEvidence: { transcript: string; rawStream: string } | null;
  /** The in-sandbox runner's own reports (redacted), kept beside the audit's. */
  runnerReport: string | null;
}

export async function runAudit(opts: AuditOptions): Promise<AuditResult> {
  const started = Date.now();
  // A probe report is validated before anything else happens: a refused one is exit 2 with no side effect.
  const accepted = opts.probeReport ? acceptProbeReport(opts.probeReport, opts.project) : null;
  const session = openSession();
  const redact = (text: string) => redactor.redact(text);
  const redactor = new Redactor(secretValues(opts.env));
  const guard = guardConfig(opts.codexHome, opts.project);
  session.onClose(() => void guard.restore());
  try {
    const { codex, support, unsupported, plan, registry } = await prepare(opts, session);
    const launcherText = readFileSync(opts.launcher, "utf8");
    // The launcher and the config as written, read once: the staging and the launch plan both start from them.
    const written = launcherReader().then((reader) => staticSetup(opts, launcherText, reader));
    // Awaited below (by the staging or the launch plan), which ends the audit if reading failed.
    void written.catch(() => undefined);
    const stageNow = !accepted && plan.runner && session.interrupted() === null;
    const runner = stageNow ? await beginStaging(opts, session, written, registry.url) : null;
    // Loaded now, so that the interactive session spawns before the runner's staging takes the main thread.
    if (plan.tui) await import("node-pty");
    if (accepted) session.onClose(() => void unstage(accepted.record));
    const sessions = watchSessions(opts.codexHome);
    const launchesStarted = Date.now();
    // Once the launches have spawned: the runner's files (the launcher reader is loaded by `written` already).
    const afterSpawn = () => runner?.start();
    const planned = launchPlan(opts, await written);
    const launching = launchPhase(opts, session, plan, runner, {
      codex,
      support,
      redact,
      afterSpawn,
      planned,
    });
    // Awaited below; a staging failure first ends the audit, and the session then stops the launches. Staging
    // begins once the launches have spawned, or once they ended without it.
    void launching.catch(() => undefined).then(() => runner?.start());
    const staged = accepted ?? (runner ? await runner.staged : null);
    const restore = staged ? restoreOnce(session, staged.record) : null;
    const launched = await launching;
    const sideEffects: Facts["sideEffects"] = restore ? gathered(await restore()) : notGathered("not needed");
    sessions.forget({
      sessionIds: interactiveSessions(launched),
      startedAt: launchesStarted,
      endedAt: Date.now(),
    });
    const gatheredFacts = assembleFacts(opts, session, launched, staged, {
      reader: await launcherReader(),
      registry: await registry.facts,
      sideEffects,
      launcherText,
      redact,
      staging: stagingFacts(opts, staged, accepted, started),
    });
    const facts = withUnsupportedRelease(gatheredFacts, unsupported);
    const results = evaluate(opts.checks, opts.selected, facts, opts.expect, redact);
    return {
      report: buildReport(opts, facts, results, {
        started,
        incomplete: session.interrupted() !== null,
        codex: { path: codex, version: support?.version ?? null },
      }),
      interrupted: session.interrupted(),
      tuiEvidence: launched.tui.ok
        ? { transcript: launched.tui.value.transcript, rawStream: launched.tui.value.rawStream }
        : null,
      runnerReport: runnerEvidence(facts, redact),
    };
  } finally {
    await session.close();
  }
}

/**
 * What the Codex release supports (remembered per binary), and the plan: a release that cannot run the setup gets
 * one line as the reason of every launch-based check, and is not launched. The registry is being resolved
 * meanwhile: no launch waits for it (the runner's network part does, see stage.ts).
 */
async function prepare(opts: AuditOptions, session: AuditSession) {
  const codex = opts.codex ?? findOnPath("codex", opts.env.PATH);
  const selected = opts.checks.filter((check) => opts.selected.has(check.id));
  const registry = gatherRegistry(
    planAudit(selected, expectedMcpServers(opts.expect), false),
    opts.registry,
    opts.expect.registryPackage,
    process.env,
  );
  const support = await probeCodexSupport(codex, {
    probeHome: join(session.runDir, "support-probe-home"),
    env: opts.env,
    timeoutMs: opts.timeoutMs,
    cacheFile: SUPPORT_CACHE,
  });
  const unsupported = unsupportedReason(support);
  return {
    codex,
    support,
    unsupported,
    registry,
    plan: planAudit(selected, expectedMcpServers(opts.expect), unsupported !== null),
  };
}

/**
 * The launcher reader: tree-sitter's bash grammar compiles as the module loads, a startup cost that is paid while
 * the launches run instead of before them.
 */
const launcherReader = (): Promise<LauncherReader> => import("../gather/launcher-static.js");

/** The runner's staging, and what the mock agent hands out meanwhile. */
interface RunnerStaging {
  /** Settles with the staged runner; staging begins with `start` (once the launches have been spawned). */
  staged: Promise<Staged>;
  start(): void;
  commands: string[];
  /** Awaited before the mock hands out command `index`: its files must be in place. */
  before: ((index: number) => Promise<void>) | undefined;
}

/**
 * Records what the launches may change (that precedes every launch), then stages the runner's files while the
 * launches start: the mock hands out the runner's first command once they are in place, its network command once
 * the registry is known too. A live agent is told every command at once: for it, everything is in place first.
 */
async function beginStaging(
  opts: AuditOptions,
  session: AuditSession,
  written: Promise<StaticSetup>,
  registry: Promise<Fact<{ url: string }>>,
): Promise<RunnerStaging> {
  const reading = written.then((setup) => readBeforeLaunch(opts, setup));
  const url = registry.then((found) => (found.ok ? found.value.url : null));
  const before = await recordBeforeLaunch({
    ...opts,
    nonce: session.nonce,
    readonlyPaths: opts.expect.readonlyPaths,
    placeCanaries: true,
    rules: reading.then((known) => known.rules),
    // The mock hands out the network command once its input (with the URL) is written; a live agent is told
    // every command at once, so for it the URL is known first.
    registryUrl: opts.agent === "mock" ? null : await url,
  });
  const known = await reading;
  if (opts.agent === "live") {
    const staged = stage(opts, session, known, url, before);
    const done = await staged;
    return { staged, start: () => {}, commands: done.commands, before: undefined };
  }
  // Staged once, on the first call of `start`.
  let begin = () => {};
  const staged = new Promise<Staged>((resolve, reject) => {
    begin = () => {
      begin = () => {};
      void stage(opts, session, known, url, before).then(resolve, reject);
    };
  });
  // A staging failure ends the audit (runAudit awaits `staged`); the command is handed out regardless.
  const filesReady = staged.then(
    () => undefined,
    () => undefined,
  );
  return {
    staged,
    start: () => begin(),
    commands: runnerCommands(stagingNameOf(session), true, true, before.ruleStaging.parts),
    // The network part and the domain probes read the input written once the registry is known.
    before: (index) => (index === 0 ? filesReady : staged.then((done) => done.netInput)),
  };
}

const stagingNameOf = (session: AuditSession) => `.codex-smoke-${session.nonce}`;

/** What the launcher and the config layers say before any launch: the launcher's files, the profile and its rules. */
interface BeforeLaunchReading {
  launcherFiles: string[];
  effective: Record<string, unknown>;
  rules: NonNullable<StageRequest["rules"]>;
}

function readBeforeLaunch(opts: AuditOptions, { launcher, config }: StaticSetup): BeforeLaunchReading {
  const { effective, workspaceRoots } = config;
  const where = { home: opts.home, workspaceRoots, tmpdir: opts.env.TMPDIR };
  return {
    launcherFiles: launcherFiles(opts.launcher, opts.project, launcher.files),
    effective,
    rules: { profile: activeProfile(effective, where), effective, probeDomains: true },
  };
}

async function stage(
  opts: AuditOptions,
  session: AuditSession,
  known: BeforeLaunchReading,
  url: Promise<string | null>,
  before: BeforeLaunch,
): Promise<Staged> {
  const canary = join(session.runDir, `canary-${session.nonce}.txt`);
  // A host-only file (the run dir is private): readable inside means the filesystem is not confined.
  (await import("node:fs")).writeFileSync(
    canary,
    "codex-smoke canary: must not be readable inside the sandbox\n",
  );
  const staged = await stageRunner(
    {
      nonce: session.nonce,
      project: opts.project,
      home: opts.home,
      codexHome: opts.codexHome,
      readonlyPaths: opts.expect.readonlyPaths,
      outsideWriteDirs: outsideWriteDirs(
        opts.project,
        opts.home,
        writableEntries(known.effective, opts.home),
      ),
      outsideReadFiles: [canary],
      // The mock hands out the network command once its input is written; a live agent is told every command at once.
      registryUrl: opts.agent === "mock" ? url : await url,
      stagingName: stagingNameOf(session),
      placeCanaries: true,
      launcherFiles: known.launcherFiles,
      watched: true,
      rules: known.rules,
    },
    before,
  );
  session.onClose(() => void staged.unstage());
  return staged;
}

/** Restores the host from the record once: in the normal path for the facts, else (a crash, an interrupt before
 * that) when the session closes, before the staging folder goes. */
function restoreOnce(session: AuditSession, record: HostRecord): () => Promise<SideEffectFacts> {
  // Last of all (closing kills every marked process first): a sandbox helper that was still mounting when the
  // restore ran (an interrupt, a race) may have left an empty placeholder since.
  session.onClose(() => {
    removePlaceholders(record);
    removeRootPlaceholders(record.ruleRoots ?? []);
  });
  let restoring: Promise<SideEffectFacts> | null = null;
  const restore = () => {
    restoring ??= restoreHost(record);
    return restoring;
  };
  session.onClose(async () => {
    await restore();
  });
  return restore;
}

async function launchPhase(
  opts: AuditOptions,
  session: AuditSession,
  plan: AuditPlan,
  runner: Pick<RunnerStaging, "commands" | "before"> | null,
  codex: {
    codex: string | null;
    support: CodexSupport | null;
    redact: (s: string) => string;
    afterSpawn: () => void;
    planned: Pick<LaunchContext, "runtimeServers" | "racingMountPoints">;
  },
): Promise<LaunchPhase> {
  const { redact } = codex;
  // `run --probe-report`: the runner already ran in the live session; the exec launch only reads the header.
  const commands = runner?.commands ?? [];
  const model = await startModel(plan, opts.agent, commands, runner?.before);
  if (model) session.onClose(() => model.close());
  const ctx: LaunchContext = {
    launcher: opts.launcher,
    project: opts.project,
    env: opts.env,
    shim: codex.codex ? installShim(session.runDir, codex.codex) : null,
    codex: codex.codex,
    codexVersion: codex.support?.version ?? null,
    runDir: session.runDir,
    timeoutMs: opts.timeoutMs,
    concurrency: opts.concurrency,
    providerArgs: model ? model.providerOverrides() : [],
    execArgs: execAppendedArgs(codex.support),
    prompt: execPrompt(opts.agent, commands),
    expectedServers: expectedMcpServers(opts.expect),
    ...codex.planned,
    redact,
    interrupted: session.interrupted,
    onProgress: opts.onProgress,
  };
  const launching = launchAll(plan, ctx);
  // The launches spawn within this turn of the event loop; work that can wait runs right after, while Codex
  // starts (the runner's first command waits for its files).
  setImmediate(codex.afterSpawn);
  const launched = await launching;
  return { ...launched, ctx, commandOutputs: model?.commandOutputs() ?? [] };
}

type LaunchPhase = Launched & { ctx: LaunchContext; commandOutputs: string[] };

function assembleFacts(
  opts: AuditOptions,
  session: AuditSession,
  launched: LaunchPhase,
  staged: Pick<Staged, "input" | "record"> | null,
  host: {
    reader: LauncherReader;
    registry: Facts["registry"];
    sideEffects: Facts["sideEffects"];
    launcherText: string;
    redact: (s: string) => string;
    staging: Facts["staging"];
  },
): Facts {
  const { ctx } = launched;
  const launcher = launcherFacts({
    reader: host.reader,
    path: opts.launcher,
    text: host.launcherText,
    shim: ctx.shim,
    appended: { exec: appendedExecArgs(ctx), tui: [...tuiArgs(opts.project), ...ctx.providerArgs], mcp: [] },
    profileOption: opts.profile,
    redact: host.redact,
  });
  const config = configFacts({
    codexHome: opts.codexHome,
    home: opts.home,
    project: opts.project,
    profile: launcher.profile ?? opts.expect.profile,
    launcher,
  });
  const exec = execFacts(launched.exec, launched.commandOutputs, host.redact, opts.timeoutMs);
  const reports = staged && {
    input: staged.input,
    read: (part: RunnerPart) => readStagedReport(staged.record, part),
  };
  const { runner, network } = runnerFacts(reports, opts.probeReport ? null : exec);
  const interrupted = session.interrupted();
  // After an interrupt, what the launches gave is not a finding: every launch-based fact says so instead.
  const cut = <T>(fact: Fact<T>): Fact<T> =>
    interrupted ? notGathered(`interrupted (${interrupted}) before it was gathered`) : fact;
  const hostUnusable =
    launched.hostSandbox.ok && !launched.hostSandbox.value.usable
      ? notGathered<never>(
          `the host cannot run the sandbox: ${launched.hostSandbox.value.output.split("\n")[0] ?? ""}`,
          "hostSandbox",
        )
      : null;
  return {
    launcher: gathered(launcher),
    config: gathered(config),
    registry: host.registry,
    hostSandbox: cut(launched.hostSandbox),
    exec: cut(exec),
    runner: cut(hostUnusable ?? runner),
    network: cut(hostUnusable ?? network),
    credentials: staged ? gathered(staged.record.credentials) : notGathered("not needed"),
    ...ruleFacts(staged, exec, (fact) => cut(hostUnusable ?? fact)),
    sideEffects: cut(hostUnusable ?? host.sideEffects),
    tui: cut(launched.tui),
    mcpGet: cut(launched.mcpGet.length > 0 ? mcpGetFact(launched.mcpGet) : notGathered("not needed")),
    staging: host.staging,
    mcpRuntime: cut(launched.mcpRuntime.fact),
  };
}

/** The setup's own rules: what the host listed and planned at staging, and the domain probes' outcomes. */
function ruleFacts(
  staged: Pick<Staged, "input" | "record"> | null,
  exec: Facts["exec"],
  launchBased: <T>(fact: Fact<T>) => Fact<T>,
): Pick<Facts, "credentialFiles" | "profileRules" | "domainRules"> {
  const record = staged?.record;
  const liveSession = "staged for a live session without probes for the profile's own rules";
  if (!record) {
    const none = notGathered("not needed");
    return { credentialFiles: none, profileRules: none, domainRules: none };
  }
  return {
    credentialFiles: record.credentialFiles ? gathered(record.credentialFiles) : notGathered(liveSession),
    profileRules: record.rules
      ? gathered({ profile: record.rulesProfile ?? null, rules: record.rules })
      : notGathered(liveSession),
    domainRules: record.domains
      ? launchBased(
          domainRuleFacts(
            { input: staged.input, read: () => readStagedReport(record, "domains") },
            record.domains,
            exec,
          ),
        )
      : notGathered(liveSession),
  };
}

/**
 * The host's own record of the staging (decisions §24): its namespaces, the time window a genuine report started
 * in, the files probed for the launcher's integrity; for a live session also what changed since staging.
 */
function stagingFacts(
  opts: AuditOptions,
  staged: Pick<Staged, "input" | "record"> | null,
  accepted: StagingRecord | null,
  auditStarted: number,
): Facts["staging"] {
  if (!staged) return notGathered("not needed");
  const to = new Date().toISOString();
  if (!accepted) {
    return gathered({
      flow: "watched",
      hostNamespaces: staged.record.namespaces,
      window: { from: new Date(auditStarted).toISOString(), to },
      project: realPathOf(opts.project),
      launcherFiles: staged.input.launcherFiles,
      changed: [],
      otherLauncher: null,
    });
  }
  const now = hashFiles(Object.keys(accepted.hashes));
  return gathered({
    flow: "live",
    hostNamespaces: accepted.record.namespaces,
    window: { from: accepted.stagedAt, to },
    project: realPathOf(opts.project),
    launcherFiles: accepted.input.launcherFiles,
    changed: Object.entries(accepted.hashes)
      .filter(([path, before]) => now[path] !== before)
      .map(([path, before]) => ({ path, before, after: now[path] ?? null })),
    otherLauncher: realPathOf(opts.launcher) === accepted.launcher ? null : accepted.launcher,
  });
}

function buildReport(
  opts: AuditOptions,
  facts: Facts,
  results: CheckResult[],
  run: { started: number; incomplete: boolean; codex: { path: string | null; version: string | null } },
): Report {
  const hostSandbox = facts.hostSandbox.ok ? facts.hostSandbox.value : null;
  const header = facts.exec.ok ? facts.exec.value.header : null;
  return {
    schemaVersion: 1,
    tool: { name: "codex-smoke", version: VERSION },
    startedAt: new Date(run.started).toISOString(),
    durationMs: Date.now() - run.started,
    target: {
      launcher: opts.launcher,
      project: opts.project,
      codexHome: opts.codexHome,
      profile: (facts.launcher.ok ? facts.launcher.value.profile : null) ?? opts.expect.profile,
      codexVersion: run.codex.version ?? hostSandbox?.codexVersion ?? header?.version ?? "unknown",
      codexPath: run.codex.path ?? "not found",
      execHeader: recordedExecHeader(header),
      ...(facts.config.ok
        ? {
            settings: readLayerSettings(facts.config.value, {
              runner: facts.runner,
              tui: facts.tui,
              exec: facts.exec,
              network: facts.network,
            }).settings,
          }
        : {}),
    },
    summary: summarize(results),
    incomplete: run.incomplete,
    results,
  };
}

/**
 * The id of each interactive session the audit started (null where it was not seen), for their traces. A session
 * Codex refused to start left none.
 */
function interactiveSessions(launched: Launched): Array<string | null> {
  const { tui, mcpRuntime } = launched;
  const ids: Array<string | null> = [];
  if (launched.started.has("tui") && !(tui.ok && tui.value.refused))
    ids.push(tui.ok ? sessionIdOf(tui.value.statusScreen) : null);
  if (launched.started.has("mcp runtime") && !(mcpRuntime.fact.ok && mcpRuntime.fact.value.refused))
    ids.push(mcpRuntime.sessionId);
  return ids;
}

/** The launcher and the config layers as written (read statically): what the launches are planned from. */
interface StaticSetup {
  launcher: LauncherStatic;
  config: ReturnType<typeof readConfigLayers>;
}

function staticSetup(opts: AuditOptions, launcherText: string, reader: LauncherReader): StaticSetup {
  const launcher = reader.readLauncherStatic(opts.launcher, launcherText);
  const config = readConfigLayers({
    codexHome: opts.codexHome,
    home: opts.home,
    profileName: opts.profile ?? launcher.profile ?? opts.expect.profile,
    project: opts.project,
    launcherOverrides: launcher.overrides.map((override) => override.raw),
    addDirs: launcherAddDirs(opts.project, launcher),
  });
  return { launcher, config };
}

/** The `--add-dir` folders the launcher passes to Codex, as written. */
const launcherAddDirs = (project: string, launcher: Pick<LauncherStatic, "invocations">) =>
  addDirsOf(
    project,
    launcher.invocations.map((invocation) => invocation.parsed),
  );

/**
 * Each expected server's transport, and the other servers, for the MCP runtime session; and the mount points Codex
 * makes at each start, which concurrent starts would race on.
 */
function launchPlan(
  opts: AuditOptions,
  { config }: StaticSetup,
): Pick<LaunchContext, "runtimeServers" | "racingMountPoints"> {
  const profile = activeProfile(config.effective, {
    home: opts.home,
    workspaceRoots: config.workspaceRoots,
    tmpdir: opts.env.TMPDIR,
  });
  return {
    runtimeServers: runtimeServers(config.effective, expectedMcpServers(opts.expect)),
    racingMountPoints: racingMountPoints(profile),
  };
}

function runnerEvidence(facts: Facts, redact: (s: string) => string): string | null {
  if (!facts.runner.ok) return null;
  const network = facts.network.ok ? facts.network.value : null;
  return redact(`${jsonText({ local: facts.runner.value, net: network }, 2)}\n`);
}
