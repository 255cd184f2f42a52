// The report directory (--out): codex-smoke's own file names in it, and opening it safely. Node builtins only:
// an internal error's log is written through this, and that must work wherever the CLI itself loads.
import { SafeDir } from "../core/safe-dir.js";

/** The details of an internal error (exit 4), in the report directory when it is known. */
export const INTERNAL_ERROR_LOG = "codex-smoke.internal-error.log";

/** The in-sandbox runner's own report, kept beside the audit's. */
export const RUNNER_REPORT_FILE = "codex-smoke.runner.json";
/** What a failed interactive check's session showed: as rendered, and as raw bytes. */
export const TUI_SCREEN_FILE = "codex-smoke.tui-screen.txt";
export const TUI_STREAM_FILE = "codex-smoke.tui-stream.log";

/**
 * Opens `dir` (absolute; made one level at a time when missing) without following a symlink in any component
 * (decisions §27: `--out` may lie in the project the agent shapes). `--out` was resolved to its real path before
 * the audit, so a symlink found now was put there meanwhile. One level at a time also keeps procfs, where mkdir
 * answers ENOENT for a parent that exists, an error instead of the endless loop of Node 20's recursive mkdir.
 */
export function openReportDir(dir: string): SafeDir {
  return SafeDir.open(dir, { create: true });
}
