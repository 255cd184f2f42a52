// What a Codex release supports, probed once per audit: its version, and which of the arguments the harness
// appends to `exec` it accepts (decisions §1). Releases differ (measured, test/fixtures/codex/<version>/):
//
// | release           | `--ephemeral` | feature `unbounded_connection_retries` | permission profiles |
// |-------------------|---------------|----------------------------------------|---------------------|
// | 0.133.0           | yes           | no (exec refuses: Unknown feature flag) | no                  |
// | 0.139.0           | yes           | no (exec refuses: Unknown feature flag) | yes                 |
// | 0.150.0 – 0.171.0 | yes           | yes                                    | yes                 |
//
// A release that cannot load permission profiles cannot run the setup at all (it refuses to start on the profile):
// every claim is broken with it, so its launch-based checks fail with one line saying so and the upgrade as the
// fix, instead of the same Rust error in every check. An unknown newer release is audited normally.
import { mkdirSync } from "node:fs";
import type { FactName, Facts } from "../core/model.js";
import { brokenSetup } from "../core/model.js";
import { launch } from "../gather/launch.js";
import { compareVersions, parseCodexVersion } from "./version.js";

/** The first release verified to load a permission profile from `$CODEX_HOME/<name>.config.toml` (`--profile`). */
const PERMISSION_PROFILES_SINCE = "0.139.0";
/** Bounded retries, so an `exec` whose mock model is gone ends instead of retrying forever. */
const CONNECTION_RETRIES_FEATURE = "unbounded_connection_retries";

export interface CodexSupport {
  /** The Codex the audit runs (what the launcher finds first on PATH, or `--codex`). */
  path: string;
  /** Its release number, or null when `--version` printed none. */
  version: string | null;
  /** `exec --disable unbounded_connection_retries` is accepted. */
  disableConnectionRetries: boolean;
  /** `exec --ephemeral` is accepted (no session rollout in the user's history). */
  ephemeral: boolean;
}

/** Feature names in `codex features list` (`name  stage  enabled` columns). */
export function parseFeatureNames(featuresList: string): Set<string> {
  const names = new Set<string>();
  for (const line of featuresList.split("\n")) {
    const match = /^([a-z][a-z0-9_]*)\s{2,}\S/.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

/** Long options a `--help` text documents (`--ephemeral`, `--disable <FEATURE>` → `--disable`). */
export function parseLongOptions(help: string): Set<string> {
  const options = new Set<string>();
  for (const line of help.split("\n")) {
    const match = /^\s+(?:-\w, )?(--[a-z][a-z0-9-]*)/.exec(line);
    if (match?.[1]) options.add(match[1]);
  }
  return options;
}

/** The support facts from the three probe outputs. */
export function supportFrom(
  path: string,
  outputs: { version: string; featuresList: string; execHelp: string },
): CodexSupport {
  const execOptions = parseLongOptions(outputs.execHelp);
  return {
    path,
    version: parseCodexVersion(outputs.version),
    disableConnectionRetries:
      execOptions.has("--disable") && parseFeatureNames(outputs.featuresList).has(CONNECTION_RETRIES_FEATURE),
    ephemeral: execOptions.has("--ephemeral"),
  };
}

/** What the harness appends to the launcher's `exec` (before the mock provider's `-c`s and the prompt). */
export function execAppendedArgs(support: CodexSupport | null): string[] {
  if (support === null) return [];
  return [
    ...(support.disableConnectionRetries ? ["--disable", CONNECTION_RETRIES_FEATURE] : []),
    ...(support.ephemeral ? ["--ephemeral"] : []),
  ];
}

/** One line when the release is too old for a permission-profile setup; null when it can run it (or is unknown). */
export function unsupportedReason(support: CodexSupport | null): string | null {
  const version = support?.version;
  if (!version || compareVersions(version, PERMISSION_PROFILES_SINCE) >= 0) return null;
  const [major, minor] = PERMISSION_PROFILES_SINCE.split(".");
  return `Codex ${version} cannot load permission profiles; this setup needs ${major}.${minor} or newer`;
}

/** Facts only a Codex launch can supply (`launcher` is observed through exec too, else read statically). */
export const LAUNCH_FACTS: readonly FactName[] = [
  "hostSandbox",
  "exec",
  "runner",
  "network",
  "sideEffects",
  "credentials",
  "credentialFiles",
  "profileRules",
  "domainRules",
  "tui",
  "mcpGet",
  "staging",
  "mcpRuntime",
];

/**
 * The launch-based facts, when the release cannot run the setup: every claim is broken with it (Codex refuses to
 * start on the profile), so the checks that need a launch fail with the one-line reason and the upgrade as fix.
 */
export function withUnsupportedRelease(facts: Facts, unsupported: string | null): Facts {
  if (unsupported === null) return facts;
  const [major, minor] = PERMISSION_PROFILES_SINCE.split(".");
  const breaks = {
    expected: `a Codex release that loads permission profiles (${major}.${minor} or newer)`,
    remediation: `Upgrade Codex to ${major}.${minor} or newer (npm install -g @openai/codex@latest, or the release the setup is pinned to): an older release does not load the permission profile, so nothing it says applies.`,
  };
  const refused = { ...facts };
  for (const name of LAUNCH_FACTS) refused[name] = brokenSetup(unsupported, breaks);
  return refused;
}

/**
 * Probes `codex --version`, `codex features list` and `codex exec --help` (together ~0.3 s). `features list`
 * runs on an empty private Codex home (`probeHome`): the user's config, even a broken one, plays no part.
 */
export async function probeCodexSupport(
  codex: string | null,
  opts: { probeHome: string; env: Record<string, string>; timeoutMs: number },
): Promise<CodexSupport | null> {
  if (codex === null) return null;
  mkdirSync(opts.probeHome, { recursive: true });
  const run = (args: string[]) =>
    launch(codex, args, {
      cwd: opts.probeHome,
      env: { ...opts.env, CODEX_HOME: opts.probeHome },
      timeoutMs: opts.timeoutMs,
    });
  const [version, featuresList, execHelp] = await Promise.all([
    run(["--version"]),
    run(["features", "list"]),
    run(["exec", "--help"]),
  ]);
  return supportFrom(codex, {
    version: version.stdout,
    featuresList: featuresList.exitCode === 0 ? featuresList.stdout : "",
    execHelp: execHelp.stdout,
  });
}
