// The MCP runtime turn (`mcp.runtime`): a second interactive session through the user's launcher, in parallel with
// the first, whose one model turn calls a non-read-only tool of each expected server and two read-only tools of
// codex-smoke's own probe server (one asks for input, one outlasts a 0.5-s tool timeout). Each expected server's
// command (stdio) or URL (HTTP) is pointed at a loopback stand-in by appended `-c` overrides of that key only: the
// last `-c` for a key wins, so the launcher's approval and timeout overrides for the name stay in force, and the
// user's real servers never receive a probe call (the others are turned off in this session). Why a second session and not the first: `/mcp verbose` in the
// first must show the user's real servers (mcp.servers), and a stand-in behind their names would hide them.
//
// The prompt is typed once every stand-in has answered Codex's `tools/list`: Codex may start a turn before its MCP
// startup has ended, and a turn offers only the servers listed by then (a prompt on the command line lost the HTTP
// stand-in in 4 of 27 audits on a loaded machine, and a stand-in 2.5 s slow to start every time). The session ends as
// soon as the turn ended (the agent got every call's result), a form waits on the screen (quoted), or the calls went
// unanswered for ANSWER_MS; then it is killed. Its traces in CODEX_HOME are named after the session id the agent saw.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ProbeCallRecord,
  type ProbeTarget,
  type ProbeTurnAgent,
  type ProbeTurnRecord,
  startProbeTurnAgent,
} from "../agent/mcp-probe-turn.js";
import type { Fact, McpRuntimeCall, McpRuntimeFacts } from "../core/model.js";
import { gathered, notGathered } from "../core/model.js";
import { type McpHttpStandin, startMcpHttpStandin } from "../demo/mcp-http-standin.js";
import {
  ELICIT_TOOL,
  PROBE_TOOL,
  PROBE_TOOLS,
  SLEEP_TOOL,
  type StandinEvent,
} from "../demo/mcp-stdio-standin.js";
import { stdioStandinScript } from "../demo/standin-script.js";
import { isTable, lookup } from "../util/toml.js";
import { describeBlocker, screenBlocker } from "./mcp-runtime-screens.js";
import { refusal, Stop, TuiDriver, tuiArgs } from "./tui.js";
import { composerText } from "./tui-screens.js";

/** codex-smoke's own server: its name is the audit's, never one of the user's. */
const PROBE_SERVER = "codex_smoke_probe";
/**
 * The probe server's tool timeout: short, so showing that Codex enforces one costs at most this (the calls run in
 * parallel). It cannot cut the elicitation short: Codex does not time out a call while an elicitation waits
 * (reference/mcp-runtime.md Q3), and its answer takes milliseconds.
 */
const PROBE_TIMEOUT_SEC = 0.5;
/** How long the calls may go unanswered before the turn counts as hung (a hidden prompt, a stuck call). */
const ANSWER_MS = 5_000;
/**
 * How long the prompt waits for the stand-ins to be listed: Codex's default `startup_timeout_sec`. One that is not
 * listed by then did not start under its name; the turn shows which.
 */
const LISTED_WAIT_MS = 10_000;
const EXIT_DRAIN_MS = 200;
/** The mock ignores it, so it reads like any task (the launcher sees it). */
const PROMPT = "Check that the MCP tools respond.";

type McpTransport = "stdio" | "http";

export interface McpRuntimeOptions {
  launcher: string;
  project: string;
  /** The complete environment of the launch (the marker variable included). */
  env: Record<string, string>;
  timeoutMs: number;
  /** Each expected server with the transport its config gives it (null: none, so no stand-in is put there). */
  servers: ReadonlyArray<{ name: string; transport: McpTransport | null }>;
  /** The other servers the config defines: off in this session (nothing of the user's starts twice). */
  others: readonly string[];
  /** Expected servers the config turns off: their stand-ins never start, so the prompt does not wait for them. */
  disabled: readonly string[];
  /** A private directory for the stand-ins' logs. */
  dir: string;
  redact: (text: string) => string;
}

export interface McpRuntimeOutcome {
  fact: Fact<McpRuntimeFacts>;
  /** The session id of the turn (its traces in CODEX_HOME), when the agent saw one. */
  sessionId: string | null;
}

/** What the runtime session puts where: each expected server's transport, and the servers it leaves off. */
export interface RuntimeServers {
  servers: Array<{ name: string; transport: McpTransport | null }>;
  others: string[];
  disabled: string[];
}

/**
 * The transport each expected server's effective config gives it (`url` → http, `command` → stdio, else null),
 * the other servers it defines, and the expected ones it turns off (`enabled = false`).
 */
export function runtimeServers(
  effective: Record<string, unknown>,
  expected: readonly string[],
): RuntimeServers {
  const defined = lookup(effective, ["mcp_servers"]);
  const tables = isTable(defined) ? defined : {};
  const servers = expected.map((name) => {
    const server = tables[name];
    if (!isTable(server)) return { name, transport: null };
    if (typeof server.url === "string") return { name, transport: "http" as const };
    return { name, transport: typeof server.command === "string" ? ("stdio" as const) : null };
  });
  const others = Object.keys(tables).filter((name) => !expected.includes(name) && isTable(tables[name]));
  const disabled = expected.filter((name) => {
    const server = tables[name];
    return isTable(server) && server.enabled === false;
  });
  return { servers, others, disabled };
}

/** The stand-ins the session runs on: started, with the `-c` overrides that put them behind the names. */
interface Standins {
  overrides: string[];
  http: Map<string, McpHttpStandin>;
  logs: Map<string, string>;
  close(): Promise<void>;
}

const tomlArray = (values: readonly string[]) =>
  `[${values.map((value) => JSON.stringify(value)).join(",")}]`;

/** Where each stand-in is: an HTTP stand-in's URL, or a stdio stand-in's script and log file. */
export interface StandinPlaces {
  node: string;
  script: string;
  urls: ReadonlyMap<string, string>;
  logs: ReadonlyMap<string, string>;
}

/**
 * The appended `-c`s: one key per expected server (`url`, or `command` and `args`) so its other settings stay the
 * launcher's and the config's; the other servers off; codex-smoke's probe server with its short tool timeout.
 */
export function standinOverrides(
  opts: Pick<McpRuntimeOptions, "servers" | "others">,
  places: StandinPlaces,
): string[] {
  const { node, script, urls, logs } = places;
  const stdio = (mode: string, log: string | undefined) =>
    tomlArray([script, `--mode=${mode}`, `--log=${log}`]);
  const overrides: string[] = [];
  for (const { name, transport } of opts.servers) {
    if (transport === "http")
      overrides.push("-c", `mcp_servers.${name}.url=${JSON.stringify(urls.get(name))}`);
    if (transport === "stdio")
      overrides.push(
        "-c",
        `mcp_servers.${name}.command=${JSON.stringify(node)}`,
        "-c",
        `mcp_servers.${name}.args=${stdio("probe", logs.get(name))}`,
      );
  }
  for (const name of opts.others) overrides.push("-c", `mcp_servers.${name}.enabled=false`);
  const probe = `{command=${JSON.stringify(node)},args=${stdio("elicit", logs.get(PROBE_SERVER))},tool_timeout_sec=${PROBE_TIMEOUT_SEC}}`;
  return [...overrides, "-c", `mcp_servers.${PROBE_SERVER}=${probe}`];
}

async function startStandins(opts: McpRuntimeOptions): Promise<Standins> {
  mkdirSync(opts.dir, { recursive: true });
  const script = await stdioStandinScript(opts.dir);
  const http = new Map<string, McpHttpStandin>();
  const logs = new Map<string, string>();
  const stdioNames = opts.servers
    .filter((server) => server.transport === "stdio")
    .map((server) => server.name);
  for (const [index, name] of [...stdioNames, PROBE_SERVER].entries()) {
    const file = join(opts.dir, `standin-${index}.jsonl`);
    writeFileSync(file, "");
    logs.set(name, file);
  }
  const close = () => Promise.all([...http.values()].map((standin) => standin.close())).then(() => {});
  try {
    for (const { name, transport } of opts.servers)
      if (transport === "http")
        http.set(name, await startMcpHttpStandin({ tools: PROBE_TOOLS, name: "codex-smoke-probe-standin" }));
  } catch (error) {
    await close();
    throw error;
  }
  const urls = new Map([...http].map(([name, standin]) => [name, standin.url]));
  const overrides = standinOverrides(opts, { node: process.execPath, script, urls, logs });
  return { overrides, http, logs, close };
}

/** The stand-ins' own record of what arrived: tool calls, the elicitation's answer, a cancellation. */
function readLog(file: string | undefined): StandinEvent[] {
  if (file === undefined || !existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line) => {
      try {
        return line === "" ? [] : [JSON.parse(line) as StandinEvent];
      } catch {
        return [];
      }
    });
}

/** The appended arguments: trust, the agent as the model, the stand-ins, no prompt history. */
function sessionArgs(project: string, agent: ProbeTurnAgent, standins: Standins): string[] {
  return [
    ...tuiArgs(project),
    ...agent.providerOverrides(),
    ...standins.overrides,
    // The turn's prompt stays out of the user's prompt history (~/.codex/history.jsonl).
    "-c",
    'history.persistence="none"',
  ];
}

/** The servers whose stand-ins the prompt waits for: every expected one with a stand-in that is on, and the probe server. */
export function awaitedServers(opts: Pick<McpRuntimeOptions, "servers" | "disabled">): string[] {
  const expected = opts.servers.filter(
    ({ name, transport }) => transport !== null && !opts.disabled.includes(name),
  );
  return [...expected.map(({ name }) => name), PROBE_SERVER];
}

/** The stand-in behind this name has been asked for its tools: a turn started now is offered them. */
function listed(standins: Standins, name: string): boolean {
  const http = standins.http.get(name);
  if (http) return http.listed();
  return readLog(standins.logs.get(name)).some((event) => event.event === "listed");
}

/**
 * Types the prompt as soon as the composer is drawn and sends it once the awaited stand-ins are listed (or
 * LISTED_WAIT_MS passed): typed early, it is sent without the pause a freshly typed line needs.
 */
async function startTurn(driver: TuiDriver, standins: Standins, awaited: readonly string[]): Promise<void> {
  const listedBy = Date.now() + LISTED_WAIT_MS;
  await driver.waitFor("the composer", (screen) => composerText(screen) !== null);
  const shownAt = await driver.type(PROMPT);
  await driver.waitFor(
    "the MCP stand-ins to be listed",
    () => awaited.every((name) => listed(standins, name)) || Date.now() >= listedBy,
  );
  await driver.enter(PROMPT, shownAt);
}

function targets(opts: McpRuntimeOptions): ProbeTarget[] {
  return [
    ...opts.servers.map(({ name }) => ({ server: name, tool: PROBE_TOOL })),
    { server: PROBE_SERVER, tool: ELICIT_TOOL },
    { server: PROBE_SERVER, tool: SLEEP_TOOL },
  ];
}

export async function runMcpRuntime(opts: McpRuntimeOptions): Promise<McpRuntimeOutcome> {
  const standins = await startStandins(opts);
  const agent = await startProbeTurnAgent(targets(opts)).catch(async (error: unknown) => {
    await standins.close();
    throw error;
  });
  try {
    const driver = await TuiDriver.start({
      launcher: opts.launcher,
      project: opts.project,
      env: opts.env,
      extraArgs: sessionArgs(opts.project, agent, standins),
      timeoutMs: opts.timeoutMs,
      expectedServers: [],
      redact: opts.redact,
    });
    let watched: Watched;
    try {
      watched = await watchTurn(driver, agent, () => startTurn(driver, standins, awaitedServers(opts)));
    } finally {
      await driver.dispose();
    }
    const record = agent.record();
    return {
      sessionId: record.sessionId,
      fact: watched.stopped ?? gathered(runtimeFacts(opts, standins, record, watched)),
    };
  } finally {
    await Promise.all([agent.close(), standins.close()]);
  }
}

interface Watched {
  blocker: string | null;
  unanswered: string | null;
  refused: string | null;
  /** The session ended before the turn could be watched: why (not gathered). */
  stopped: Fact<never> | null;
  durationMs: number;
  transcript: string;
}

/**
 * Starts the turn and watches the screen until it ended, a form waits, the calls went unanswered, or the session
 * stopped.
 */
async function watchTurn(
  driver: TuiDriver,
  agent: ProbeTurnAgent,
  start: () => Promise<void>,
): Promise<Watched> {
  const { redact } = driver.opts;
  const done = (blocker: string | null, unanswered: string | null): Watched => ({
    blocker,
    unanswered,
    refused: null,
    stopped: null,
    durationMs: driver.elapsed(),
    transcript: redact(driver.screen()),
  });
  try {
    await start();
    let blocker: string | null = null;
    let unanswered: string | null = null;
    await driver.waitFor("the MCP probe turn", (screen) => {
      const shown = screenBlocker(screen);
      if (shown) blocker = describeBlocker(shown);
      const { callsSentAt, finishedAt } = agent.record();
      if (callsSentAt !== null && finishedAt === null && Date.now() - callsSentAt > ANSWER_MS)
        unanswered = `no answer within ${ANSWER_MS / 1000} s of the calls`;
      return blocker !== null || unanswered !== null || finishedAt !== null;
    });
    return done(blocker === null ? null : redact(blocker), unanswered);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return await stoppedTurn(driver, error);
  }
}

/** The session ended before the turn did: Codex's refusal to start is a fact; anything else is not gathered. */
async function stoppedTurn(driver: TuiDriver, error: Stop): Promise<Watched> {
  const { redact } = driver.opts;
  let refused: string | null = null;
  if (driver.exit) {
    await driver.flush();
    refused = refusal(driver.screen());
    if (refused === null) {
      await new Promise((resolve) => setTimeout(resolve, EXIT_DRAIN_MS));
      await driver.flush();
      refused = refusal(driver.screen());
    }
  }
  const transcript = redact(driver.screen());
  const base = { blocker: null, unanswered: null, durationMs: driver.elapsed(), transcript };
  if (refused !== null) return { ...base, refused: redact(refused), stopped: null };
  return {
    ...base,
    refused: null,
    stopped: notGathered(`${redact(error.message)}; last screen lines:\n${driver.lastLines()}`),
  };
}

function runtimeFacts(
  opts: McpRuntimeOptions,
  standins: Standins,
  record: ProbeTurnRecord,
  watched: Watched,
): McpRuntimeFacts {
  const callOf = (server: string, tool: string): ProbeCallRecord | undefined =>
    record.calls.find((call) => call.server === server && call.tool === tool);
  const redacted = (value: string | null) => (value === null ? null : opts.redact(value));
  const toCall = (
    call: ProbeCallRecord | undefined,
    transport: McpTransport | null,
    received: boolean,
  ): McpRuntimeCall => ({
    transport,
    offered: call?.offered ?? false,
    received,
    result: redacted(call?.output ?? null),
  });
  const servers = Object.fromEntries(
    opts.servers.map(({ name, transport }) => {
      const http = standins.http.get(name);
      const received = http
        ? http.calls().some((call) => call.tool === PROBE_TOOL)
        : readLog(standins.logs.get(name)).some((e) => e.event === "call" && e.tool === PROBE_TOOL);
      return [name, toCall(callOf(name, PROBE_TOOL), transport, received)];
    }),
  );
  const probeLog = readLog(standins.logs.get(PROBE_SERVER));
  const arrival = (tool: string) =>
    probeLog.find((event) => event.event === "call" && event.tool === tool)?.at ?? null;
  const since = (tool: string, at: number | undefined) => {
    const start = arrival(tool);
    return start === null || at === undefined ? null : at - start;
  };
  const answer = probeLog.find((event) => event.event === "elicitation");
  const cancelled = probeLog.find((event) => event.event === "cancelled");
  return {
    servers,
    elicitation: {
      ...toCall(callOf(PROBE_SERVER, ELICIT_TOOL), "stdio", arrival(ELICIT_TOOL) !== null),
      answer: answer?.event === "elicitation" ? redacted(answer.action ?? answer.error) : null,
      answeredInMs: since(ELICIT_TOOL, answer?.at),
    },
    timeout: {
      ...toCall(callOf(PROBE_SERVER, SLEEP_TOOL), "stdio", arrival(SLEEP_TOOL) !== null),
      limitSec: PROBE_TIMEOUT_SEC,
      cancelledInMs: since(SLEEP_TOOL, cancelled?.at),
    },
    blocker: watched.blocker,
    unanswered: watched.unanswered,
    refused: watched.refused,
    durationMs: watched.durationMs,
    transcript: watched.transcript,
  };
}
