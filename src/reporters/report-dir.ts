// The report directory (--out): codex-smoke's own file names in it, and making it safely. Node builtins only:
// an internal error's log is written through this, and that must work wherever the CLI itself loads.
import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";

/** The details of an internal error (exit 4), in the report directory when it is known. */
export const INTERNAL_ERROR_LOG = "codex-smoke.internal-error.log";

/** The in-sandbox runner's own report, kept beside the audit's. */
export const RUNNER_REPORT_FILE = "codex-smoke.runner.json";
/** What a failed interactive check's session showed: as rendered, and as raw bytes. */
export const TUI_SCREEN_FILE = "codex-smoke.tui-screen.txt";
export const TUI_STREAM_FILE = "codex-smoke.tui-stream.log";

/**
 * Makes `dir` one level at a time. A recursive mkdir (Node 20's) spins forever on procfs, where
 * mkdir answers ENOENT for a parent that exists; --out is checked before the audit, and this keeps a late
 * surprise an error instead of a hang.
 */
export async function makeDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let path = dir; ; path = dirname(path)) {
    const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (stats) break;
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
}
