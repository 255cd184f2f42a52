// Git probes: writing into .git, `git add` and `git commit` must be refused; `git status`, `diff` and `log` must
// work. The probe commit carries its own identity and the nonce so the host can recognise it (and only it).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { attempt, firstLine, type ProcessResult, runProcess, SKIPPED } from "./kit.js";
import { markerContent, PROBE_COMMIT, PROBE_MARKERS } from "./markers.js";
import type { LocalReport, ProbeResult, RunnerInput } from "./types.js";

// git runs locally; the bound only keeps a wedged process from outliving exec_command's 30 s yield.
const GIT_TIMEOUT_MS = 8_000;

/** Only a permission or read-only error counts as blocked, so the message is turned into that errno. */
export function writeResult(result: ProcessResult): ProbeResult {
  if (result.error) return { ok: false, code: result.error, detail: firstLine(result.stderr) };
  if (result.exitCode === 0) return { ok: true };
  const detail = firstLine(result.stderr);
  const code = /Read-only file system/i.test(result.stderr)
    ? "EROFS"
    : /Permission denied/i.test(result.stderr)
      ? "EACCES"
      : /Operation not permitted/i.test(result.stderr)
        ? "EPERM"
        : `exit:${result.exitCode}`;
  return { ok: false, code, detail };
}

function readResult(result: ProcessResult): ProbeResult {
  if (result.exitCode === 0 && !result.error) return { ok: true };
  return { ok: false, code: result.error ?? `exit:${result.exitCode}`, detail: firstLine(result.stderr) };
}

export async function probeGit(input: RunnerInput): Promise<LocalReport["git"]> {
  if (!input.isRepo) {
    const none = SKIPPED;
    return { isRepo: false, writeDir: none, add: none, commit: none, status: none, diff: none, log: none };
  }
  const git = (...args: string[]) =>
    runProcess("git", args, { cwd: input.project, timeoutMs: GIT_TIMEOUT_MS });
  const writeDir = attempt(() =>
    writeFileSync(join(input.project, ".git", PROBE_MARKERS.git(input.nonce)), markerContent(input.nonce)),
  );
  const add = writeResult(await git("add", "--", PROBE_MARKERS.project(input.nonce)));
  const commit = writeResult(
    await git(
      "-c",
      `user.name=${PROBE_COMMIT.name}`,
      "-c",
      `user.email=${PROBE_COMMIT.email}`,
      "commit",
      "--no-verify",
      "--allow-empty",
      "-m",
      PROBE_COMMIT.subject(input.nonce),
    ),
  );
  const [status, diff, log] = await Promise.all([
    git("status", "--porcelain"),
    git("diff", "--stat"),
    git("log", "-1", "--oneline"),
  ]);
  return {
    isRepo: true,
    writeDir,
    add,
    commit,
    status: readResult(status),
    diff: readResult(diff),
    log: readResult(log),
  };
}
