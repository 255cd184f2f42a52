// Drives one interactive Codex session through the user's launcher in a pseudo-terminal we own (so it works
// without a TTY and on CI): ready → `/status` → `/mcp verbose` → (startup warnings if a server is down) → `/quit`.
// Bytes go into a headless xterm; every wait reads the rendered screen, never the byte stream, because the TUI
// redraws with cursor moves that strip-ansi cannot turn back into text (codex-tui-lab.md §8). Only Codex's OSC
// 7501 states (0.169 on) are read from the stream; they are used where present, never required.
//
// Timing, the same on 0.139 → 0.171: the session is ready once the composer and the session footer are drawn;
// `/status` answers at once; `/mcp verbose` restarts every server and waits for each up to its startup timeout, so
// it is sent right away, in parallel with Codex's own startup — a hung server then costs one startup timeout,
// not two. The reason a server failed is only in its startup warning, read afterwards.
import xterm from "@xterm/headless";
import type { IPty } from "node-pty";
import type { Fact, McpFailure, McpServerStatus, TuiFacts } from "../core/model.js";
import { gathered, notGathered } from "../core/model.js";
import { LaunchedTree } from "../core/processes.js";
import { refineUnreachable } from "./mcp-reach.js";
import {
  composerText,
  historyWarnings,
  mcpBlock,
  mcpBlockCount,
  mcpFailures,
  mcpStartupShown,
  mcpVerboseComplete,
  parseMcpVerbose,
  parseStatusPermissions,
  parseWarnings,
  plainWarning,
  readOscStates,
  sessionConfigured,
  statusCard,
  warningsOffered,
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
/**
 * Tall, so the history stays on screen: up to 0.139 the TUI inserts history lines by scrolling a region that
 * excludes its inline viewport, and xterm.js (unlike most terminals) does not keep what scrolls out of such a
 * region, so a warning inserted there could lose lines at 50 rows.
 */
const ROWS = 100;
const POLL_MS = 25;
/** Enter closer than ~90 ms to the text is taken for a paste and dropped (lab §5.1). */
const PRE_ENTER_MS = 150;
/** The raw stream kept as evidence is capped: a healthy session writes well under 1 MB. */
const RAW_STREAM_LIMIT = 4 * 1024 * 1024;

/**
 * A setup whose status line shows no session items and a release without OSC states give no ready signal: the
 * composer alone then counts after this long (slash commands typed earlier are queued or run anyway).
 */
const READY_FALLBACK_MS = 5_000;
/** How long a complete `/mcp verbose` block must stay unchanged when an expected server is not in it. */
const UNLISTED_SERVER_GRACE_MS = 1_000;
/** Kept back from the deadline when `/mcp verbose` hangs: enough to read the warnings that say why, and quit. */
const MCP_RESERVE_MS = 3_000;
/**
 * How long a failed server's startup warning may lag behind `/mcp verbose`: startup began first and applies the
 * same timeouts, so it has normally ended already; 0.160 shows no sign of it ending at all.
 */
const WARNING_GRACE_MS = 3_000;
const EXIT_DRAIN_MS = 200;
/** The host's own request to a URL Codex could not reach. */
const REACH_TIMEOUT_MS = 3_000;

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

/** Ends a wait: a blocking screen, the TUI's exit, or the deadline; the message says which. */
export class Stop extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => Number((ms / 1000).toFixed(1));

/** One running session: the pty, the terminal it draws into, Codex's OSC states, and waits over the screen. */
export class TuiDriver {
  readonly started = Date.now();
  readonly deadline: number;
  /** OSC 7501 `state=working|idle|…` in order (0.169 on); strip-ansi would drop them, so they are read raw. */
  readonly states: string[] = [];
  raw = "";
  exit: { code: number } | null = null;
  private oscTail = "";

  private constructor(
    private readonly child: IPty,
    private readonly term: InstanceType<typeof xterm.Terminal>,
    private readonly tree: LaunchedTree,
    readonly opts: TuiSessionOptions,
  ) {
    this.deadline = this.started + opts.timeoutMs;
    child.onData((data) => this.receive(data));
    child.onExit(({ exitCode }) => {
      this.exit = { code: exitCode };
    });
  }

  static async start(opts: TuiSessionOptions): Promise<TuiDriver> {
    const pty = await import("node-pty");
    const term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true, scrollback: 10_000 });
    const child = pty.spawn(opts.launcher, opts.extraArgs, {
      name: "xterm-256color",
      cols: COLS,
      rows: ROWS,
      cwd: opts.project,
      env: { ...opts.env, TERM: "xterm-256color" },
    });
    // Helpers that leave the session's tree while it runs (re-parented to init) are found by their record.
    return new TuiDriver(child, term, new LaunchedTree(child.pid), opts);
  }

  private receive(data: string): void {
    this.term.write(data);
    if (this.raw.length < RAW_STREAM_LIMIT) this.raw += data;
    const { states, rest } = readOscStates(this.oscTail + data);
    this.states.push(...states);
    this.oscTail = rest;
  }

  elapsed = () => Date.now() - this.started;
  step = (name: TuiStep) => this.opts.onStep?.(name, this.elapsed());
  /** Nothing is written once the TUI has exited: node-pty would log the closed descriptor's EBADF. */
  write = (data: string) => {
    if (!this.exit) this.child.write(data);
  };
  screen = () => renderScreen(this.term);
  flush = () => new Promise<void>((resolve) => this.term.write("", resolve));

  lastLines(): string {
    const shown = this.screen()
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(-12);
    return this.opts.redact(shown.join("\n"));
  }

  /** Polls the rendered screen until `done` holds; a blocking screen, an exit or `until` stops the session. */
  async waitFor(what: string, done: (text: string) => boolean, until = this.deadline): Promise<string> {
    for (;;) {
      await this.flush();
      const text = this.screen();
      for (const [pattern, reason] of BLOCKERS) if (pattern.test(text)) throw new Stop(reason);
      if (done(text)) return text;
      if (this.exit) throw new Stop(`the TUI exited (code ${this.exit.code}) while waiting for ${what}`);
      if (Date.now() > until)
        throw new Stop(`timed out after ${seconds(until - this.started)} s waiting for ${what}`);
      await sleep(POLL_MS);
    }
  }

  /** Types a line into the composer and presses Enter once the TUI shows it (lab §5.1). */
  async submit(text: string, until = this.deadline): Promise<void> {
    await this.enter(text, await this.type(text, until));
  }

  /** Types a line into the composer; returns when the TUI showed it (ms since the epoch). */
  async type(text: string, until = this.deadline): Promise<number> {
    this.write(text);
    await this.waitFor(`the composer to show ${text}`, (s) => composerText(s) === text, until);
    return Date.now();
  }

  /** Presses Enter on the line the composer shows since `shownAt`, no sooner than PRE_ENTER_MS after it. */
  async enter(text: string, shownAt: number): Promise<void> {
    await sleep(shownAt + PRE_ENTER_MS - Date.now());
    for (let attempt = 0; attempt < 4; attempt++) {
      this.write(KEY_ENTER);
      const pressed = Date.now();
      while (Date.now() - pressed < 1_000) {
        await this.flush();
        if (this.exit || composerText(this.screen()) !== text) return;
        await sleep(POLL_MS);
      }
    }
  }

  async waitForExit(): Promise<void> {
    while (!this.exit) {
      if (Date.now() > this.deadline)
        throw new Stop(
          `timed out after ${seconds(this.opts.timeoutMs)} s waiting for the TUI to exit after /quit`,
        );
      await sleep(POLL_MS);
    }
  }

  /** Kills the session's whole tree and whatever left it while it ran. */
  async dispose(): Promise<void> {
    await this.tree.kill();
    this.term.dispose();
  }
}

export async function runTuiSession(opts: TuiSessionOptions): Promise<Fact<TuiFacts>> {
  const driver = await TuiDriver.start(opts);
  let ready = false;
  try {
    let composerSince: number | null = null;
    await driver.waitFor("the composer and the session footer", (s) => {
      if (composerText(s) === null) return false;
      composerSince ??= Date.now();
      return (
        driver.states.length > 0 || sessionConfigured(s) || Date.now() - composerSince > READY_FALLBACK_MS
      );
    });
    ready = true;
    driver.step("ready");
    await driver.submit("/status");
    const statusScreen = await driver.waitFor("the /status card", (s) =>
      /^\s*Limits:/m.test(statusCard(s) ?? ""),
    );
    driver.step("status");
    return gathered(await afterStatus(driver, statusScreen));
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return await stopped(driver, error, ready);
  } finally {
    await driver.dispose();
  }
}

/** Everything after `/status`: whatever `/mcp verbose` does, what `/status` showed is kept. */
async function afterStatus(driver: TuiDriver, statusScreen: string): Promise<TuiFacts> {
  const { opts } = driver;
  const mcp = await readMcpVerbose(driver);
  if (mcp.error === null) driver.step("mcp");
  const listed = parseMcpVerbose(mcp.screen);
  const awaited = opts.expectedServers.filter((name) => awaitsWarning(listed[name], mcp.error !== null));
  let warnings: string[] = [];
  if (awaited.length > 0 && !driver.exit) {
    warnings = await readStartupWarnings(driver, awaited);
    driver.step("warnings");
  }
  await quit(driver);
  const failures = await refineFailures(mcpFailures(warnings), opts.env);
  const { redact } = opts;
  return {
    permissions: nullable(parseStatusPermissions(statusScreen), redact),
    statusScreen: redact(statusCard(statusScreen) ?? ""),
    mcp: redactServers(withFailures(listed, failures), redact),
    mcpScreen: redact(mcpBlock(mcp.screen) ?? ""),
    mcpError: nullable(mcp.error, redact),
    warnings: warnings.map((warning) => redact(warning.split("\n").map(plainWarning).join("\n"))),
    refused: null,
    durationMs: driver.elapsed(),
    transcript: redact(driver.screen()),
    rawStream: redact(driver.raw),
  };
}

/**
 * The `/mcp verbose` block, or why it could not be read before the deadline (less a reserve to say why). Asked
 * during Codex's own startup, the block can catch a server still `starting` (more often on a loaded machine): then
 * it is asked once more after startup, when every server has its final status.
 */
async function readMcpVerbose(driver: TuiDriver): Promise<{ screen: string; error: string | null }> {
  const until = Math.max(Date.now(), driver.deadline - MCP_RESERVE_MS);
  const expected = driver.opts.expectedServers;
  try {
    let screen = await askMcpVerbose(driver, until);
    const starting = () => expected.some((name) => parseMcpVerbose(screen)[name]?.status === "starting");
    if (starting()) {
      await driver.waitFor("MCP startup to end", (s) => startupEnded(driver, s), until);
      screen = await askMcpVerbose(driver, until);
    }
    return { screen, error: null };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { screen: driver.screen(), error: error.message };
  }
}

/** Submits `/mcp verbose` and waits for the new block it draws. */
async function askMcpVerbose(driver: TuiDriver, until: number): Promise<string> {
  const expected = driver.opts.expectedServers;
  const blocksBefore = mcpBlockCount(driver.screen());
  await driver.submit("/mcp verbose", until);
  // An expected server that is not configured is never listed: then a closed block that stopped changing
  // is the answer.
  let lastBlock: { text: string | null; since: number } = { text: null, since: Date.now() };
  return driver.waitFor(
    "the /mcp verbose block",
    (s) => {
      if (mcpBlockCount(s) <= blocksBefore) return false;
      if (mcpVerboseComplete(s, expected)) return true;
      if (!mcpVerboseComplete(s, [])) return false;
      const text = mcpBlock(s);
      if (text !== lastBlock.text) lastBlock = { text, since: Date.now() };
      return Date.now() - lastBlock.since >= UNLISTED_SERVER_GRACE_MS;
    },
    until,
  );
}

/** A server whose startup warning may say why it is down: failed, of unknown status, or not read at all. */
function awaitsWarning(server: McpServerStatus | undefined, mcpUnread: boolean): boolean {
  if (server === undefined) return mcpUnread;
  return server.status === "failed" || server.status === "unknown";
}

/** MCP startup has ended: OSC `working` → `idle` (0.169 on), else no startup line above the composer. */
function startupEnded(driver: TuiDriver, screen: string): boolean {
  if (driver.states.length === 0) return !mcpStartupShown(screen);
  const working = driver.states.lastIndexOf("working");
  return working < 0 || driver.states.lastIndexOf("idle") > working;
}

/**
 * The startup warnings, once one names each awaited server or the grace ends: printed into the history up to
 * 0.150, behind F2 from 0.160. A deadline while reading keeps what was read.
 */
async function readStartupWarnings(driver: TuiDriver, awaited: string[]): Promise<string[]> {
  const seen = new Set<string>();
  try {
    await driver.waitFor("MCP startup to end", (s) => startupEnded(driver, s));
    const graceEnd = Math.min(driver.deadline, Date.now() + WARNING_GRACE_MS);
    for (;;) {
      for (const warning of historyWarnings(driver.screen())) seen.add(warning);
      if (warningsOffered(driver.screen()))
        for (const warning of await readOverlay(driver)) seen.add(warning);
      const named = mcpFailures([...seen]);
      if (awaited.every((name) => named[name]) || Date.now() >= graceEnd) break;
      await sleep(500);
    }
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  }
  return [...seen];
}

/** Pages through the warnings overlay (F2 … →) and closes it again. */
async function readOverlay(driver: TuiDriver): Promise<string[]> {
  driver.write(KEY_F2);
  let page = warningsPage(await driver.waitFor("the warnings overlay", (s) => warningsPage(s) !== null));
  const seen = new Set(parseWarnings(driver.screen()));
  while (page && page.index < page.count) {
    const next = page.index + 1;
    driver.write(KEY_RIGHT);
    page = warningsPage(await driver.waitFor(`warning ${next}`, (s) => warningsPage(s)?.index === next));
    for (const warning of parseWarnings(driver.screen())) seen.add(warning);
  }
  driver.write(KEY_ESC);
  await driver.waitFor("the warnings overlay to close", (s) => warningsPage(s) === null);
  return [...seen];
}

/** `/quit`, when there is time for it; otherwise (or when it hangs) the session is killed anyway. */
async function quit(driver: TuiDriver): Promise<void> {
  if (driver.exit) return;
  try {
    await driver.submit("/quit");
    await driver.waitForExit();
    driver.step("exit");
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  }
}

async function refineFailures(
  failures: Record<string, McpFailure>,
  env: Record<string, string>,
): Promise<Record<string, McpFailure>> {
  const entries = await Promise.all(
    Object.entries(failures).map(
      async ([name, failure]) => [name, await refineUnreachable(failure, env, REACH_TIMEOUT_MS)] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** Each listed server that is not up gets its startup failure; one only a warning named is added as failed. */
function withFailures(
  listed: Record<string, McpServerStatus>,
  failures: Record<string, McpFailure>,
): Record<string, McpServerStatus> {
  const servers = { ...listed };
  for (const [name, failure] of Object.entries(failures)) {
    const server = servers[name];
    if (server === undefined)
      servers[name] = { status: "failed", tools: 0, toolNames: [], auth: null, failure };
    else if (server.status !== "connected")
      servers[name] = { ...server, status: server.status === "unknown" ? "failed" : server.status, failure };
  }
  return servers;
}

/** The session ended before `/status` was read: Codex's refusal to start, or why it could not be read. */
async function stopped(driver: TuiDriver, error: Stop, ready: boolean): Promise<Fact<TuiFacts>> {
  const { redact } = driver.opts;
  // Codex refuses a bad config before drawing anything; an `Error:` after that is not a refusal. Its last
  // bytes can arrive just after the exit is reported, so a missing message gets one short drain.
  let refused: string | null = null;
  if (driver.exit && !ready) {
    await driver.flush();
    refused = refusal(driver.screen());
    if (refused === null) {
      await sleep(EXIT_DRAIN_MS);
      await driver.flush();
      refused = refusal(driver.screen());
    }
  }
  if (refused === null)
    return notGathered(`${redact(error.message)}; last screen lines:\n${driver.lastLines()}`);
  return gathered({
    permissions: null,
    statusScreen: "",
    mcp: {},
    mcpScreen: "",
    mcpError: null,
    warnings: [],
    refused: redact(refused),
    durationMs: driver.elapsed(),
    transcript: redact(driver.screen()),
    rawStream: redact(driver.raw),
  });
}

/** The screen as text: the whole normal buffer (scrollback included), lines the terminal wrapped joined again. */
export function renderScreen(term: InstanceType<typeof xterm.Terminal>): string {
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

/** Codex's fatal config error (`Error: …` printed before the TUI draws), without a Rust backtrace. */
export function refusal(screen: string): string | null {
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
        failure:
          server.failure === null
            ? null
            : {
                ...server.failure,
                detail: redact(server.failure.detail),
                url: nullable(server.failure.url, redact),
              },
      },
    ]),
  );
}

const nullable = (value: string | null, redact: (text: string) => string) =>
  value === null ? null : redact(value);
