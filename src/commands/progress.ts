// Progress of the Codex launches while an audit runs. The audit emits events; the CLI shows them: a live line per
// running launch on a terminal (yocto-spinner), plain lines in CI and when piped, nothing with --quiet.
// Everything goes to stderr: stdout is for the report (a `--format json` run's output can be piped as it is).
import type { Writable } from "node:stream";
import { terminalSafeLine } from "../core/terminal-safe.js";

/** A Codex launch of the audit, named as users know it: `exec`, `tui`, `mcp get <server>`, `sandbox`. */
export type ProgressEvent =
  | { type: "start"; launch: string }
  | { type: "done"; launch: string; durationMs: number; ok: boolean };

export type OnProgress = (event: ProgressEvent) => void;

/** Runs `task`, reporting its start and end as `launch`; an exception ends it with `ok: false` and is re-thrown. */
export async function tracked<T>(onProgress: OnProgress | undefined, launch: string, task: () => Promise<T>) {
  const started = performance.now();
  onProgress?.({ type: "start", launch });
  let ok = false;
  try {
    const result: T = await task();
    ok = true;
    return result;
  } finally {
    onProgress?.({ type: "done", launch, ok, durationMs: Math.round(performance.now() - started) });
  }
}

export type ProgressMode = "live" | "plain" | "off";

/** Live only on an interactive terminal: stderr a TTY, not CI, not `TERM=dumb`, and colour allowed (NO_COLOR). */
export function progressMode(opts: { quiet: boolean; env: NodeJS.ProcessEnv; isTTY: boolean }): ProgressMode {
  if (opts.quiet) return "off";
  const { env } = opts;
  const interactive = opts.isTTY && !("CI" in env) && env.TERM !== "dumb" && !("NO_COLOR" in env);
  return interactive ? "live" : "plain";
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** `exec done in 8.2s` / `tui failed after 3.0s` (the launch itself threw; its checks say why). */
function doneText(event: Extract<ProgressEvent, { type: "done" }>): string {
  return `${event.launch} ${event.ok ? "done in" : "failed after"} ${seconds(event.durationMs)}`;
}

export interface ProgressView {
  onProgress: OnProgress;
  /** Stops any live line (idempotent); called when the audit is over, however it ended. */
  close(): void;
}

/** One plain line per event: readable in a CI log and in a file. */
export function plainProgress(stream: Writable): ProgressView {
  return {
    onProgress: (event) => {
      stream.write(`[progress] ${event.type === "start" ? `${event.launch} started` : doneText(event)}\n`);
    },
    close: () => {},
  };
}

/** A spinner over one live line per running launch; a finished launch leaves a ✔/✖ line above it. */
async function liveProgress(stream: NodeJS.WriteStream): Promise<ProgressView> {
  const { default: yoctoSpinner } = await import("yocto-spinner");
  // The audit handles SIGINT/SIGTERM itself (cleanup, then exit 130/143): the spinner must not exit first.
  const spinner = yoctoSpinner({ stream, handleSignals: false });
  const running = new Map<string, number>();
  const text = () =>
    [...running]
      .map(([launch, started], i) => `${i === 0 ? "" : "  "}${launch} ${seconds(Date.now() - started)}`)
      .join("\n");
  const ticker = setInterval(() => {
    if (spinner.isSpinning) spinner.text = text();
  }, 1000);
  ticker.unref();
  const close = () => {
    clearInterval(ticker);
    spinner.stop();
  };
  // A signal ends the process from the audit's handler: put the cursor back on the way out.
  process.once("exit", close);
  return {
    onProgress: (event) => {
      if (event.type === "start") {
        running.set(event.launch, Date.now());
        if (spinner.isSpinning) spinner.text = text();
        else spinner.start(text());
        return;
      }
      running.delete(event.launch);
      // Written through the stream the spinner hooks: it clears its lines, prints this one, and redraws.
      stream.write(`${event.ok ? "✔" : "✖"} ${doneText(event)}\n`);
      if (running.size === 0) spinner.stop();
      else spinner.text = text();
    },
    close,
  };
}

export async function progressView(
  mode: ProgressMode,
  stream: NodeJS.WriteStream,
): Promise<ProgressView | null> {
  if (mode === "off") return null;
  const view = mode === "live" ? await liveProgress(stream) : plainProgress(stream);
  // A launch is named after input too (`mcp get <server>` from --expect): shown escaped (decisions §28).
  return {
    ...view,
    onProgress: (event) => view.onProgress({ ...event, launch: terminalSafeLine(event.launch) }),
  };
}
