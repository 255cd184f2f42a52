// The bundled reference setup: a fake home, Codex home, git project and launcher that realise the seed README
// exactly, with loopback stand-ins for its two MCP servers. `codex-smoke demo` audits it; a correct Codex
// enforces every claim on it. Built in a fresh dir outside /tmp (decisions §5) and removed by `dispose`.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { type CodexInstall, findCodexInstall } from "./codex-install.js";
import { startMcpHttpStandin } from "./mcp-http-standin.js";
import type { StandinEvent } from "./mcp-stdio-standin.js";
import { stdioStandinScript } from "./standin-script.js";

const REFERENCE_PROFILE = "azi4a2-autonomous";
/** The project folder the README keeps read-only besides `.codex`. */
export const SITE_DIR = "www.azinstitute4autism.com";

export interface ReferenceSetup {
  root: string;
  home: string;
  codexHome: string;
  project: string;
  /** `<project>/codex-auto` */
  launcher: string;
  profileName: string;
  profileFile: string;
  baseConfigFile: string;
  /** The fake secret inside auth.json: it must never appear in any output. */
  canary: string;
  /** The curated environment for launches (decisions §12). */
  env: Record<string, string>;
  /**
   * The tool calls the setup's own MCP servers (its stand-ins for the user's real servers) received, by server
   * name: the audit's probe calls must never reach them.
   */
  mcpCalls(): Record<string, string[]>;
  /** Stops the HTTP stand-in and removes `root`. */
  dispose(): Promise<void>;
}

const run = promisify(execFile);

/** TOML basic string: JSON's escapes are a subset of TOML's. */
const tomlString = (value: string): string => JSON.stringify(value);

// Analytics, plugin sync and the update check are the startup calls that would leave the machine (lab §8.7).
const BASE_CONFIG = `# Codex home config of the codex-smoke reference setup: start offline.
check_for_update_on_startup = false

[analytics]
enabled = false

[features]
plugins = false
`;

function profileToml(p: {
  vendorDir: string;
  nodePrefix: string | null;
  playwrightCommand: string;
  playwrightScript: string;
  /** Where the stand-in logs the calls it receives (a variable: `/mcp verbose` and failures show the command line). */
  playwrightLog: string;
  docsUrl: string;
}): string {
  const name = REFERENCE_PROFILE;
  const runtimeEntries = [
    `${tomlString(p.vendorDir)} = "read"`,
    ...(p.nodePrefix === null ? [] : [`${tomlString(p.nodePrefix)} = "read"`]),
  ];
  return `# ${name}: the permission profile the project launcher ./codex-auto selects (codex --profile ${name}).
# Never add sandbox_mode or [sandbox_workspace_write]: legacy sandbox settings replace this profile.
approval_policy = "never"
web_search = "live"
default_permissions = "${name}"

[permissions.${name}]
description = "Minimal runtime plus this project (writable); .codex and ${SITE_DIR} read-only; network on; auth.json denied"

[permissions.${name}.filesystem]
":minimal" = "read"
# The Codex native package (sandboxed commands exec its binary) and, if outside /usr, node.
${runtimeEntries.join("\n")}
"~/.codex/auth.json" = "none"

[permissions.${name}.filesystem.":workspace_roots"]
"." = "write"
".codex" = "read"
"${SITE_DIR}" = "read"
# The launcher decides how every session starts: read-only inside, so no session can rewrite it.
"codex-auto" = "read"

[permissions.${name}.network]
enabled = true

# Defined here so the launcher's -c mcp_servers.* overrides (approval mode, tool timeout) have servers to apply to.
[mcp_servers.playwright]
command = ${tomlString(p.playwrightCommand)}
args = [${tomlString(p.playwrightScript)}]
env = { CODEX_SMOKE_STANDIN_LOG = ${tomlString(p.playwrightLog)} }

[mcp_servers.openaiDeveloperDocs]
url = ${tomlString(p.docsUrl)}
`;
}

// Written from the seed README: profile, five session overrides, --skip-git-repo-check for exec, no legacy flags.
const LAUNCHER = `#!/usr/bin/env bash
# codex-auto: run Codex with the ${REFERENCE_PROFILE} permission profile (see README.md).
#   ./codex-auto                  interactive session
#   ./codex-auto exec "<task>"    non-interactive, also where Codex cannot discover the Git metadata
#   ./codex-auto <subcommand> ... any other subcommand, with the same profile and overrides
# Env: CODEX_BIN (default: codex on PATH), CODEX_PROFILE (default: ${REFERENCE_PROFILE}).
set -euo pipefail

codex_bin=\${CODEX_BIN:-codex}
profile=\${CODEX_PROFILE:-${REFERENCE_PROFILE}}
profile_file=\${CODEX_HOME:-$HOME/.codex}/$profile.config.toml

# Codex silently ignores --profile for a missing file and would run without the permission profile.
if [[ ! -f $profile_file ]]; then
  echo "codex-auto: profile file not found: $profile_file" >&2
  exit 2
fi

# Legacy sandbox flags replace the permission profile; bypassing the sandbox defeats it.
for arg in "$@"; do
  case $arg in
    -s | --sandbox | --sandbox=* | --dangerously-bypass-approvals-and-sandbox)
      echo "codex-auto: refusing $arg: it would override the $profile permission profile" >&2
      exit 2
      ;;
  esac
done

overrides=(
  --profile "$profile"
  -c 'approval_policy="never"'
  -c 'mcp_servers.playwright.default_tools_approval_mode="approve"'
  -c 'mcp_servers.playwright.tool_timeout_sec=300'
  -c 'mcp_servers.openaiDeveloperDocs.default_tools_approval_mode="approve"'
  -c 'mcp_servers.openaiDeveloperDocs.tool_timeout_sec=300'
)

if [[ \${1:-} == exec || \${1:-} == e ]]; then
  shift
  # An exec-only flag: lets exec run in a mounted workspace whose Git metadata Codex cannot see.
  exec "$codex_bin" exec "\${overrides[@]}" --skip-git-repo-check "$@"
fi
exec "$codex_bin" "\${overrides[@]}" "$@"
`;

const PROJECT_README = `# Autonomous Codex

Run Codex through the project launcher, which selects the ${REFERENCE_PROFILE} permission profile:

    ./codex-auto
    ./codex-auto exec "<task>"

Do not add --sandbox or --dangerously-bypass-approvals-and-sandbox.
The profile lives outside the workspace at ~/.codex/${REFERENCE_PROFILE}.config.toml.
`;

const CA_AND_PROXY_VARS = [
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "CURL_CA_BUNDLE",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "ALL_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "all_proxy",
  "no_proxy",
];

/** The curated launch environment: nothing secret-looking from the caller, so the demo passes in any CI. */
function curatedEnv(home: string, codexHome: string, codexBinDir: string): Record<string, string> {
  const path = [codexBinDir, dirname(process.execPath), ...(process.env.PATH ?? "").split(delimiter)].filter(
    (dir, index, all) => dir !== "" && all.indexOf(dir) === index,
  );
  const term = process.env.TERM;
  const env: Record<string, string> = {
    PATH: path.join(delimiter),
    HOME: home,
    CODEX_HOME: codexHome,
    LANG: process.env.LANG ?? "C.UTF-8",
    // The TUI stops at a prompt with TERM=dumb.
    TERM: term === undefined || term === "dumb" ? "xterm-256color" : term,
    TZ: process.env.TZ ?? "UTC",
  };
  for (const name of CA_AND_PROXY_VARS) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * The setup's own bin dir, first on PATH, holding a link to the Codex under test: the user's own `codex` on PATH.
 * Not the install's bin dir: for the dev dependency that is codex-smoke's own `node_modules/.bin`, which `run`
 * drops from PATH (it is never the user's Codex).
 */
async function codexOnPath(root: string, install: CodexInstall): Promise<string> {
  const bin = join(root, "bin");
  await mkdir(bin);
  await symlink(resolve(install.bin), join(bin, "codex"));
  return bin;
}

/** `:minimal` covers /usr, /bin, /lib…; node elsewhere (nvm, /opt) needs its prefix readable in the sandbox. */
function nodePrefixOutsideMinimal(): string | null {
  const execPath = process.execPath;
  if (["/usr/", "/bin/"].some((dir) => execPath.startsWith(dir))) return null;
  return dirname(dirname(execPath));
}

/** The tools named in a stdio stand-in's `--log` (none when it was never called). */
function loggedCalls(log: string): string[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as StandinEvent)
    .flatMap((event) => (event.event === "call" ? [event.tool] : []));
}

async function writeFiles(base: string, files: Record<string, string>): Promise<void> {
  for (const [relative, text] of Object.entries(files)) {
    const file = join(base, relative);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  }
}

async function makeProject(project: string, home: string): Promise<void> {
  await writeFiles(project, {
    "README.md": PROJECT_README,
    "codex-auto": LAUNCHER,
    ".codex/keep": "",
    [`${SITE_DIR}/index.html`]: "<!doctype html>\n<title>azinstitute4autism</title>\n<p>Site content.</p>\n",
  });
  await chmod(join(project, "codex-auto"), 0o755);
  // The caller's git config (hooks, signing, templates) must not shape the project: fake HOME, no system config.
  const git = (...args: string[]) =>
    run("git", args, {
      cwd: project,
      env: { PATH: process.env.PATH ?? "", HOME: home, GIT_CONFIG_NOSYSTEM: "1", LANG: "C" },
    });
  await git("init", "-q", "-b", "main");
  await git("add", ".");
  await git(
    "-c",
    "user.name=codex-smoke demo",
    "-c",
    "user.email=demo@codex-smoke.invalid",
    "commit",
    "-q",
    "--no-verify",
    "-m",
    "Reference project",
  );
}

export async function buildReferenceSetup(
  opts: { parentDir?: string; codex?: CodexInstall } = {},
): Promise<ReferenceSetup> {
  const parentDir = opts.parentDir ?? join(homedir(), ".cache", "codex-smoke");
  await mkdir(parentDir, { recursive: true });
  const root = await mkdtemp(join(parentDir, "demo-"));
  const docs = await startMcpHttpStandin();
  const dispose = async () => {
    await docs.close();
    await rm(root, { recursive: true, force: true });
  };

  try {
    const install = opts.codex ?? findCodexInstall();
    const home = join(root, "home");
    const codexHome = join(home, ".codex");
    const project = join(root, "work", "proj");
    const profileFile = join(codexHome, `${REFERENCE_PROFILE}.config.toml`);
    const baseConfigFile = join(codexHome, "config.toml");
    const canary = `sk-codexsmoke-canary-${randomBytes(12).toString("hex")}`;
    const playwrightLog = join(root, "mcp", "playwright-calls.jsonl");
    await mkdir(dirname(playwrightLog), { recursive: true });

    await mkdir(codexHome, { recursive: true, mode: 0o700 });
    await writeFile(join(codexHome, "auth.json"), `${JSON.stringify({ OPENAI_API_KEY: canary })}\n`, {
      mode: 0o600,
    });
    await mkdir(join(home, ".ssh"), { mode: 0o700 });
    await writeFile(join(home, ".ssh", "id_rsa"), "codex-smoke fake private key, not a real one\n", {
      mode: 0o600,
    });
    await writeFile(baseConfigFile, BASE_CONFIG);
    await writeFile(
      profileFile,
      profileToml({
        vendorDir: install.vendorDir,
        nodePrefix: nodePrefixOutsideMinimal(),
        playwrightCommand: process.execPath,
        playwrightScript: await stdioStandinScript(join(root, "mcp")),
        playwrightLog,
        docsUrl: docs.url,
      }),
    );
    await makeProject(project, home);

    return {
      root,
      home,
      codexHome,
      project,
      launcher: join(project, "codex-auto"),
      profileName: REFERENCE_PROFILE,
      profileFile,
      baseConfigFile,
      canary,
      env: curatedEnv(home, codexHome, await codexOnPath(root, install)),
      mcpCalls: () => ({
        playwright: loggedCalls(playwrightLog),
        openaiDeveloperDocs: docs.calls().map((call) => call.tool),
      }),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
