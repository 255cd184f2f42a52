// Real process trees for the cleanup guard tests (test/guards/processes*.test.ts): each tree carries a variable of
// its own, how a test finds what survived wherever it was reparented, and leaves a watchdog that kills the tree even
// when the test's process is gone.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const TAG = "CODEX_SMOKE_GUARD_TEST";
const started: ChildProcess[] = [];
const tags: string[] = [];
const watchdogs: number[] = [];

/** For afterEach: kills what the test started, whatever carries its tags, and its watchdogs. */
export function killTagged(): void {
  for (const child of started.splice(0)) child.kill("SIGKILL");
  for (const tag of tags.splice(0)) for (const pid of tagged(tag)) signal(pid, "SIGKILL");
  for (const pid of watchdogs.splice(0)) signal(-pid, "SIGKILL");
}

/**
 * Kills whatever still carries `tag` after `seconds`, even when this test's process is gone: under mutation testing
 * a mutant that hangs gets the worker killed before afterEach runs, and a frozen tree would stay stopped forever.
 */
export function watchdog(tag: string, seconds: number): void {
  const kill = `grep -qsxz '${TAG}=${tag}' "$e" && kill -9 "$(basename "$(dirname "$e")")"`;
  const script = `sleep ${seconds}; for e in /proc/[0-9]*/environ; do ${kill}; done`;
  const child = spawn("sh", ["-c", script], { detached: true, stdio: "ignore" });
  child.unref();
  if (child.pid !== undefined) watchdogs.push(child.pid);
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone
  }
}

/** Living (not zombie) processes whose environment carries TAG=`tag`; a zombie's environment is unreadable. */
export function tagged(tag: string): number[] {
  const needle = Buffer.from(`${TAG}=${tag}\0`);
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/environ`).includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Runs `script` under sh, tagged; `detached` makes it the leader of a session of its own (as the pty child is). */
export function start(script: string, tag: string, detached: boolean): ChildProcess {
  tags.push(tag);
  const child = spawn("sh", ["-c", script], {
    env: { ...process.env, [TAG]: tag },
    stdio: ["ignore", "pipe", "ignore"],
    detached,
  });
  started.push(child);
  return child;
}

export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
