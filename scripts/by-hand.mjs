// The by-hand floor of `npm run bench`: one interactive session through the reference setup's launcher, driven
// the way a person does it and the way issue 23 measured it (the tmux recipe of the TUI lab): start, wait for the
// banner and the ready footer, give MCP startup 1.5 s, type `/status`, wait until the composer shows it, pause
// 0.3 s, Enter, wait for the card; the same for `/mcp verbose` (and 1 s to read it), then `/quit` and wait for
// the exit. The screen is polled every 50 ms, as the recipe polls tmux. It uses the project's own parts (the
// reference setup, the mock model, the TUI's arguments, the screen renderer), so both sides of the ratio run the
// same Codex on the same machine in the same run.
import xterm from "@xterm/headless";
import pty from "node-pty";
import { startMockResponses } from "../dist/src/agent/mock-responses.js";
import { demoCodex } from "../dist/src/codex/locate.js";
import { LaunchedTree } from "../dist/src/core/processes.js";
import { buildReferenceSetup } from "../dist/src/demo/reference-setup.js";
import { renderScreen, tuiArgs } from "../dist/src/gather/tui.js";

const POLL_MS = 50;
const MCP_STARTUP_PAUSE_MS = 1_500;
const PRE_ENTER_MS = 300;
const READ_MCP_MS = 1_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the session and returns its waits and keys; `close` kills its whole tree whatever state it is in. */
function session(setup, providerArgs) {
  const term = new xterm.Terminal({ cols: 120, rows: 50, allowProposedApi: true, scrollback: 10_000 });
  const child = pty.spawn(setup.launcher, [...tuiArgs(setup.project), ...providerArgs], {
    name: "xterm-256color",
    cols: 120,
    rows: 50,
    cwd: setup.project,
    env: { ...setup.env, TERM: "xterm-256color" },
  });
  // Codex's sandbox helpers can outlive it, reparented to init (1 session in 6 left a bwrap behind): the session's
  // tree is tracked and killed at the end, as the audit kills its own.
  const tree = new LaunchedTree(child.pid);
  let exited = false;
  child.onData((data) => term.write(data));
  child.onExit(() => {
    exited = true;
  });
  const screen = () => new Promise((resolve) => term.write("", () => resolve(renderScreen(term))));
  const waitFor = async (pattern, seconds) => {
    const until = Date.now() + seconds * 1000;
    while (!pattern.test(await screen())) {
      if (Date.now() > until) throw new Error(`by hand: timed out waiting for ${pattern}`);
      await sleep(POLL_MS);
    }
  };
  const type = async (text) => {
    child.write(text);
    await waitFor(new RegExp(`^[›!] .*${text}$`, "m"), 5);
    await sleep(PRE_ENTER_MS);
    child.write("\r");
  };
  const waitForExit = async (seconds) => {
    const until = Date.now() + seconds * 1000;
    while (!exited) {
      if (Date.now() > until) throw new Error("by hand: /quit did not end the session");
      await sleep(POLL_MS);
    }
  };
  const close = async () => {
    await tree.kill();
    term.dispose();
  };
  return { waitFor, type, waitForExit, close };
}

/** One by-hand session, timed from the launcher's start to its exit; the setup is built before the clock starts. */
export async function byHandSeconds() {
  const codex = demoCodex(undefined);
  const setup = await buildReferenceSetup({ codex });
  const model = await startMockResponses({ commands: [] });
  const started = performance.now();
  const tui = session(setup, model.providerOverrides());
  try {
    await tui.waitFor(/OpenAI Codex \(v/, 20);
    await tui.waitFor(/← for agents/, 10);
    await sleep(MCP_STARTUP_PAUSE_MS);
    await tui.type("/status");
    await tui.waitFor(/^\s*Limits:/m, 10);
    await tui.type("/mcp verbose");
    await tui.waitFor(/Resource templates/, 15);
    await sleep(READ_MCP_MS);
    await tui.type("/quit");
    await tui.waitForExit(10);
    return (performance.now() - started) / 1000;
  } finally {
    await tui.close();
    await model.close();
    await setup.dispose();
  }
}
