// One way to run a Codex launch through the user's launcher: own process group, closed stdin, a hard timeout
// that kills the whole group (bwrap's fs helpers ignore SIGTERM, lab §8.3), and the group reaped after exit too.
import { killGroup, LaunchedTree } from "../core/processes.js";
import { startCommand } from "../util/command.js";

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
  const child = startCommand(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    exactEnv: true,
    detached: true,
  });
  const tree = child.pid === undefined ? null : new LaunchedTree(child.pid);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (tree) killGroup(tree.leader);
  }, opts.timeoutMs);
  const result = await child.result;
  clearTimeout(timer);
  await tree?.kill();
  return {
    exitCode: result.exitCode,
    timedOut,
    stdout: result.stdout,
    stderr: result.stderr,
    durationMs: Math.round(performance.now() - started),
    spawnError: result.spawnError,
  };
}
