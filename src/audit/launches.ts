// Phase 4: every Codex launch the plan asks for, through the user's launcher, concurrently (bounded by
// --concurrency): the host's own `codex sandbox` control, one `exec` whose agent runs the runner, one interactive
// session, a second one whose turn calls MCP stand-ins (src/gather/mcp-runtime.ts), and `mcp get` per server. Each returns its raw outcome; turning outcomes into facts is the next phase.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type OnProgress, tracked } from "../commands/progress.js";
import type { Fact, Facts, LaunchKind, McpGetFacts } from "../core/model.js";
import { notGathered } from "../core/model.js";
import { probeHostSandbox } from "../gather/host-sandbox.js";
import { type LaunchResult, launch } from "../gather/launch.js";
import { runMcpGet } from "../gather/mcp-get.js";
import {
  type McpRuntimeOptions,
  type McpRuntimeOutcome,
  type RuntimeServers,
  runMcpRuntime,
} from "../gather/mcp-runtime.js";
import type { Shim } from "../gather/shim.js";
import { runTuiSession, tuiArgs } from "../gather/tui.js";
import type { AuditPlan } from "./plan.js";

export interface LaunchContext {
  launcher: string;
  project: string;
  /** The launch environment: the caller's, or the demo's curated one (no variable of codex-smoke's own). */
  env: Record<string, string>;
  shim: Shim | null;
  codex: string | null;
  codexVersion: string | null;
  runDir: string;
  timeoutMs: number;
  concurrency: number;
  /** Appended to every Codex launch (the mock provider's `-c` pairs). */
  providerArgs: string[];
  /** Appended to exec only (e.g. `--disable unbounded_connection_retries`, `--ephemeral`), before the prompt. */
  execArgs: string[];
  prompt: string;
  expectedServers: readonly string[];
  /** Each expected server's transport, and the other servers, for the MCP runtime session's stand-ins. */
  runtimeServers: RuntimeServers;
  /** Mount points Codex makes at each start (src/audit/mount-race.ts): while any is missing, the interactive
   * sessions start after exec has ended instead of racing its sandbox's start. */
  racingMountPoints: readonly string[];
  redact: (text: string) => string;
  interrupted: () => NodeJS.Signals | null;
  onProgress: OnProgress | undefined;
}

export interface Launched {
  hostSandbox: Facts["hostSandbox"];
  exec: LaunchResult | null;
  tui: Facts["tui"];
  mcpRuntime: McpRuntimeOutcome;
  mcpGet: Array<[string, McpGetFacts]>;
  /** The labels of the launches that started (an interrupt stops the others before they start). */
  started: ReadonlySet<string>;
}

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

function envFor(ctx: LaunchContext, kind: LaunchKind): Record<string, string> {
  return ctx.shim ? ctx.shim.envFor(kind, ctx.env) : ctx.env;
}

/** The arguments the harness appends to exec, in order (the launcher's own come before them). */
export function appendedExecArgs(ctx: LaunchContext): string[] {
  return ["exec", ...ctx.execArgs, ...ctx.providerArgs, ctx.prompt];
}

export async function launchAll(plan: AuditPlan, ctx: LaunchContext): Promise<Launched> {
  const limit = limiter(Math.max(1, ctx.concurrency));
  const started = new Set<string>();
  const run: Run = {
    // A launch not started before an interrupt is not started at all.
    slot: (fallback, task) => limit(() => (ctx.interrupted() ? Promise.resolve(fallback) : task())),
    track: (label, task) => {
      started.add(label);
      return tracked(ctx.onProgress, label, task);
    },
  };
  const guarded = <T>(label: string, fallback: T, task: () => Promise<T>) =>
    run.slot(fallback, () => run.track(label, task));
  const interruptedFact = notGathered(`interrupted before it was gathered`);

  const execLaunch = () =>
    plan.exec
      ? guarded("exec", null, () =>
          launch(ctx.launcher, appendedExecArgs(ctx), {
            cwd: ctx.project,
            env: envFor(ctx, "exec"),
            timeoutMs: ctx.timeoutMs,
          }),
        )
      : Promise.resolve(null);
  // The interactive step takes longest and is queued first. Two Codex processes must not start at once on the
  // user's Codex home (see interactiveLaunches): exec starts once the first interactive session is ready, and the
  // short launches (the host's sandbox control with a home of its own, `mcp get`, which opens no database) use the
  // slot meanwhile. While a mount point is missing, or with no first session to wait for, exec goes first and the
  // interactive sessions start once it has ended.
  const execFirst = ctx.racingMountPoints.length > 0 || !plan.tui ? execLaunch() : null;
  const afterExec = execFirst ? execFirst.then(() => undefined) : null;
  const { tui, mcpRuntime, firstReady } = interactiveLaunches(plan, ctx, run, interruptedFact, afterExec);
  const exec = execFirst ?? firstReady.then(execLaunch);
  const hostSandbox = plan.hostSandbox
    ? guarded("sandbox", interruptedFact, () => {
        const probeHome = join(ctx.runDir, "host-probe-home");
        mkdirSync(probeHome, { recursive: true });
        return probeHostSandbox({
          codex: ctx.codex,
          codexVersion: ctx.codexVersion,
          cwd: ctx.runDir,
          env: { ...ctx.env, CODEX_HOME: probeHome },
          timeoutMs: ctx.timeoutMs,
          redact: ctx.redact,
        });
      })
    : Promise.resolve(notGathered("not needed"));
  const mcpGet = Promise.all(
    plan.mcpServers.map(
      async (server): Promise<[string, McpGetFacts]> => [
        server,
        await guarded(`mcp get ${server}`, { exitCode: null, fields: {}, output: "interrupted" }, () =>
          runMcpGet({
            launcher: ctx.launcher,
            project: ctx.project,
            env: envFor(ctx, "mcp"),
            server,
            timeoutMs: ctx.timeoutMs,
            redact: ctx.redact,
          }),
        ),
      ],
    ),
  );
  const [hostSandboxFact, execResult, tuiFact, mcpRuntimeOutcome, mcpGetResults] = await Promise.all([
    hostSandbox,
    exec,
    tui,
    mcpRuntime,
    mcpGet,
  ]);
  return {
    hostSandbox: hostSandboxFact,
    exec: execResult,
    tui: tuiFact,
    mcpRuntime: mcpRuntimeOutcome,
    mcpGet: mcpGetResults,
    started,
  };
}

/** A slot under `--concurrency` (skipped after an interrupt), and a launch tracked under its progress label. */
interface Run {
  slot<T>(fallback: T, task: () => Promise<T>): Promise<T>;
  track<T>(label: string, task: () => Promise<T>): Promise<T>;
}

const notNeeded: McpRuntimeOutcome = { fact: notGathered("not needed"), sessionId: null };

/**
 * The interactive step: the session for `/status` and `/mcp verbose`, and the MCP runtime session, in one
 * `--concurrency` slot (mostly they wait on Codex, not on a core). The runtime session, like exec, starts once the
 * first is ready (`firstReady`, kept once it is ready, or over): two Codex processes starting at once on a Codex
 * home whose databases are new (a first launch, a release with new migrations) race on their migrations, and 0.150
 * then refuses to start one of them ("local database appears to be damaged … failed to migrate queue DB … table
 * queued_thread_revisions already exists", seen with exec and the first session). A session is ready once its
 * composer is drawn, after its databases are set up; its banner comes before that, so the banner is no sign.
 * With `--concurrency 1` the runtime session starts after the first has ended, in the slot. With more, the slot is
 * freed when the first session ends: the short launches queued behind it (the host's sandbox control, `mcp get`)
 * then run while the runtime turn ends, instead of after it (on 2 cores they came last, after the runtime session).
 */
function interactiveLaunches(
  plan: AuditPlan,
  ctx: LaunchContext,
  run: Run,
  interrupted: Fact<never>,
  startAfter: Promise<void> | null,
): {
  tui: Promise<Facts["tui"]>;
  mcpRuntime: Promise<McpRuntimeOutcome>;
  firstReady: Promise<void>;
} {
  const skipped = notGathered("not needed");
  const runtimeFallback = { fact: interrupted, sessionId: null };
  const noRuntime = plan.mcpRuntime ? null : notNeeded;
  const runtime = () => runMcpRuntime(runtimeOptions(ctx, ctx.runtimeServers));
  const start = <T>(launch: () => Promise<T>): Promise<T> =>
    startAfter ? startAfter.then(launch) : launch();
  if (!plan.tui) {
    const mcpRuntime = noRuntime
      ? Promise.resolve(noRuntime)
      : start(() => run.slot(runtimeFallback, () => run.track("mcp runtime", runtime)));
    return { tui: Promise.resolve(skipped), mcpRuntime, firstReady: Promise.resolve() };
  }
  let ready = () => {};
  const isReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  // Set when the slot's task starts; a step interrupted before its slot came keeps the fallback.
  let mcpRuntime: Promise<McpRuntimeOutcome> = Promise.resolve(noRuntime ?? runtimeFallback);
  const tui = start(() =>
    run.slot(interrupted as Facts["tui"], async () => {
      const first = run.track("tui", () => tuiSession(ctx, ready)).finally(ready);
      const inSlot = ctx.concurrency === 1;
      mcpRuntime = noRuntime
        ? Promise.resolve(noRuntime)
        : (inSlot ? first : isReady).then(() =>
            ctx.interrupted() ? runtimeFallback : run.track("mcp runtime", runtime),
          );
      // Handled below, once the first session ended; meanwhile a failure must not count as unhandled.
      mcpRuntime.catch(() => undefined);
      if (inSlot) await mcpRuntime;
      return first;
    }),
  );
  // Also kept when the first session never started (an interrupt before its slot came).
  const firstReady = Promise.race([isReady, tui.then(ready, ready)]);
  return { tui, mcpRuntime: tui.then(() => mcpRuntime), firstReady };
}

function tuiSession(ctx: LaunchContext, ready: () => void): Promise<Facts["tui"]> {
  return runTuiSession({
    launcher: ctx.launcher,
    project: ctx.project,
    env: envFor(ctx, "tui"),
    extraArgs: [...tuiArgs(ctx.project), ...ctx.providerArgs],
    timeoutMs: ctx.timeoutMs,
    expectedServers: [...ctx.expectedServers],
    redact: ctx.redact,
    onStep: (step) => {
      if (step === "ready") ready();
    },
  });
}

function runtimeOptions(ctx: LaunchContext, servers: RuntimeServers): McpRuntimeOptions {
  return {
    launcher: ctx.launcher,
    project: ctx.project,
    env: ctx.shim ? ctx.shim.envFor("mcp-runtime", ctx.env) : ctx.env,
    timeoutMs: ctx.timeoutMs,
    ...servers,
    dir: join(ctx.runDir, "mcp-runtime"),
    redact: ctx.redact,
  };
}
