import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { type ProgressEvent, plainProgress, progressMode, tracked } from "../src/commands/progress.js";
import type { ReferenceSetup } from "../src/demo/reference-setup.js";
import { CLI, loopbackRegistry, runArgs, runCli, withSetup } from "./helpers/audit.js";

/** Runs the CLI on a pseudo-terminal (stdout and stderr a TTY) and returns everything it drew. */
async function onTerminal(args: string[], env: Record<string, string>, cwd: string) {
  const pty = await import("node-pty");
  const child = pty.spawn(process.execPath, [CLI, ...args], { cols: 120, rows: 40, cwd, env });
  let output = "";
  child.onData((data) => {
    output += data;
  });
  const exitCode = await new Promise<number>((resolve) => child.onExit((e) => resolve(e.exitCode)));
  return { output, exitCode };
}

const terminalEnv = (setup: ReferenceSetup, extra: Record<string, string> = {}) => {
  const { CI: _ci, NO_COLOR: _noColor, ...env } = setup.env;
  return { ...env, TERM: "xterm-256color", ...extra };
};

describe("tracked: the audit's hook around each launch", () => {
  it("reports start, then done with ok and the duration; a throwing launch is done with ok false", async () => {
    const events: ProgressEvent[] = [];
    const onProgress = (event: ProgressEvent) => events.push(event);
    expect(await tracked(onProgress, "exec", async () => 42)).toBe(42);
    await expect(
      tracked(onProgress, "tui", async () => {
        throw new Error("pty gone");
      }),
    ).rejects.toThrow("pty gone");
    expect(
      events.map((e) => (e.type === "start" ? `start ${e.launch}` : `done ${e.launch} ${e.ok}`)),
    ).toEqual(["start exec", "done exec true", "start tui", "done tui false"]);
    await expect(tracked(undefined, "sandbox", async () => "no listener")).resolves.toBe("no listener");
  });

  it("plain lines name the launch and its duration", () => {
    let written = "";
    const view = plainProgress({
      write: (chunk: string) => (written += chunk),
    } as unknown as NodeJS.WriteStream);
    view.onProgress({ type: "start", launch: "mcp get playwright" });
    view.onProgress({ type: "done", launch: "mcp get playwright", ok: true, durationMs: 8249 });
    view.onProgress({ type: "done", launch: "tui", ok: false, durationMs: 3000 });
    expect(written).toBe(
      "[progress] mcp get playwright started\n[progress] mcp get playwright done in 8.2s\n[progress] tui failed after 3.0s\n",
    );
  });

  it.each([
    [{ quiet: false, env: {}, isTTY: true }, "live"],
    [{ quiet: true, env: {}, isTTY: true }, "off"],
    [{ quiet: true, env: {}, isTTY: false }, "off"],
    [{ quiet: false, env: {}, isTTY: false }, "plain"],
    [{ quiet: false, env: { CI: "true" }, isTTY: true }, "plain"],
    [{ quiet: false, env: { CI: "" }, isTTY: true }, "plain"],
    [{ quiet: false, env: { NO_COLOR: "1" }, isTTY: true }, "plain"],
    [{ quiet: false, env: { TERM: "dumb" }, isTTY: true }, "plain"],
  ])("progressMode(%j) is %s", (opts, mode) => {
    expect(progressMode(opts)).toBe(mode);
  });
});

describe.concurrent("progress of a real audit", () => {
  it("piped: a start and a done line for every launch (sandbox, exec, tui, mcp get <server>) on stderr; stdout stays empty with --format json", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const only = "host.sandbox,banner.sandbox,tui.permissions,mcp.approval";
        const registry = await loopbackRegistry();
        const run = await runCli(runArgs(setup, "--only", only, "--registry", registry, "--format", "json"), {
          env: setup.env,
          cwd: setup.root,
        });
        expect(run.stdout).toBe("");
        const lines = run.stderr.split("\n").filter(Boolean);
        const launches = ["sandbox", "exec", "tui", "mcp get playwright", "mcp get openaiDeveloperDocs"];
        for (const launch of launches) {
          expect(lines).toContain(`[progress] ${launch} started`);
          expect(lines.filter((l) => l.startsWith(`[progress] ${launch} done in `))).toHaveLength(1);
        }
        expect(lines).toHaveLength(2 * launches.length + 1);
        // Slots go in order of asking: the interactive step (the longer) takes the one the sandbox frees.
        expect(lines.indexOf("[progress] tui started")).toBeLessThan(
          lines.indexOf("[progress] mcp get playwright started"),
        );
        expect(lines.at(-1)).toBe(
          `codex-smoke: 4 passed, ${checks.length - 4} skipped; report: reports/codex-smoke.json`,
        );
      },
    );
  });

  it("on a terminal: a spinner line per running launch, a ✔ line when it ends, the cursor shown again", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const run = await onTerminal(
          runArgs(setup, "--only", "host.sandbox"),
          terminalEnv(setup),
          setup.root,
        );
        expect(run.exitCode).toBe(0);
        expect(run.output).toMatch(/⠋[^\n]* sandbox \d+\.\ds/);
        expect(run.output).toMatch(/✔[^\n]* sandbox done in \d+\.\ds\r?\n/);
        expect(run.output).not.toContain("[progress]");
        expect(run.output).toContain("\x1b[?25l");
        expect(run.output.lastIndexOf("\x1b[?25h")).toBeGreaterThan(run.output.lastIndexOf("\x1b[?25l"));
      },
    );
  });

  it.each([
    ["CI", { CI: "true" }],
    ["NO_COLOR", { NO_COLOR: "1" }],
  ])("on a terminal with %s: plain lines, no spinner", async (_name, extra) => {
    await withSetup(
      () => {},
      async (setup) => {
        const run = await onTerminal(
          runArgs(setup, "--only", "host.sandbox"),
          terminalEnv(setup, extra),
          setup.root,
        );
        expect(run.exitCode).toBe(0);
        expect(run.output).toContain("[progress] sandbox started\r\n");
        expect(run.output).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
        expect(run.output).not.toContain("\x1b[?25l");
      },
    );
  });

  it("on a terminal with --quiet: only the outcome line", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const run = await onTerminal(
          runArgs(setup, "--only", "host.sandbox", "--quiet"),
          terminalEnv(setup),
          setup.root,
        );
        expect(run.exitCode).toBe(0);
        expect(run.output).toBe(
          `codex-smoke: 1 passed, ${checks.length - 1} skipped; report: reports/codex-smoke.json\r\n`,
        );
      },
    );
  });
});
