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
import { type McpRuntimeOutcome, type McpTransport, runMcpRuntime } from "../gather/mcp-runtime.js";
import type { Shim } from "../gather/shim.js";
import { runTuiSession, tuiArgs } from "../gather/tui.js";
import type { AuditPlan } from "./plan.js";

export interface LaunchContext {
  launcher: string;
  project: string;
  /** The launch environment (the caller's, or the demo's curated one) with the run's marker variable. */
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
  /** Each expected server's transport, for the MCP runtime session's stand-ins, or why that session cannot run. */
  runtimeServers: Array<{ name: string; transport: McpTransport | null }> | { unavailable: string };
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
  // A launch not started before an interrupt is not started at all.
  const guarded = <T>(label: string, fallback: T, task: () => Promise<T>) =>
    limit(() => {
      if (ctx.interrupted()) return Promise.resolve(fallback);
      started.add(label);
      return tracked(ctx.onProgress, label, task);
    });
  const interruptedFact = notGathered(`interrupted before it was gathered`);

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
  const exec = plan.exec
    ? guarded("exec", null, () =>
        launch(ctx.launcher, appendedExecArgs(ctx), {
          cwd: ctx.project,
          env: envFor(ctx, "exec"),
          timeoutMs: ctx.timeoutMs,
        }),
      )
    : Promise.resolve(null);
  const { tui, ready } = tuiLaunch(plan, ctx, guarded, interruptedFact);
  // Two sessions starting at once on a Codex home whose state database is new (a first launch, a release with new
  // migrations) race on its migration: 0.150 then refuses to start one of them ("local database appears to be
  // damaged"). The second session starts once the first is ready, its database set up.
  const mcpRuntime = ready.then(() => runtimeLaunch(plan, ctx, guarded, interruptedFact));
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

type Guarded = <T>(label: string, fallback: T, task: () => Promise<T>) => Promise<T>;

/** The interactive session, and a promise kept once it is ready (or over, or not run). */
function tuiLaunch(
  plan: AuditPlan,
  ctx: LaunchContext,
  guarded: Guarded,
  interrupted: Fact<never>,
): { tui: Promise<Facts["tui"]>; ready: Promise<void> } {
  if (!plan.tui) return { tui: Promise.resolve(notGathered("not needed")), ready: Promise.resolve() };
  let isReady = () => {};
  const ready = new Promise<void>((resolve) => {
    isReady = resolve;
  });
  const tui = guarded("tui", interrupted, () =>
    runTuiSession({
      launcher: ctx.launcher,
      project: ctx.project,
      env: envFor(ctx, "tui"),
      extraArgs: [...tuiArgs(ctx.project), ...ctx.providerArgs],
      timeoutMs: ctx.timeoutMs,
      expectedServers: [...ctx.expectedServers],
      redact: ctx.redact,
      onStep: (step) => {
        if (step === "ready") isReady();
      },
    }),
  ).finally(isReady);
  return { tui, ready };
}

/** The MCP runtime session, when the plan asks for it and the mock agent can drive its turn. */
function runtimeLaunch(
  plan: AuditPlan,
  ctx: LaunchContext,
  guarded: Guarded,
  interrupted: Fact<never>,
): Promise<McpRuntimeOutcome> {
  const servers = ctx.runtimeServers;
  if (!plan.mcpRuntime) return Promise.resolve({ fact: notGathered("not needed"), sessionId: null });
  if (!Array.isArray(servers))
    return Promise.resolve({ fact: notGathered(servers.unavailable), sessionId: null });
  return guarded("mcp runtime", { fact: interrupted, sessionId: null }, () =>
    runMcpRuntime({
      launcher: ctx.launcher,
      project: ctx.project,
      env: ctx.shim ? ctx.shim.envFor("mcp-runtime", ctx.env) : ctx.env,
      timeoutMs: ctx.timeoutMs,
      servers,
      dir: join(ctx.runDir, "mcp-runtime"),
      redact: ctx.redact,
    }),
  );
}
