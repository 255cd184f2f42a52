// What an agent does in a live session, for the integration tests of the live-session flow and of the launcher's
// integrity: commands inside the sandbox through the user's launcher, the staged runner inside or on the host, and
// `probe --stage` / `run --probe-report` around them.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import type { ReferenceSetup } from "../../src/demo/reference-setup.js";
import { type AuditRun, loopbackRegistry, runCli } from "./audit.js";

const run = promisify(execFile);

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** The exit code when it was not 0. */
  code?: number;
}

const settled = (pending: Promise<{ stdout: string; stderr: string }>): Promise<CommandResult> =>
  pending.catch((error: CommandResult) => error);

/** A command inside the sandbox, as the agent of a `./codex-auto` session runs it. */
export function inSandbox(
  setup: ReferenceSetup,
  command: string[],
  env: Record<string, string> = {},
): Promise<CommandResult> {
  const args = ["sandbox", "-P", setup.profileName, "-C", setup.project, "--", ...command];
  return settled(run(setup.launcher, args, { cwd: setup.project, env: { ...setup.env, ...env } }));
}

/** `probe --stage` in the project, as the README says; the staged input and the report `run` is given. */
export async function stage(setup: ReferenceSetup): Promise<{ input: string; report: string }> {
  const staged = await runCli(["probe", "--stage", "--registry", await loopbackRegistry()], {
    env: setup.env,
    cwd: setup.project,
  });
  expect(staged.exitCode, staged.stderr).toBe(0);
  const dir = join(setup.project, ".codex-smoke");
  return { input: join(dir, "input.json"), report: join(dir, "report.local.json") };
}

/** The runner's two commands as `probe --stage` printed them, inside the session's sandbox. */
export async function runnerInside(setup: ReferenceSetup, env: Record<string, string> = {}): Promise<void> {
  for (const part of ["local", "net"]) {
    const result = await inSandbox(
      setup,
      ["node", ".codex-smoke/runner.mjs", ".codex-smoke/input.json", part],
      env,
    );
    expect(result.stdout, result.stderr).toContain("report=written");
  }
}

/** The same command on the host (a `!` command in the TUI), with the runner's arguments after the input. */
export function runnerOnHost(setup: ReferenceSetup, ...args: string[]): Promise<CommandResult> {
  return settled(
    run(process.execPath, [".codex-smoke/runner.mjs", ".codex-smoke/input.json", ...args], {
      cwd: setup.project,
      env: setup.env,
    }),
  );
}

export const gitHead = async (project: string) =>
  (await run("git", ["rev-parse", "HEAD"], { cwd: project })).stdout;

/** The whole observed line of a result. */
export const observedOf = (result: AuditRun, id: string) =>
  result.report?.results.find((r) => r.id === id)?.observed;

/** Every result in one line each, for an assertion's message. */
export function describeRun(result: AuditRun): string {
  return (
    (result.report?.results ?? []).map((r) => `${r.id}=${r.status}: ${r.observed}`).join("\n") ||
    result.stderr
  );
}
