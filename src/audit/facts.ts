// Phase 6: raw launch outcomes and host observations turned into the facts checks read. Every text that may carry
// a secret passes through `redact` here, before any check or reporter sees it.

import { gunzipSync } from "node:zlib";
import type {
  ConfigFacts,
  ExecFacts,
  Fact,
  Facts,
  LauncherFacts,
  LaunchKind,
  McpGetFacts,
} from "../core/model.js";
import { gathered, notGathered } from "../core/model.js";
import { addDirsOf } from "../gather/codex-argv.js";
import { readConfigLayers } from "../gather/config.js";
import { parseExecHeader, refusalMessage } from "../gather/exec-header.js";
import type { LaunchResult } from "../gather/launch.js";
import type { parseObservedArgv, readLauncherStatic } from "../gather/launcher-static.js";
import { parseProxyKill } from "../gather/proxy-kill.js";
import type { Shim } from "../gather/shim.js";
import { isSecretName } from "../runner/secrets.js";
import type { NetReport, RunnerInput } from "../runner/types.js";
import { partOutputs } from "./rule-facts.js";
import { MAX_REPORT_BYTES, parseRunnerReport, type ReportOf, UntrustedInputError } from "./untrusted.js";

/** The shell's exit code for a command it cannot find: Codex is missing, so nothing about the setup was learnt. */
const COMMAND_NOT_FOUND = 127;
const REPORT_LINE_PREFIX = "CODEX_SMOKE_REPORT ";

/** The model channel's report: base64 of the gzipped JSON (the runner's), or plain JSON (a runner before that).
 * Unpacked, it is at most as many bytes as a report file (untrusted.ts): a gzip bomb stops there. */
function channelReport(payload: string): string {
  if (payload.startsWith("{")) return payload;
  return gunzipSync(Buffer.from(payload, "base64"), { maxOutputLength: MAX_REPORT_BYTES }).toString("utf8");
}

function joinedLines(text: string, count: number): string {
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(0, count)
    .join(" | ");
}

export function execFacts(
  result: LaunchResult | null,
  commandOutputs: string[],
  redact: (s: string) => string,
  timeoutMs: number,
): Facts["exec"] {
  if (!result) return notGathered("not needed");
  if (result.spawnError) return notGathered(`cannot run the launcher: ${result.spawnError}`);
  const header = parseExecHeader(result.stderr);
  if (result.exitCode === COMMAND_NOT_FOUND && !header) {
    return notGathered(`the launcher could not run Codex: ${joinedLines(redact(result.stderr), 2)}`);
  }
  if (result.timedOut && !header)
    return notGathered(`Codex timed out after ${timeoutMs / 1000}s before printing its header`);
  const stderrLines = redact(result.stderr).split("\n").filter(Boolean);
  const refused =
    header === null && result.exitCode !== 0
      ? redact(refusalMessage(result.stderr) ?? stderrLines.at(-1) ?? `exit ${result.exitCode}`)
      : null;
  const facts: ExecFacts = {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    header,
    refused,
    stderrTail: stderrLines.slice(-12),
    commandOutputs: commandOutputs.map(redact),
  };
  return gathered(facts);
}

export function mcpGetFact(entries: Array<[string, McpGetFacts]>): Facts["mcpGet"] {
  // No exit code means the call was killed at the deadline: could not test, not a wrong setting.
  const killed = entries.find(([, facts]) => facts.exitCode === null);
  if (killed) return notGathered(`\`mcp get ${killed[0]}\` did not finish: ${killed[1].output}`);
  const noCodex = entries.find(([, facts]) => facts.exitCode === COMMAND_NOT_FOUND);
  if (noCodex) return notGathered(`the launcher could not run Codex: ${joinedLines(noCodex[1].output, 2)}`);
  // An unknown server is a finding (mcp.approval fails on it); any other failure means Codex (or the launcher)
  // refused to start on this config, so nothing was learnt about the servers (decisions §10).
  const refused = entries.find(
    ([, facts]) => facts.exitCode !== 0 && !/No MCP server named/.test(facts.output),
  );
  if (refused) {
    return notGathered(
      `\`mcp get ${refused[0]}\` refused (exit ${refused[1].exitCode}): ${joinedLines(refused[1].output, 3)}`,
    );
  }
  return gathered(Object.fromEntries(entries));
}

/** Where the runner's reports are read from: the host's input, and the report file of a part as text (read
 * inside the staging folder the host made; throws an UntrustedInputError saying why there is none). */
export interface StagedReports {
  input: RunnerInput;
  read(part: "local" | "net"): string;
}

/** The part's report file first; else the copy the runner printed into the model channel; else why there is none. */
function runnerPart<P extends "local" | "net">(
  staged: StagedReports,
  part: P,
  outputs: string[],
): Fact<ReportOf<P>> {
  const { input } = staged;
  const path = input.reports[part];
  let fileProblem: string;
  try {
    return gathered(parseRunnerReport(staged.read(part), path, part, input.nonce));
  } catch (error) {
    if (!(error instanceof UntrustedInputError)) throw error;
    fileProblem = error.message;
  }
  for (const line of outputs.flatMap((output) => output.split("\n"))) {
    if (!line.startsWith(REPORT_LINE_PREFIX)) continue;
    try {
      return gathered(
        parseRunnerReport(
          channelReport(line.slice(REPORT_LINE_PREFIX.length)),
          "model channel",
          part,
          input.nonce,
        ),
      );
    } catch {
      // another part's line, or not ours
    }
  }
  return notGathered(fileProblem);
}

/** The runner's facts from its reports; `exec` is the launch that ran it, null when it ran in a live session
 * (`--probe-report`), where the report file is all there is. */
export function runnerFacts(
  staged: StagedReports | null,
  exec: Facts["exec"] | null,
): { runner: Facts["runner"]; network: Facts["network"] } {
  if (!staged) return { runner: notGathered("not needed"), network: notGathered("not needed") };
  const outputs = exec?.ok ? exec.value.commandOutputs : [];
  const why = exec ? whyNoReport(exec, outputs) : null;
  const local = runnerPart(staged, "local", outputs);
  const net = runnerPart(staged, "net", outputs);
  // The net part's own kill: a domain probe's command (after the runner's parts) is killed for its own domain.
  const killedBy =
    partOutputs(outputs)
      .map(parseProxyKill)
      .find((m) => m !== null) ?? null;
  // Without a runner that ran, the exec launch is why there is no report.
  const missing = (error: string) => (why ? notGathered<never>(why, "exec") : notGathered<never>(error));
  return {
    runner: local.ok ? local : missing(local.error),
    network: net.ok
      ? gathered({ report: net.value, killedBy })
      : killedBy
        ? gathered({ report: emptyNetReport(staged.input.nonce), killedBy })
        : missing(net.error),
  };
}

function emptyNetReport(nonce: string): NetReport {
  const now = new Date().toISOString();
  return {
    schema: 2,
    tool: "codex-smoke-runner",
    part: "net",
    nonce,
    startedAt: now,
    durationMs: 0,
    complete: false,
    environment: null,
    tlsControl: null,
    registry: [],
  };
}

function whyNoReport(exec: Facts["exec"], outputs: string[]): string | null {
  if (!exec.ok) return exec.error;
  if (exec.value.refused) return `Codex refused to start: ${exec.value.refused}`;
  if (exec.value.timedOut) return "Codex timed out before the runner reported";
  if (outputs.length === 0) {
    return `the runner never ran (exit ${exec.value.exitCode ?? "?"}): ${exec.value.stderrTail.slice(-3).join(" | ")}`;
  }
  return null;
}

/** `-c mcp_servers.x.env.API_TOKEN="…"`: the value of a secret-holding key never reaches a report. */
function maskSecretOverride(arg: string): string {
  const eq = arg.indexOf("=");
  return eq > 0 && isSecretName(arg.slice(0, eq).split(".").at(-1) ?? "") ? `${arg.slice(0, eq)}=***` : arg;
}

/** The launcher reader (tree-sitter's bash grammar): loaded before the launches, see index.ts. */
export interface LauncherReader {
  readLauncherStatic: typeof readLauncherStatic;
  parseObservedArgv: typeof parseObservedArgv;
}

export function launcherFacts(opts: {
  reader: LauncherReader;
  path: string;
  text: string;
  shim: Shim | null;
  appended: Record<LaunchKind, string[]>;
  profileOption: string | undefined;
  redact: (s: string) => string;
}): LauncherFacts {
  const { readLauncherStatic, parseObservedArgv } = opts.reader;
  const statics = readLauncherStatic(opts.path, opts.text);
  const observed: LauncherFacts["observed"] = {};
  for (const kind of ["exec", "tui", "mcp"] as const) {
    const seen = opts.shim?.observed(kind);
    if (!seen) continue;
    const parsed = parseObservedArgv(seen.argv, opts.appended[kind]);
    const argv = seen.argv.map((arg) => opts.redact(maskSecretOverride(arg)));
    observed[kind] = {
      ...seen,
      argv,
      parsed: {
        ...parsed,
        overrides: parsed.overrides.map((o) => ({ ...o, raw: opts.redact(maskSecretOverride(o.raw)) })),
      },
    };
  }
  const observedProfile = observed.exec?.parsed.profile ?? null;
  const profile = observedProfile ?? opts.profileOption ?? statics.profile ?? null;
  const profileSource: LauncherFacts["profileSource"] = observedProfile
    ? "observed"
    : opts.profileOption
      ? "option"
      : statics.profile
        ? "static"
        : "default";
  return {
    path: opts.path,
    static: {
      profile: statics.profile,
      overrides: statics.overrides,
      findings: statics.findings,
      hidden: statics.hidden,
      defaults: statics.defaults,
    },
    observed,
    profile,
    profileSource,
  };
}

export function configFacts(opts: {
  codexHome: string;
  home: string;
  project: string;
  profile: string;
  launcher: LauncherFacts;
}): ConfigFacts {
  return readConfigLayers({
    codexHome: opts.codexHome,
    home: opts.home,
    profileName: opts.profile,
    project: opts.project,
    launcherOverrides: (opts.launcher.observed.exec?.parsed.overrides ?? []).map((o) => o.raw),
    addDirs: addDirsOf(opts.project, opts.launcher.observed.exec ? [opts.launcher.observed.exec.parsed] : []),
  });
}
