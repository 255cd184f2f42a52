// The vocabulary shared by the engine, the checks and the reporters.
import type { CredentialFile } from "../audit/credential-files.js";
import type { DomainPlan } from "../audit/domain-plan.js";
import type { PlannedRule } from "../audit/rule-plan.js";
import type { SettingName, SettingReading } from "../audit/settings.js";
import type { LintFinding, ObservedArgv } from "../gather/launcher-static.js";
import type { ProxyKill } from "../gather/proxy-kill.js";
import type { HttpAttempt } from "../runner/net-types.js";
import type { DomainResult, LocalReport, Namespaces, NetReport } from "../runner/types.js";

export type Status = "pass" | "fail" | "warn" | "skip" | "error";
export const STATUSES: readonly Status[] = ["pass", "fail", "warn", "skip", "error"];

/**
 * A fact is either gathered or could not be gathered, with the reason (never a guess). `because` names the fact
 * whose failure made this one impossible (the runner's report: the exec launch, or the host's sandbox), so the
 * report can lead with the step that failed (src/core/root-cause.ts).
 */
export type Fact<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: string;
      because?: FactName;
      /** Set when it was not gathered because the setup itself cannot work (a Codex release too old for it):
       * a check that needs it fails with `error` as the observed cause, instead of "could not test". */
      breaks?: { expected: string; remediation: string };
    };
export const gathered = <T>(value: T): Fact<T> => ({ ok: true, value });
export const notGathered = <T = never>(error: string, because?: FactName): Fact<T> =>
  because === undefined ? { ok: false, error } : { ok: false, error, because };
/** Not gathered because the setup cannot work: every check that needs it fails with `cause` and this fix. */
export const brokenSetup = <T = never>(
  cause: string,
  breaks: { expected: string; remediation: string },
): Fact<T> => ({
  ok: false,
  error: cause,
  breaks,
});

/** What the user expects; defaults are the claims of the seed README, `--expect` overrides them. */
export interface Expectations {
  profile: string;
  approval: string;
  /** The exact value of the exec header's `sandbox:` line. */
  sandboxHeader: string;
  /** The parenthesis of `/status`'s Permissions line, e.g. "workspace with network access, never". */
  tuiPermissions: string;
  /** MCP servers that must be connected with at least one tool. */
  mcpServers: string[];
  /** MCP servers that may fail to connect (a `warn` with the cause); their approval settings are still checked. */
  mcpOptional: string[];
  mcpApprovalMode: string;
  mcpToolTimeoutSec: number;
  readonlyPaths: string[];
  webSearch: string;
  /** Status given when a secret-looking variable is visible inside the sandbox. */
  envSecrets: "warn" | "fail";
  /** Path under the registry URL that `net.registry` retrieves. */
  registryPackage: string;
  /** Status given when the launcher can be changed inside the sandbox or hides Codex's arguments (decisions §23). */
  launcherIntegrity: "warn" | "fail";
}

/** Every MCP server the audit asks about: the required ones, then the optional ones not already among them. */
export function expectedMcpServers(expect: Pick<Expectations, "mcpServers" | "mcpOptional">): string[] {
  return [...new Set([...expect.mcpServers, ...expect.mcpOptional])];
}

/** How the launcher starts Codex: its text read statically, and the argv each launch really passed. */
export interface LauncherFacts {
  path: string;
  /** Static reading (file:line findings for legacy and TLS-disabling flags, the profile, `-c` overrides). */
  static: {
    profile: string | null;
    overrides: Array<{ key: string; raw: string; line: number }>;
    findings: LintFinding[];
    /** Where Codex's arguments depend on the environment, `$(…)` or `eval` (opaque to any reader). */
    hidden: LintFinding[];
    /** Environment variables with a written default that reach Codex's arguments (documented knobs). */
    defaults: Array<{ line: number; name: string }>;
  };
  /** What Codex received, per launch kind, as recorded by the PATH shim and parsed like Codex's own parser. */
  observed: Partial<Record<LaunchKind, ObservedLaunch>>;
  /** The config profile the launcher selects (`--profile`/`-p`), from observation, else static reading. */
  profile: string | null;
  profileSource: "observed" | "static" | "option" | "default";
}

export type LaunchKind = "exec" | "tui" | "mcp";

interface ObservedLaunch {
  /** The launcher's own arguments only (the harness's appended ones removed), secret-looking values masked. */
  argv: string[];
  parsed: ObservedArgv;
  cwd: string;
  envNames: string[];
}

export interface ConfigFile {
  path: string;
  role: "base" | "profile" | "project" | SystemLayerRole;
  exists: boolean;
  /** Parse error with position, when the file does not parse. */
  parseError?: { line: number; column: number; message: string };
  /** The parsed TOML document (absent when missing or unparsable). */
  data?: Record<string, unknown>;
}

/** Codex's machine-wide layers on Linux (read by every release 0.139–0.171 from /etc/codex, no variable moves them):
 * `config.toml` (defaults), legacy `managed_config.toml` (over the user's layers) and `requirements.toml` (enforced
 * constraints: allowed sandbox modes, approval policies and permission profiles, a forced default profile). */
type SystemLayerRole = "system" | "managed" | "requirements";

export interface ConfigFacts {
  codexHome: string;
  /** `$HOME`: `~/` in profile entries means this, not $CODEX_HOME. */
  home: string;
  /** The project (workspace root) the launcher runs in, absolute. */
  project: string;
  /** The project, then each `--add-dir` folder of the launch: Codex applies the workspace-root entries in each. */
  workspaceRoots: string[];
  profileName: string;
  base: ConfigFile;
  profile: ConfigFile;
  projectOverride: ConfigFile;
  /** The folders whose `[projects."<dir>"]` trust entry decides for the project when it has none of its own, in
   * Codex's order: its project root (the nearest folder up holding a `project_root_markers` entry, `.git` by
   * default) and, in a linked git worktree, the main checkout's folder. Empty outside a repository. */
  trustRoots: string[];
  /** /etc/codex/config.toml, managed_config.toml and requirements.toml, in that order (missing ones included). */
  system: [system: ConfigFile, managed: ConfigFile, requirements: ConfigFile];
  /** `-c key=value` overrides the launcher passed, parsed as TOML values. */
  launcherOverrides: Array<{ key: string; value: unknown; raw: string }>;
  /** Effective config: system config.toml < base < profile < launcher `-c` < legacy managed_config.toml (only from
   * files that parsed); requirements constrain it separately. */
  effective: Record<string, unknown>;
}

export interface HostSandboxFacts {
  usable: boolean;
  codexPath: string;
  codexVersion: string;
  exitCode: number | null;
  output: string;
}

/** The `codex exec` launch through the launcher. */
export interface ExecFacts {
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Header lines `key: value` between the `--------` rules (stderr). */
  header: Record<string, string> | null;
  /** When Codex refused to start: its error text (redacted). */
  refused: string | null;
  stderrTail: string[];
  /** Outputs of the commands the agent ran, as the model received them (the second channel). */
  commandOutputs: string[];
}

/**
 * What the runner's probes left on the host. Every path here was computed by the host from its own record (the
 * nonce, the project, $HOME and the folders it chose), never read from a report (decisions §8a).
 */
export interface SideEffectFacts {
  /** Probe markers found on the host after the launch (and removed). */
  persisted: Array<{ where: "project" | "git" | "readonly" | "home" | "outside"; path: string }>;
  git: {
    headBefore: string | null;
    headAfter: string | null;
    /** The probe's own commit (its nonce subject and identity) reached the repository. */
    probeCommit: boolean;
    /** The probe's marker was staged in the index. */
    markerStaged: boolean;
  };
  /** What the host undid: only the probe's own commit, index entry and marker files. */
  restored: string[];
  /** Changes during the audit that were not the probe's (a user's commit, a build output): left as they were. */
  leftAlone: string[];
  /**
   * Read-only folders (project-relative) that were not in the project before the launch. Inside, Codex may mount a
   * placeholder there, so only the host can tell that the folder is missing.
   */
  absentBefore: string[];
  /** The files the profile-rule probes may have created (host-chosen paths): whether each reached the host. */
  ruleWrites?: Array<{ path: string; landed: boolean }>;
}

/** How each credential file the runner opened looked on the host at launch time (never read). */
export interface CredentialFacts {
  label: string;
  path: string;
  /** A real file, a temporary canary the host placed because none existed, or nothing (could not place one). */
  onHost: "file" | "canary" | "missing";
  /** Why a canary could not be placed (e.g. the folder does not exist). */
  note?: string;
}

/** The runner's network part: the facts it wrote before it finished or before Codex killed it. */
export interface NetworkFacts {
  report: NetReport;
  /** Codex's own words when it killed the command because its managed proxy blocked a request. */
  killedBy: ProxyKill | null;
}

/** The filesystem entries of the effective permission profile and the probe the host planned for each. */
interface ProfileRuleFacts {
  /** The custom profile in effect (`default_permissions`), null when none (a built-in, or not set). */
  profile: string | null;
  rules: PlannedRule[];
}

/** The domain rules of the profile under Codex's managed proxy, one runner command per probe. */
export interface DomainRuleFacts {
  plan: DomainPlan;
  /** Per planned probe: what the runner recorded (null when its command was killed or never ran). */
  results: Array<DomainResult | null>;
  /** Per planned probe: Codex's kill message for its command, when its proxy blocked the request. */
  kills: Array<ProxyKill | null>;
  /** Per planned probe: the command's output ended without the runner's line (it did not run to the end). */
  finished: boolean[];
}

export interface TuiFacts {
  /** `/status` Permissions value, e.g. "Profile azi4a2-autonomous (workspace with network access, never)". */
  permissions: string | null;
  statusScreen: string;
  /** Servers as `/mcp verbose` listed them, plus those only a startup warning named when it could not be read. */
  mcp: Record<string, McpServerStatus>;
  mcpScreen: string;
  /** Why `/mcp verbose` could not be read (the `/status` facts above still hold); null when it was. */
  mcpError: string | null;
  /** Startup warnings (F2 overlay or history), `topic: text`, with Rust type names removed. */
  warnings: string[];
  /** Set when the TUI refused to start (config error) with its message. */
  refused: string | null;
  durationMs: number;
  /** The whole rendered terminal (scrollback included) and the raw byte stream, redacted: saved on failure. */
  transcript: string;
  rawStream: string;
}

export interface McpServerStatus {
  /** `connected`, `failed`, `disabled` as `/mcp verbose` shows it; `unknown` where a release shows none (0.139). */
  status: string;
  tools: number;
  toolNames: string[];
  auth: string | null;
  /** Why the server did not start, from its startup warning; null when connected or when no warning named it. */
  failure: McpFailure | null;
}

/**
 * Why an MCP server failed to start. Codex's warning gives the class; for a request it could not send (it names
 * no cause) the gatherer asks the host: `refused`, `dns`, `tls`, `reset`, else `unreachable`.
 */
type McpFailureCause =
  | "refused"
  | "dns"
  | "tls"
  | "reset"
  | "unreachable"
  | "http-status"
  | "not-mcp"
  | "startup-timeout"
  | "exited"
  | "command-not-found"
  | "spawn-failed"
  | "other";

export interface McpFailure {
  cause: McpFailureCause;
  /** The particulars in plain words, never Rust type names: `HTTP 404`, `connect ECONNREFUSED 127.0.0.1:9`. */
  detail: string;
  /** The URL a request could not be sent to, when Codex names it. */
  url: string | null;
  /** `startup-timeout`: the timeout Codex applied, in seconds. */
  timeoutSec: number | null;
  /** `http-status`: the status the URL answered with. */
  httpStatus: number | null;
}

/** One call of the interactive session's MCP runtime turn: to a stand-in behind an expected server, or to the probe. */
export interface McpRuntimeCall {
  /** The stand-in that took the server's place (`stdio` or `http`); null when the config names no transport. */
  transport: "stdio" | "http" | null;
  /** Codex offered the stand-in's tool to the model (the server started under that name). */
  offered: boolean;
  /** The stand-in received the call (from its own log). */
  received: boolean;
  /** What Codex returned to the model for the call: the stand-in's answer, a rejection, a timeout; null if none. */
  result: string | null;
}

/** The interactive session's MCP runtime turn (`mcp.runtime`): a second session, on stand-ins, never the real servers. */
export interface McpRuntimeFacts {
  /** Per expected server: the call to its stand-in. */
  servers: Record<string, McpRuntimeCall>;
  /** codex-smoke's probe server asked for input (`elicitation/create`): the client's answer, if any. */
  elicitation: McpRuntimeCall & { answer: string | null; answeredInMs: number | null };
  /** A probe call that outlasts its short `tool_timeout_sec`: whether Codex cancelled it. */
  timeout: McpRuntimeCall & { limitSec: number; cancelledInMs: number | null };
  /** An approval prompt or elicitation form on the screen (quoted): it would wait for nobody. */
  blocker: string | null;
  /** Why the turn did not end (no answer within the wait); null when it ended. */
  unanswered: string | null;
  /** Set when Codex refused to start (config error) with its message. */
  refused: string | null;
  durationMs: number;
  /** The rendered terminal (redacted), kept for a failure's evidence. */
  transcript: string;
}

export interface McpGetFacts {
  exitCode: number | null;
  fields: Record<string, string>;
  output: string;
}

/** The registry `net.registry` retrieves, and whether the host itself reaches it (the control). */
export interface RegistryFacts {
  url: string;
  source: "option" | "npm-config";
  /** The same retrieval from the host, outside the sandbox (the control). */
  host: HttpAttempt;
}

/**
 * The host's own record of the runner's staging, taken on the host before the runner ran: what the runner's report
 * is checked against, never values the report carries (decisions §24).
 */
export interface StagingFacts {
  /** `watched`: `run` launched the runner itself; `live`: a session the host did not watch (`--probe-report`). */
  flow: "watched" | "live";
  /** The host's own namespaces, read at staging. */
  hostNamespaces: Namespaces;
  /** A genuine report of this staging started between these two instants (ISO-8601). */
  window: { from: string; to: string };
  /** The project's real path, and the launcher and the project files it runs as the host resolved them (real
   * paths, probed inside for append). */
  project: string;
  launcherFiles: string[];
  /** Live session: files (launcher, what it runs, the profile) whose bytes differ from their hash at staging. */
  changed: Array<{ path: string; before: string | null; after: string | null }>;
  /** Live session: the launcher staged, when `run` now judges another one; else null. */
  otherLauncher: string | null;
}

export interface FactValues {
  launcher: LauncherFacts;
  registry: RegistryFacts;
  config: ConfigFacts;
  hostSandbox: HostSandboxFacts;
  exec: ExecFacts;
  runner: LocalReport;
  network: NetworkFacts;
  credentials: CredentialFacts[];
  credentialFiles: CredentialFile[];
  profileRules: ProfileRuleFacts;
  domainRules: DomainRuleFacts;
  sideEffects: SideEffectFacts;
  tui: TuiFacts;
  mcpGet: Record<string, McpGetFacts>;
  staging: StagingFacts;
  mcpRuntime: McpRuntimeFacts;
}
export type FactName = keyof FactValues;
export type Facts = { [K in FactName]: Fact<FactValues[K]> };

/** Evidence starting with this is a risk worth seeing even when the claim holds: the console shows it on pass lines. */
export const NOTE_PREFIX = "note: ";

export interface CheckOutcome {
  status: Status;
  expected: string;
  observed: string;
  evidence: string[];
  /** The fix for what was observed, when it is more precise than the check's general remediation. */
  remediation?: string;
  /**
   * Facts this failure explains: a launch Codex refused, or a fact that could not be gathered, because of what this
   * check found (a profile that does not parse, a folder the sandbox cannot mount). Dependents then name this check
   * as their root cause. Never part of the report.
   */
  explains?: FactName[];
  /** Set by a check whose verdict rests on the host's own observation although it also reads inside facts. */
  evidenceFrom?: EvidenceSource;
}

/**
 * Where a live-session result's evidence came from: verified on the host, or reported from inside the session (an
 * agent there could have invented it; decisions §24).
 */
type EvidenceSource = "host" | "inside";

export interface CheckContext {
  expect: Expectations;
}

/** The facts `run` receives: the needed ones as values, the used ones as gathered-or-not (with the reason). */
export type CheckFacts<N extends FactName, U extends FactName = never> = Pick<FactValues, N> & {
  [K in U]: Fact<FactValues[K]>;
};

export interface CheckDefinition<N extends FactName = FactName, U extends FactName = FactName> {
  /** Stable dotted id, e.g. `fs.auth_json`. */
  id: string;
  title: string;
  /** The README claim it verifies, in one sentence, worded from the expectations in force (`--expect`). */
  claim: string | ((expect: Expectations) => string);
  /** Facts `run` reads; if one could not be gathered the engine reports `error` without calling `run`. */
  needs: readonly N[];
  /** Facts `run` reads even when they could not be gathered: why one is missing can itself be the finding. */
  uses?: readonly U[];
  /**
   * Facts whose failure this check reports with its fix (the runner's report, the host's sandbox, a launch Codex
   * refused): a check that could not be tested without one of them names this check as its root cause.
   */
  owns?: readonly FactName[];
  run(facts: CheckFacts<N, U>, ctx: CheckContext): CheckOutcome;
  remediation: string;
}

export interface CheckResult extends Omit<CheckOutcome, "explains"> {
  id: string;
  title: string;
  /** The claim as the expectations in force word it. */
  claim: string;
  remediation: string;
  /** The check's page, relative to the codex-smoke package root: the same path in a checkout and an install. */
  docs?: string;
  durationMs: number;
  /**
   * The check that reports the failed step this one could not be tested without (the runner's report, the host's
   * sandbox, a launch Codex refused); set only on such a dependent, whose `observed` then says `not tested: …`.
   */
  rootCause?: string;
  /** Only in a report completed from a live session (`--probe-report`). */
  evidenceFrom?: EvidenceSource;
}

export interface ReportTarget {
  launcher: string;
  project: string;
  codexHome: string;
  profile: string;
  codexVersion: string;
  /** The Codex the audit ran: the first `codex` on the user's PATH, or `--codex`. */
  codexPath: string;
  /** The exec startup header without its per-run lines (workdir, session id); null when none was printed. */
  execHeader?: Record<string, string> | null;
  /** Set by `matrix` when this release ran on a temporary copy of the Codex home: what the copy changed. */
  codexHomeCopy?: string;
  /** Sandbox, approval, permission profile and network: requested by the layers, applied by the launches. */
  settings?: Record<SettingName, SettingReading>;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: "codex-smoke"; version: string };
  startedAt: string;
  durationMs: number;
  target: ReportTarget;
  summary: Record<Status, number>;
  /** True when the audit was interrupted: the checks not reached are `error`. */
  incomplete: boolean;
  results: CheckResult[];
}
