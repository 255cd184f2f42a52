// Phase 4: every Codex launch the plan asks for, through the user's launcher, concurrently (bounded by
// --concurrency): the host's own `codex sandbox` control, one `exec` whose agent runs the runner, one interactive
// session, and `mcp get` per server. Each returns its raw outcome; turning outcomes into facts is the next phase.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type OnProgress, tracked } from "../commands/progress.js";
import type { Facts, LaunchKind, McpGetFacts } from "../core/model.js";
import { notGathered } from "../core/model.js";
import { probeHostSandbox } from "../gather/host-sandbox.js";
import { type LaunchResult, launch } from "../gather/launch.js";
import { runMcpGet } from "../gather/mcp-get.js";
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
  redact: (text: string) => string;
  interrupted: () => NodeJS.Signals | null;
  onProgress: OnProgress | undefined;
}

export interface Launched {
  hostSandbox: Facts["hostSandbox"];
  exec: LaunchResult | null;
  tui: Facts["tui"];
  mcpGet: Array<[string, McpGetFacts]>;
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
  // A launch not started before an interrupt is not started at all.
  const guarded = <T>(label: string, fallback: T, task: () => Promise<T>) =>
    limit(() => (ctx.interrupted() ? Promise.resolve(fallback) : tracked(ctx.onProgress, label, task)));
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
  const tui: Promise<Facts["tui"]> = plan.tui
    ? guarded("tui", interruptedFact, () =>
        runTuiSession({
          launcher: ctx.launcher,
          project: ctx.project,
          env: envFor(ctx, "tui"),
          extraArgs: [...tuiArgs(ctx.project), ...ctx.providerArgs],
          timeoutMs: ctx.timeoutMs,
          expectedServers: [...ctx.expectedServers],
          redact: ctx.redact,
        }),
      )
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
  const [hostSandboxFact, execResult, tuiFact, mcpGetResults] = await Promise.all([
    hostSandbox,
    exec,
    tui,
    mcpGet,
  ]);
  return { hostSandbox: hostSandboxFact, exec: execResult, tui: tuiFact, mcpGet: mcpGetResults };
}
