// Drives one interactive Codex session through the user's launcher in a pseudo-terminal we own (so it works
// without a TTY and on CI): ready → `/status` → `/mcp verbose` → (warnings overlay if a server is down) → `/quit`.
// Bytes go into a headless xterm; every wait reads the rendered screen, never the byte stream, because the TUI
// redraws with cursor moves that strip-ansi cannot turn back into text (codex-tui-lab.md §8).
import xterm from "@xterm/headless";
import type { Fact, McpServerStatus, TuiFacts } from "../model.js";
import { gathered, notGathered } from "../model.js";
import { killSession } from "../processes.js";
import {
  mcpBlock,
  mcpVerboseComplete,
  parseMcpVerbose,
  parseStatusPermissions,
  parseWarnings,
  statusCard,
  warningsPage,
} from "./tui-screens.js";

export interface TuiSessionOptions {
  launcher: string;
  project: string;
  /** The complete environment of the launch (the marker variable included). */
  env: Record<string, string>;
  /** Appended through the launcher: `--no-alt-screen`, the trust inline table, the mock provider's `-c`s. */
  extraArgs: string[];
  timeoutMs: number;
  expectedServers: string[];
  redact: (text: string) => string;
  /** Called when a step is reached (`ready`, `status`, `mcp`, `warnings`, `exit`), with ms since spawn. */
  onStep?: (step: TuiStep, atMs: number) => void;
}

export type TuiStep = "ready" | "status" | "mcp" | "warnings" | "exit";

/**
 * Arguments that make the TUI usable by a harness without writing config: history as plain lines
 * (`--no-alt-screen`), and the project trusted for this launch only. Only the inline-table form of the trust
 * override works (`projects."<dir>".trust_level` still prompts); a JSON string is a valid TOML basic string.
 */
export function tuiArgs(project: string): string[] {
  return ["--no-alt-screen", "-c", `projects={${JSON.stringify(project)}={trust_level="trusted"}}`];
}

const COLS = 200;
const ROWS = 50;
const POLL_MS = 25;
/** Enter closer than ~90 ms to the text is taken for a paste and dropped (lab §5.1). */
const PRE_ENTER_MS = 150;
/** The raw stream kept as evidence is capped: a healthy session writes well under 1 MB. */
const RAW_STREAM_LIMIT = 4 * 1024 * 1024;

/** After the footer is drawn, MCP startup announces itself (OSC 7501 `working`) within this time, or not at all. */
const STARTUP_SIGNAL_MS = 3_000;
/** How long a complete `/mcp verbose` block must stay unchanged when an expected server is not in it. */
const UNLISTED_SERVER_GRACE_MS = 1_000;
const EXIT_DRAIN_MS = 200;

const KEY_ENTER = "\r";
/** Opens the warnings overlay (the footer says `⚠ N warnings · f2 to view` when there are any). */
const KEY_F2 = "\x1bOQ";
const KEY_RIGHT = "\x1b[C";
const KEY_ESC = "\x1b";

/** Screens that wait for a human; the harness must never answer them. */
const BLOCKERS: Array<[RegExp, string]> = [
  [
    /Trust this folder\?/,
    "the TUI asked to trust the project; the harness never answers it (pass the trust inline table through the launcher)",
  ],
  [
    /Sign in with ChatGPT|Welcome to Codex, OpenAI's command-line coding agent/,
    "the TUI showed the login/onboarding screen: the configured model provider needs authentication",
  ],
  [/Continue anyway\? \[y\/N\]/, "the TUI asked whether to continue in this terminal (TERM)"],
];

class Stop extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runTuiSession(opts: TuiSessionOptions): Promise<Fact<TuiFacts>> {
  const pty = await import("node-pty");
  const term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true, scrollback: 10_000 });
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const deadline = started + opts.timeoutMs;

  const child = pty.spawn(opts.launcher, opts.extraArgs, {
    name: "xterm-256color",
    cols: COLS,
    rows: ROWS,
    cwd: opts.project,
    env: { ...opts.env, TERM: "xterm-256color" },
  });
  let exit: { code: number } | null = null;
  // OSC 7501 `state=working|idle|…` is Codex's own busy signal; strip-ansi would drop it, so it is read raw.
  // A sequence may be split across chunks: the unmatched tail is kept for the next one.
  const states: string[] = [];
  let oscTail = "";
  let raw = "";
  child.onData((data) => {
    term.write(data);
    if (raw.length < RAW_STREAM_LIMIT) raw += data;
    const text = oscTail + data;
    let consumed = 0;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: an OSC sequence is made of control characters
    for (const match of text.matchAll(/\x1b\]7501;state=(\w+)[^\x07\x1b]*(?:\x07|\x1b\\)/g)) {
      states.push(match[1] ?? "");
      consumed = (match.index ?? 0) + match[0].length;
    }
    oscTail = text.slice(Math.max(consumed, text.length - 64));
  });
  child.onExit(({ exitCode }) => {
    exit = { code: exitCode };
  });

  const screen = () => renderScreen(term);
  const flush = () => new Promise<void>((resolve) => term.write("", resolve));
  const lastLines = () =>
    opts.redact(
      screen()
        .split("\n")
        .filter((line) => line.trim() !== "")
        .slice(-12)
        .join("\n"),
    );
  const step = (name: TuiStep) => opts.onStep?.(name, elapsed());

  /** Polls the rendered screen until `done` holds; a blocking screen, an exit or the deadline stops the session. */
  async function waitFor(what: string, done: (text: string) => boolean): Promise<string> {
    for (;;) {
      await flush();
      const text = screen();
      for (const [pattern, reason] of BLOCKERS) if (pattern.test(text)) throw new Stop(reason);
      if (done(text)) return text;
      if (exit) throw new Stop(`the TUI exited (code ${exit.code}) while waiting for ${what}`);
      if (Date.now() > deadline)
        throw new Stop(`timed out after ${opts.timeoutMs / 1000} s waiting for ${what}`);
      await sleep(POLL_MS);
    }
  }

  /** Types a line into the composer and presses Enter once the TUI shows it (lab §5.1). */
  async function submit(text: string): Promise<void> {
    child.write(text);
    await waitFor(`the composer to show ${text}`, (s) => composerText(s) === text);
    await sleep(PRE_ENTER_MS);
    for (let attempt = 0; attempt < 4; attempt++) {
      child.write(KEY_ENTER);
      const pressed = Date.now();
      while (Date.now() - pressed < 1_000) {
        await flush();
        if (exit || composerText(screen()) !== text) return;
        await sleep(POLL_MS);
      }
    }
  }

  let ready = false;
  try {
    await waitFor("the footer `← for agents`", (s) => /←\s*for agents/.test(s));
    const footerAt = elapsed();
    await waitFor("MCP startup to finish (OSC 7501 working → idle)", () => {
      const working = states.indexOf("working");
      if (working < 0) return elapsed() - footerAt > STARTUP_SIGNAL_MS;
      return states.indexOf("idle", working) > working;
    });
    ready = true;
    step("ready");

    await submit("/status");
    const statusScreen = await waitFor("the /status card", (s) => {
      const card = statusCard(s);
      return card !== null && /^\s*Limits:/m.test(card);
    });
    step("status");

    await submit("/mcp verbose");
    // An expected server that is not configured is never listed: then a closed block that stopped changing
    // is the answer.
    let lastBlock: { text: string | null; since: number } = { text: null, since: Date.now() };
    const mcpScreen = await waitFor("the /mcp verbose block", (s) => {
      if (mcpVerboseComplete(s, opts.expectedServers)) return true;
      if (!mcpVerboseComplete(s, [])) return false;
      const text = mcpBlock(s);
      if (text !== lastBlock.text) lastBlock = { text, since: Date.now() };
      return Date.now() - lastBlock.since >= UNLISTED_SERVER_GRACE_MS;
    });
    step("mcp");
    const mcp = parseMcpVerbose(mcpScreen);

    // The reason a server is down is only in the warnings overlay; paging through it costs time, so only then.
    let warnings: string[] = [];
    const serverDown = opts.expectedServers.some((name) => mcp[name]?.status !== "connected");
    if (serverDown && /f2 to view/.test(screen())) {
      warnings = await readWarnings();
      step("warnings");
    }

    await submit("/quit");
    await waitForExit();
    step("exit");
    return gathered({
      permissions: nullable(parseStatusPermissions(statusScreen), opts.redact),
      statusScreen: opts.redact(statusCard(statusScreen) ?? ""),
      mcp: redactServers(mcp, opts.redact),
      mcpScreen: opts.redact(mcpBlock(mcpScreen) ?? ""),
      warnings: warnings.map(opts.redact),
      refused: null,
      durationMs: elapsed(),
      transcript: opts.redact(screen()),
      rawStream: opts.redact(raw),
    });
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    // Codex refuses a bad config before drawing anything; an `Error:` after that is not a refusal. Its last
    // bytes can arrive just after the exit is reported, so a missing message gets one short drain.
    let refused: string | null = null;
    if (exit && !ready) {
      await flush();
      refused = refusal(screen());
      if (refused === null) {
        await sleep(EXIT_DRAIN_MS);
        await flush();
        refused = refusal(screen());
      }
    }
    if (refused !== null)
      return gathered({
        permissions: null,
        statusScreen: "",
        mcp: {},
        mcpScreen: "",
        warnings: [],
        refused: opts.redact(refused),
        durationMs: elapsed(),
        transcript: opts.redact(screen()),
        rawStream: opts.redact(raw),
      });
    return notGathered(`${opts.redact(error.message)}; last screen lines:\n${lastLines()}`);
  } finally {
    await killSession(child.pid);
    term.dispose();
  }

  async function readWarnings(): Promise<string[]> {
    child.write(KEY_F2);
    let page = warningsPage(await waitFor("the warnings overlay", (s) => warningsPage(s) !== null));
    const seen = new Set(parseWarnings(screen()));
    while (page && page.index < page.count) {
      const next = page.index + 1;
      child.write(KEY_RIGHT);
      page = warningsPage(await waitFor(`warning ${next}`, (s) => warningsPage(s)?.index === next));
      for (const warning of parseWarnings(screen())) seen.add(warning);
    }
    child.write(KEY_ESC);
    await waitFor("the warnings overlay to close", (s) => warningsPage(s) === null);
    return [...seen];
  }

  async function waitForExit(): Promise<void> {
    while (!exit) {
      if (Date.now() > deadline)
        throw new Stop(`timed out after ${opts.timeoutMs / 1000} s waiting for the TUI to exit after /quit`);
      await sleep(POLL_MS);
    }
  }
}

/** The screen as text: the whole normal buffer (scrollback included), lines the terminal wrapped joined again. */
function renderScreen(term: InstanceType<typeof xterm.Terminal>): string {
  const buffer = term.buffer.active;
  const first = buffer.type === "alternate" ? buffer.viewportY : 0;
  const last = buffer.type === "alternate" ? buffer.viewportY + term.rows : buffer.length;
  const out: string[] = [];
  for (let y = first; y < last; y++) {
    const line = buffer.getLine(y);
    if (!line) continue;
    const wrapsOn = buffer.getLine(y + 1)?.isWrapped === true;
    const text = line.translateToString(!wrapsOn);
    if (line.isWrapped && out.length > 0) out[out.length - 1] += text;
    else out.push(text);
  }
  return out
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n+$/, "");
}

/** Text of the composer (the last `› ` line), or null when none is on screen. */
function composerText(screen: string): string | null {
  const composer = screen
    .split("\n")
    .filter((line) => line.startsWith("› "))
    .at(-1);
  return composer === undefined ? null : composer.slice(2).trim();
}

/** Codex's fatal config error (`Error: …` printed before the TUI draws), without a Rust backtrace. */
function refusal(screen: string): string | null {
  const start = screen.search(/^Error\b/m);
  if (start < 0) return null;
  return (
    screen
      .slice(start)
      .split(/\n\s*Stack backtrace:/)[0]
      ?.trim() ?? null
  );
}

function redactServers(
  servers: Record<string, McpServerStatus>,
  redact: (text: string) => string,
): Record<string, McpServerStatus> {
  return Object.fromEntries(
    Object.entries(servers).map(([name, server]) => [
      redact(name),
      {
        ...server,
        status: redact(server.status),
        toolNames: server.toolNames.map(redact),
        auth: nullable(server.auth, redact),
      },
    ]),
  );
}

const nullable = (value: string | null, redact: (text: string) => string) =>
  value === null ? null : redact(value);
