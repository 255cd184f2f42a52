// One way to run a Codex launch through the user's launcher: own process group, closed stdin, a hard timeout
// that kills the whole group (bwrap's fs helpers ignore SIGTERM, lab §8.3), and the group reaped after exit too.
import { execa } from "execa";
import { killGroup, LaunchedTree } from "../core/processes.js";

export interface LaunchResult {
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Set when the launcher could not be started at all (ENOENT, EACCES). */
  spawnError: string | null;
}

export async function launch(
  file: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<LaunchResult> {
  const started = performance.now();
  const child = execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: false,
    stdin: "ignore",
    detached: true,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 16 * 1024 * 1024,
  });
  const tree = child.pid === undefined ? null : new LaunchedTree(child.pid);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (tree) killGroup(tree.leader);
  }, opts.timeoutMs);
  const result = await child;
  clearTimeout(timer);
  await tree?.kill();
  const spawnError =
    result.failed && result.exitCode === undefined && !timedOut && "code" in result && result.code
      ? `${result.code}: ${result.shortMessage}`
      : null;
  return {
    exitCode: result.exitCode ?? null,
    timedOut,
    stdout: String(result.stdout ?? ""),
    stderr: String(result.stderr ?? ""),
    durationMs: Math.round(performance.now() - started),
    spawnError,
  };
}
