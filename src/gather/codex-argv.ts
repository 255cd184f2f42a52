// Codex's own command line, read as its clap parser reads it: options before and after the subcommand, attached
// short values (`-sdanger-full-access`, `-ckey=v`, `-c=key=v`), `--opt=value`, bundled short flags, `--` ending the
// options. Which options take a value, per subcommand, comes from `--help` of 0.139.0, 0.150.0, 0.160.0, 0.169.0 and
// 0.171.0 (nested subcommands folded into their parent); across them no option name is a flag in one subcommand and
// takes a value in another, but a short letter can mean different options (`-p` is `--prettier` under `app-server`).
import { resolve } from "node:path";

/**
 * Flags that replace the permission profile (codex-sandbox-lab §2.5, §5.1), as spelled on the command line. `--yolo`
 * and `--not-so-yolo` are Codex's hidden aliases of `--dangerously-bypass-approvals-and-sandbox` and
 * `--approve-for-me` (0.139–0.171 accept them); `--full-auto` is accepted by `exec` up to 0.139 only.
 */
export const LEGACY_FLAGS = [
  "--sandbox",
  "-s",
  "--full-auto",
  "--dangerously-bypass-approvals-and-sandbox",
  "--yolo",
  "--approve-for-me",
  "--not-so-yolo",
  "--add-dir",
  "-c sandbox_mode",
  "-c sandbox_workspace_write",
] as const;
export type LegacyFlag = (typeof LEGACY_FLAGS)[number];

export interface ObservedArgv {
  /** The subcommand, aliases resolved (`e` → `exec`, `a` → `apply`); null for the interactive session. */
  subcommand: string | null;
  profile: string | null;
  overrides: Array<{ key: string; raw: string }>;
  /** Legacy sandbox flags as passed, e.g. `--sandbox workspace-write`, `-s danger-full-access`, `-c sandbox_mode="workspace-write"`. */
  legacyFlags: string[];
  /** The same, structured: the flag as spelled (one of LEGACY_FLAGS) and its value, if it takes one. */
  legacy: Array<{ flag: LegacyFlag; value: string | null }>;
}

/** An option as Codex read it: `name` is the long name (`--profile` for `-p`), `spelled` what was written. */
export interface CodexOption {
  name: string;
  spelled: string;
  value: string | null;
  /** Index of the argument that holds the option, and of the one that holds its value (the same when attached). */
  at: number;
  valueAt: number | null;
}

export interface CodexCommandLine {
  subcommand: string | null;
  options: CodexOption[];
}

const ALIASES: Record<string, string> = { e: "exec", a: "apply" };
const SUBCOMMANDS = new Set([
  ...Object.keys(ALIASES),
  "agents",
  "app-server",
  "apply",
  "archive",
  "cloud",
  "completion",
  "debug",
  "delete",
  "doctor",
  "exec",
  "exec-server",
  "execpolicy",
  "features",
  "fork",
  "help",
  "login",
  "logout",
  "mcp",
  "mcp-server",
  "migrate-nfs-db",
  "migrate-rollouts",
  "plugin",
  "queue",
  "remote-control",
  "responses-api-proxy",
  "resume",
  "review",
  "sandbox",
  "stdio-to-uds",
  "unarchive",
  "update",
]);

// Options that take a value, written `-x/--long` or `--long`; `...` marks one that takes several (`-i a.png b.png`).
const COMMON = ["-c/--config", "--enable", "--disable"];
const REMOTE = ["--remote", "--remote-auth-token-env"];
const SESSION = [
  ...COMMON,
  ...REMOTE,
  "-i/--image...",
  "-m/--model",
  "--local-provider",
  "-p/--profile",
  "-s/--sandbox",
  "-C/--cd",
  "--add-dir",
  "-a/--ask-for-approval",
];
const WS_AUTH = [
  "--ws-audience",
  "--ws-auth",
  "--ws-issuer",
  "--ws-max-clock-skew-seconds",
  "--ws-shared-secret-file",
  "--ws-token-file",
  "--ws-token-sha256",
];
const VALUE_OPTIONS: Record<string, string[]> = {
  "": SESSION,
  resume: SESSION,
  fork: SESSION,
  archive: SESSION,
  unarchive: SESSION,
  delete: SESSION,
  queue: [...SESSION, "--message", "--thread"],
  exec: [
    ...SESSION,
    "--color",
    "--cyber-access-program",
    "-o/--output-last-message",
    "--output-schema",
    "--thread-source",
    "--base",
    "--commit",
    "--title",
  ],
  review: [...COMMON, "--base", "--commit", "--title"],
  agents: [...COMMON, ...REMOTE, "-C/--cd"],
  sandbox: [
    ...COMMON,
    "-C/--cd",
    "-p/--profile",
    "-P/--permission-profile",
    "--permissions-profile",
    "--sandbox-state-json",
    "--sandbox-state-readable-root",
  ],
  mcp: [
    ...COMMON,
    "--env",
    "--url",
    "--bearer-token-env-var",
    "--scopes",
    "--oauth-client-id",
    "--oauth-client-registration",
    "--oauth-client-secret",
    "--oauth-resource",
  ],
  "app-server": [
    ...COMMON,
    ...WS_AUTH,
    "--listen",
    "--code-mode-host",
    "--cloud-skills-snapshot",
    "--startup-client-info",
    "--sock",
    "-o/--out",
    "-p/--prettier",
  ],
  "exec-server": [
    ...COMMON,
    ...WS_AUTH,
    "--remote",
    "--listen",
    "--name",
    "--connect",
    "--environment-id",
    "--concurrent-requests",
    "--remote-transport",
    "--chatgpt-account-id",
    "--aws-profile",
    "--aws-region",
    "--aws-service",
    "--linux-sandbox-pid-namespace",
    "--tcp-upstream-proxy",
  ],
  cloud: [...COMMON, "--attempt", "--attempts", "--branch", "--cursor", "--env", "--limit"],
  plugin: [...COMMON, "-m/--marketplace"],
  debug: [...COMMON, "-i/--image..."],
  "migrate-rollouts": [...COMMON, "--max-mib-per-second", "--thread"],
  "migrate-nfs-db": [...COMMON, "--staging-dir"],
};

interface ValueOption {
  name: string;
  multiple: boolean;
}
type OptionTable = Map<string, ValueOption>;

const TABLES = new Map<string, OptionTable>(
  Object.entries(VALUE_OPTIONS).map(([subcommand, specs]) => [subcommand, optionTable(specs)]),
);
const COMMON_TABLE = optionTable(COMMON);

function optionTable(specs: string[]): OptionTable {
  const table: OptionTable = new Map();
  for (const spec of specs) {
    const multiple = spec.endsWith("...");
    const names = spec.replace(/\.\.\.$/, "").split("/");
    const option = { name: names[names.length - 1] as string, multiple };
    for (const name of names) table.set(name, option);
  }
  return table;
}

/**
 * Reads Codex's arguments (without the program name) as clap does. A launcher's argument it cannot know is passed
 * as written (`$@`, `$(…)`): beginning with `$`, it is never taken for an option or a subcommand.
 */
export function parseCodexArgs(args: readonly string[]): CodexCommandLine {
  const options: CodexOption[] = [];
  let subcommand: string | null = null;
  // Only the first positional may be the subcommand.
  let subcommandOpen = true;
  let table = TABLES.get("") as OptionTable;
  let endOfOptions = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (endOfOptions || !arg.startsWith("-") || arg === "-") {
      if (subcommandOpen && !endOfOptions && SUBCOMMANDS.has(arg)) {
        subcommand = ALIASES[arg] ?? arg;
        table = TABLES.get(subcommand) ?? COMMON_TABLE;
      }
      subcommandOpen = false;
    } else if (arg === "--") {
      endOfOptions = true;
    } else {
      const read = arg.startsWith("--") ? readLong(args, i, table) : readShortCluster(args, i, table);
      options.push(...read.options);
      i = read.next - 1;
    }
  }
  return { subcommand, options };
}

interface ReadOptions {
  options: CodexOption[];
  /** Index of the first argument not consumed. */
  next: number;
}

function readLong(args: readonly string[], at: number, table: OptionTable): ReadOptions {
  const text = args[at] as string;
  const eq = text.indexOf("=");
  const spelled = eq < 0 ? text : text.slice(0, eq);
  const spec = table.get(spelled);
  if (eq >= 0) {
    const option = { name: spec?.name ?? spelled, spelled, value: text.slice(eq + 1), at, valueAt: at };
    return { options: [option], next: at + 1 };
  }
  if (!spec) return { options: [{ name: spelled, spelled, value: null, at, valueAt: null }], next: at + 1 };
  return readValues(args, at, at + 1, spec, spelled);
}

/** `-hV`, `-sdanger-full-access`, `-c=key=v`, `-c key=v`: flags until a letter that takes a value. */
function readShortCluster(args: readonly string[], at: number, table: OptionTable): ReadOptions {
  const text = args[at] as string;
  const options: CodexOption[] = [];
  for (let k = 1; k < text.length; k++) {
    const spelled = `-${text[k]}`;
    const spec = table.get(spelled);
    if (!spec) {
      options.push({ name: spelled, spelled, value: null, at, valueAt: null });
      continue;
    }
    const attached = text.slice(k + 1).replace(/^=/, "");
    if (attached !== "") {
      options.push({ name: spec.name, spelled, value: attached, at, valueAt: at });
      return { options, next: at + 1 };
    }
    const rest = readValues(args, at, at + 1, spec, spelled);
    return { options: [...options, ...rest.options], next: rest.next };
  }
  return { options, next: at + 1 };
}

/** The value in the next argument; an option that takes several keeps taking them until the next option. */
function readValues(
  args: readonly string[],
  at: number,
  from: number,
  spec: ValueOption,
  spelled: string,
): ReadOptions {
  const first = args[from];
  if (first === undefined)
    return { options: [{ name: spec.name, spelled, value: null, at, valueAt: null }], next: from };
  const options = [{ name: spec.name, spelled, value: first, at, valueAt: from }];
  let next = from + 1;
  while (spec.multiple && next < args.length && !(args[next] as string).startsWith("-")) {
    options.push({ name: spec.name, spelled, value: args[next] as string, at, valueAt: next });
    next++;
  }
  return { options, next };
}

const LEGACY = new Set<string>(LEGACY_FLAGS);
const LEGACY_CONFIG_KEY = /^(sandbox_mode|sandbox_workspace_write)\b/;

/** The `--add-dir` folders of the launches, absolute (a relative one is relative to the project). */
export function addDirsOf(project: string, argvs: ReadonlyArray<Pick<ObservedArgv, "legacy">>): string[] {
  return argvs.flatMap((argv) =>
    argv.legacy.flatMap((legacy) =>
      legacy.flag === "--add-dir" && legacy.value ? [resolve(project, legacy.value)] : [],
    ),
  );
}

/** The legacy flag an option is, as spelled (`-s`, `--yolo`, `-c sandbox_mode`), or null. */
export function legacyFlagOf(option: CodexOption): LegacyFlag | null {
  if (option.name === "--config") {
    const legacy = LEGACY_CONFIG_KEY.exec(configKey(option.value ?? ""));
    return legacy ? (`-c ${legacy[1]}` as LegacyFlag) : null;
  }
  return LEGACY.has(option.spelled) ? (option.spelled as LegacyFlag) : null;
}

/**
 * What a command line selects. `trusted(index)` says whether the argument at that index is exactly known; a
 * profile or `-c` value that is not is left out (a launcher's `--profile "$1"`).
 */
export function summarizeCodexArgs(
  line: CodexCommandLine,
  trusted: (index: number) => boolean = () => true,
): ObservedArgv {
  const result: ObservedArgv = {
    subcommand: line.subcommand,
    profile: null,
    overrides: [],
    legacyFlags: [],
    legacy: [],
  };
  for (const option of line.options) {
    const known = option.valueAt !== null && trusted(option.valueAt);
    if (option.name === "--profile" && known) result.profile = option.value;
    if (option.name === "--config" && option.value !== null && known) {
      result.overrides.push({ key: configKey(option.value), raw: option.value });
    }
    const flag = legacyFlagOf(option);
    if (flag === null) continue;
    result.legacy.push({ flag, value: option.value });
    const written = option.name === "--config" ? "-c" : option.spelled;
    result.legacyFlags.push(option.value === null ? written : `${written} ${option.value}`);
  }
  return result;
}

/** Parses an argv the shim recorded, after removing the arguments the harness appended (`appended`, in order). */
export function parseObservedArgv(argv: string[], appended: string[] = []): ObservedArgv {
  return summarizeCodexArgs(parseCodexArgs(withoutSequence(argv, appended)));
}

function withoutSequence(argv: string[], sequence: string[]): string[] {
  if (sequence.length === 0) return argv;
  for (let start = argv.length - sequence.length; start >= 0; start--) {
    if (sequence.every((arg, k) => argv[start + k] === arg)) {
      return [...argv.slice(0, start), ...argv.slice(start + sequence.length)];
    }
  }
  return argv;
}

export function configKey(raw: string): string {
  const eq = raw.indexOf("=");
  return (eq < 0 ? raw : raw.slice(0, eq)).trim();
}
