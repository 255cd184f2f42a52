// Runs a program to its end and keeps what it printed: node's spawn with the few things codex-smoke needs from it
// (the environment given whole or on top of this process's, stdin closed, a cap on what is kept, a time limit).
// execa did this before; its ~140 modules took ~85 ms to load ahead of every audit's first launch.
import { spawn } from "node:child_process";

export interface CommandOptions {
  cwd?: string;
  /** Laid over this process's environment (an undefined value unsets the variable), or, with `exactEnv`, all of it. */
  env?: Record<string, string | undefined>;
  exactEnv?: boolean;
  /** In a process group of its own, which the caller kills. */
  detached?: boolean;
  /** Killed (SIGKILL) once this has passed; `timedOut` then says so. */
  timeoutMs?: number;
  /** Bytes kept of stdout and of stderr each; the rest is read and dropped. */
  maxBuffer?: number;
}

export interface CommandResult {
  /** Null when a signal ended it, or when it never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why it could not start (`ENOENT: spawn /x ENOENT`), else null. */
  spawnError: string | null;
}

export interface RunningCommand {
  /** Undefined when it could not start. */
  pid: number | undefined;
  kill(signal: NodeJS.Signals): void;
  result: Promise<CommandResult>;
}

const DEFAULT_MAX_BUFFER = 16 * 1024 * 1024;

/** Collects a stream's bytes up to `max`; the rest is read and dropped, so the writer never blocks. */
function collector(max: number) {
  const chunks: Buffer[] = [];
  let kept = 0;
  return {
    add(chunk: Buffer) {
      const part = chunk.subarray(0, max - kept);
      chunks.push(part);
      kept += part.length;
    },
    text: () => Buffer.concat(chunks).toString("utf8"),
  };
}

export function startCommand(
  file: string,
  args: readonly string[],
  opts: CommandOptions = {},
): RunningCommand {
  const env = opts.exactEnv ? opts.env : { ...process.env, ...opts.env };
  const child = spawn(file, args, {
    cwd: opts.cwd,
    env,
    detached: opts.detached,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const max = opts.maxBuffer ?? DEFAULT_MAX_BUFFER;
  const stdout = collector(max);
  const stderr = collector(max);
  child.stdout.on("data", stdout.add);
  child.stderr.on("data", stderr.add);
  let timedOut = false;
  const timer =
    opts.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          child.kill("SIGKILL");
        }, opts.timeoutMs);
  const result = new Promise<CommandResult>((resolve) => {
    const settle = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError: string | null) => {
      clearTimeout(timer);
      resolve({
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut,
        spawnError,
      });
    };
    // A process that cannot start emits `error` (and no exit code); one that started ends with `close`, once its
    // output is read to the end.
    child.once("error", (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) settle(null, null, `${error.code ?? "ERROR"}: ${error.message}`);
    });
    child.once("close", (code, signal) => {
      if (child.pid !== undefined) settle(code, signal, null);
    });
  });
  return { pid: child.pid, kill: (signal) => child.kill(signal), result };
}

export function runCommand(
  file: string,
  args: readonly string[],
  opts: CommandOptions = {},
): Promise<CommandResult> {
  return startCommand(file, args, opts).result;
}
