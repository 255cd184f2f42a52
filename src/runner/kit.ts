// Small tools every probe family shares: attempt an operation and record what happened (failures are data),
// and run a process with a hard deadline.
import { spawn } from "node:child_process";
import type { ProbeResult } from "./types.js";

const DETAIL_MAX = 200;

export function firstLine(text: string): string {
  return (text.split("\n").find((line) => line.trim() !== "") ?? "").trim().slice(0, DETAIL_MAX);
}

export function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown } | null;
  if (typeof e?.code === "string") return e.code;
  return typeof e?.name === "string" ? e.name : "ERROR";
}

export function failed(error: unknown): ProbeResult {
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, code: errorCode(error), detail: firstLine(message) };
}

export function attempt(operation: () => void): ProbeResult {
  try {
    operation();
    return { ok: true };
  } catch (error) {
    return failed(error);
  }
}

export const SKIPPED: ProbeResult = { ok: false, code: "SKIPPED" };

export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not start (ENOENT) or was killed at the deadline (TIMEOUT). */
  error?: string;
}

/**
 * Async spawn with stdin ignored (spawnSync's piped stdin fails with EPERM under the network-off seccomp filter);
 * the child is killed at the deadline.
 */
export function runProcess(
  command: string,
  args: string[],
  opts: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<ProcessResult> {
  return new Promise((done) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      done({ exitCode: null, stdout, stderr, error: errorCode(error) });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ exitCode: code, stdout, stderr, ...(timedOut ? { error: "TIMEOUT" } : {}) });
    });
  });
}
