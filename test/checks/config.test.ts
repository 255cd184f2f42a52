import { describe, expect, it } from "vitest";
import configMcpApprovalTables from "../../checks/config/mcp_approval_tables.js";
import configProfile from "../../checks/config/profile.js";
import configProjectOverride from "../../checks/config/project_override.js";
import { judge } from "../../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../../src/core/expectations.js";
import type { FactValues } from "../../src/core/model.js";
import {
  configFacts,
  effectiveConfig,
  healthyFacts,
  LAUNCHER_OVERRIDES,
  PROFILE_PATH,
  PROJECT,
  profileData,
} from "../fixtures/facts/healthy.js";
import { factsOf, testCheck } from "./rule-tester.js";

// biome-ignore lint/suspicious/noExplicitAny: tests mutate parsed TOML documents freely
type Table = Record<string, any>;

/**
 * Rebuilds the config facts from a mutated copy of the healthy profile file. The effective config the case
 * expects is the healthy one (written out in the fixture) with the same change: the launcher's `-c` set none of
 * the keys these cases change. A case whose change a `-c` shadows gives its own `effective` change.
 */
const withProfile =
  (
    mutate: (profile: Table) => void,
    overrides: string[] = LAUNCHER_OVERRIDES,
    effective: (config: Table) => void = mutate,
  ) =>
  (f: FactValues) => {
    const profile = profileData() as Table;
    mutate(profile);
    const config = effectiveConfig() as Table;
    effective(config);
    f.config = configFacts({ profile, effective: config }, overrides);
  };
/** The effective config when the profile file is missing or does not parse: config.toml and the launcher's -c. */
const WITHOUT_PROFILE = {
  analytics: { enabled: false },
  features: { plugins: false },
  approval_policy: "never",
  mcp_servers: {
    playwright: { default_tools_approval_mode: "approve", tool_timeout_sec: 300 },
    openaiDeveloperDocs: { default_tools_approval_mode: "approve", tool_timeout_sec: 300 },
  },
};
const DEFINE_PROFILE_FIX = `Set \`default_permissions\` to a \`[permissions.<name>]\` table of your own, as the README shows (the profile file: ${PROFILE_PATH}).`;
const filesystem = (p: Table): Table => p.permissions["azi4a2-autonomous"].filesystem;

testCheck(configProfile, {
  valid: [
    {
      name: "a stray sandbox_mode in config.toml: a warning; config.layers judges it from the launches",
      facts: (f) => {
        const base = { analytics: { enabled: false }, sandbox_mode: "workspace-write" };
        f.config = configFacts({ base, effective: { ...effectiveConfig(), ...base } });
      },
      status: "warn",
      observed:
        '/home/alice/.codex/config.toml sets sandbox_mode = "workspace-write": a legacy sandbox setting; config.layers judges from the launches whether it replaces the profile; latent: a plain `codex` start (without --profile) would run the legacy sandbox',
      remediation: `Remove what sets the legacy sandbox (/home/alice/.codex/config.toml sets sandbox_mode = "workspace-write"): the permission profile alone should decide the sandbox.`,
    },
    {
      name: "sandbox_mode in the profile file: a warning too",
      facts: withProfile((p) => {
        p.sandbox_mode = "workspace-write";
      }),
      status: "warn",
      observed:
        'azi4a2-autonomous.config.toml sets sandbox_mode = "workspace-write": a legacy sandbox setting',
      remediation: `Remove what sets the legacy sandbox (${PROFILE_PATH} sets sandbox_mode = "workspace-write"): the permission profile alone should decide the sandbox.`,
    },
    {
      name: "legacy settings in config.toml and in the launcher: each named, and no launch fact needed",
      facts: (f) => {
        const base = {
          analytics: { enabled: false },
          sandbox_mode: "workspace-write",
          sandbox_workspace_write: { network_access: true },
        };
        const overrides = [
          ...LAUNCHER_OVERRIDES,
          "sandbox_mode=danger-full-access",
          "sandbox_workspace_write.network_access=true",
          "xsandbox_mode=1",
        ];
        f.config = configFacts({ base, effective: { ...effectiveConfig(), ...base } }, overrides);
      },
      missing: { runner: "not needed", tui: "not needed", exec: "not needed" },
      status: "warn",
      evidence: [
        '/home/alice/.codex/config.toml sets sandbox_mode = "workspace-write": a plain `codex` start (without --profile) would run the legacy sandbox instead of "azi4a2-autonomous", and the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile (sandbox_mode: auth.json and the whole disk readable under workspace-write)',
        '/home/alice/.codex/config.toml sets sandbox_workspace_write: a plain `codex` start (without --profile) would run the legacy sandbox instead of "azi4a2-autonomous", and the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile (sandbox_workspace_write: auth.json and the whole disk readable under workspace-write)',
        'launcher -c sets sandbox_mode = "danger-full-access": the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile (sandbox_mode: auth.json and the whole disk readable under workspace-write)',
        "launcher -c sets sandbox_workspace_write: the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile (sandbox_workspace_write: auth.json and the whole disk readable under workspace-write)",
      ],
      remediation: `Remove what sets the legacy sandbox (/home/alice/.codex/config.toml sets sandbox_mode = "workspace-write"; /home/alice/.codex/config.toml sets sandbox_workspace_write; launcher -c sets sandbox_mode = "danger-full-access"; launcher -c sets sandbox_workspace_write): the permission profile alone should decide the sandbox.`,
    },
    {
      name: "config.toml names another default_permissions: config.layers judges it, no legacy sandbox here",
      facts: (f) => {
        const base = { analytics: { enabled: false }, default_permissions: "other", network_proxy: { x: 1 } };
        f.config = configFacts({ base, effective: effectiveConfig() });
      },
      status: "pass",
    },
    {
      name: "README profile",
      status: "pass",
      expected: `${PROFILE_PATH}: a [permissions] profile with :minimal read, auth.json denied, the project writable, .codex and www.azinstitute4autism.com read-only, network on, nothing else writable; approval_policy never, web_search live`,
      observed: 'default_permissions = "azi4a2-autonomous" declares the claimed permissions',
      evidence: [
        PROFILE_PATH,
        '[permissions.azi4a2-autonomous]: ":minimal" = "read", "/opt/codex/node_modules/@openai/codex-linux-x64/vendor" = "read", "~/.codex/auth.json" = "none", ":workspace_roots" { "." = "write", ".codex" = "read", "www.azinstitute4autism.com" = "read" }',
      ],
    },
    {
      name: '":root" = "none" denies the rest of the filesystem',
      facts: withProfile((p) => {
        filesystem(p)[":root"] = "none";
      }),
      status: "pass",
    },
    {
      name: '":root" = "deny" too',
      facts: withProfile((p) => {
        filesystem(p)[":root"] = "deny";
      }),
      status: "pass",
    },
    {
      name: 'the whole "~/.codex" denied',
      facts: withProfile((p) => {
        delete filesystem(p)["~/.codex/auth.json"];
        filesystem(p)["~/.codex"] = "none";
      }),
      status: "pass",
    },
    {
      name: "the whole CODEX_HOME denied by its absolute path",
      facts: withProfile((p) => {
        delete filesystem(p)["~/.codex/auth.json"];
        filesystem(p)["/home/alice/.codex"] = "deny";
      }),
      status: "pass",
    },
    {
      name: '":project_roots", the other name of the workspace roots',
      facts: withProfile((p) => {
        filesystem(p)[":project_roots"] = filesystem(p)[":workspace_roots"];
        delete filesystem(p)[":workspace_roots"];
      }),
      status: "pass",
    },
    {
      name: "read-only folders Codex protects by itself may be left out",
      expect: { readonlyPaths: [".codex", ".git", ".agents", ".aws"] },
      facts: withProfile((p) => {
        delete filesystem(p)[":workspace_roots"][".codex"];
      }),
      status: "pass",
    },
    {
      name: "no config.toml at all",
      facts: (f) => {
        f.config.base = { path: "/home/alice/.codex/config.toml", role: "base", exists: false };
      },
      status: "pass",
    },
    {
      name: "the project itself written as an absolute write entry",
      facts: withProfile((p) => {
        delete filesystem(p)[":workspace_roots"]["."];
        filesystem(p)[PROJECT] = "write";
      }),
      status: "pass",
    },
    {
      name: "auth.json denied through an absolute CODEX_HOME path",
      facts: withProfile((p) => {
        delete filesystem(p)["~/.codex/auth.json"];
        filesystem(p)["/home/alice/.codex/auth.json"] = "deny";
      }),
      status: "pass",
    },
    {
      name: "project paths written as absolute paths instead of under :workspace_roots",
      facts: withProfile((p) => {
        const roots = filesystem(p)[":workspace_roots"];
        delete roots["."];
        delete roots["www.azinstitute4autism.com"];
        filesystem(p)[PROJECT] = "write";
        filesystem(p)[`${PROJECT}/www.azinstitute4autism.com`] = "read";
      }),
      status: "pass",
    },
    {
      name: ".codex left to Codex's built-in protection (no explicit entry)",
      facts: withProfile((p) => {
        delete filesystem(p)[":workspace_roots"][".codex"];
      }),
      status: "pass",
    },
    {
      name: "profile says on-request but the launcher passes approval_policy=never",
      facts: withProfile(
        (p) => {
          p.approval_policy = "on-request";
        },
        LAUNCHER_OVERRIDES,
        () => {},
      ),
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "profile file missing",
      facts: (f) => {
        f.config = configFacts({ profile: null, effective: WITHOUT_PROFILE });
      },
      status: "fail",
      expected: `${PROFILE_PATH} exists`,
      observed: `${PROFILE_PATH} does not exist`,
      evidence: [
        "Codex silently ignores --profile for a missing file and runs without the permission profile",
      ],
      remediation: `Create ${PROFILE_PATH} as the README shows (or make the launcher's --profile name the file that exists).`,
    },
    {
      name: "config.toml does not parse either: both errors",
      facts: (f) => {
        const error = (line: number) => ({ line, column: 1, message: "duplicate key" });
        f.config.profile = { ...f.config.profile, data: undefined, parseError: error(2) };
        f.config.base = { ...f.config.base, data: undefined, parseError: error(7) };
        f.config.effective = {};
      },
      status: "fail",
      expected: `${PROFILE_PATH} parses`,
      observed: `${PROFILE_PATH}:2:1: duplicate key`,
      evidence: [`${PROFILE_PATH}:2:1: duplicate key`, "/home/alice/.codex/config.toml:7:1: duplicate key"],
      remediation: "Correct the TOML at the line and column the parse error names.",
    },
    {
      name: "default_permissions set in no layer",
      facts: withProfile((p) => {
        delete p.default_permissions;
      }),
      status: "fail",
      evidence: ["default_permissions is not set in any layer: no permission profile is active"],
      remediation: DEFINE_PROFILE_FIX,
    },
    {
      name: "default_permissions is not a name",
      facts: withProfile((p) => {
        p.default_permissions = 3;
      }),
      status: "fail",
      evidence: ["default_permissions = 3 is not a profile name"],
      remediation: DEFINE_PROFILE_FIX,
    },
    {
      name: "default_permissions names a built-in profile",
      facts: withProfile((p) => {
        p.default_permissions = ":workspace";
      }),
      status: "fail",
      evidence: ['default_permissions = ":workspace" selects a built-in profile, not the README\'s'],
      remediation: DEFINE_PROFILE_FIX,
    },
    {
      name: "a profile name that only ends in a colon is the user's own",
      facts: withProfile((p) => {
        p.default_permissions = "azi4a2:";
        p.permissions["azi4a2:"] = p.permissions["azi4a2-autonomous"];
        delete p.permissions["azi4a2-autonomous"];
      }),
      status: "pass",
    },
    {
      name: "extends another built-in",
      facts: withProfile((p) => {
        p.permissions["azi4a2-autonomous"].extends = ":read-only";
      }),
      status: "fail",
      evidence: ["extends = \":read-only\" replaces the profile's limits with a built-in's"],
      remediation: `Drop \`extends = ":read-only"\` from [permissions.azi4a2-autonomous] (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: "no :minimal, no .:write, no network, no web_search, no approval anywhere: every problem listed",
      facts: withProfile((p) => {
        const profile = p.permissions["azi4a2-autonomous"];
        delete profile.filesystem[":minimal"];
        delete profile.filesystem[":workspace_roots"]["."];
        delete profile.network;
        delete p.web_search;
        delete p.approval_policy;
      }, LAUNCHER_OVERRIDES.slice(1)),
      status: "fail",
      evidence: [
        'filesystem lacks ":minimal" = "read"',
        '":workspace_roots" "." = "not set", expected "write"',
        'network.enabled = "not set", expected true',
        'web_search = not set, expected "live"',
        'approval_policy = not set, expected "never"',
      ],
      remediation: `Add \`":minimal" = "read"\` to the filesystem table; set \`"." = "write"\` under ":workspace_roots"; set \`enabled = true\` under [permissions.azi4a2-autonomous.network]; set \`web_search = "live"\`; set \`approval_policy = "never"\` (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: "the project only readable",
      facts: withProfile((p) => {
        filesystem(p)[":workspace_roots"]["."] = "read";
      }),
      status: "fail",
      observed: '":workspace_roots" "." = "read", expected "write"',
      remediation: `Set \`"." = "write"\` under ":workspace_roots" (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: "a read-only folder left out: not protected by Codex, so not read-only",
      facts: withProfile((p) => {
        delete filesystem(p)[":workspace_roots"]["www.azinstitute4autism.com"];
      }),
      status: "fail",
      evidence: ['":workspace_roots" "www.azinstitute4autism.com" = "not set", expected "read"'],
      remediation: `Set \`"www.azinstitute4autism.com" = "read"\` under ":workspace_roots" (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: "workspace_roots outside the project",
      facts: withProfile((p) => {
        p.permissions["azi4a2-autonomous"].workspace_roots = { "/srv/data": {}, "/srv/www": {} };
      }),
      status: "fail",
      evidence: [
        "[permissions.azi4a2-autonomous.workspace_roots] adds writable roots outside the project: /srv/data, /srv/www",
      ],
      remediation: `Drop [permissions.azi4a2-autonomous.workspace_roots] (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: "an empty workspace_roots table adds nothing",
      facts: withProfile((p) => {
        p.permissions["azi4a2-autonomous"].workspace_roots = {};
      }),
      status: "pass",
    },
    {
      name: "no auth.json rule and no .codex rule at all",
      facts: withProfile((p) => {
        delete filesystem(p)["~/.codex/auth.json"];
      }),
      status: "fail",
      evidence: ['auth.json is not denied: no "~/.codex/auth.json" = "none" (found no rule for it)'],
      remediation: `Add \`"~/.codex/auth.json" = "none"\` to the filesystem table (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: "two rules that leave auth.json readable",
      facts: withProfile((p) => {
        filesystem(p)["~/.codex/auth.json"] = "read";
        filesystem(p)["/home/alice/.codex"] = "read";
      }),
      status: "fail",
      evidence: [
        'auth.json is not denied: no "~/.codex/auth.json" = "none" (found "~/.codex/auth.json" = "read", "/home/alice/.codex" = "read")',
      ],
      remediation: `Change \`"~/.codex/auth.json" = "read"\` to \`"~/.codex/auth.json" = "none"\` (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: "auth.json readable by its absolute path: that rule changed to none, not a second auth.json key",
      facts: withProfile((p) => {
        delete filesystem(p)["~/.codex/auth.json"];
        filesystem(p)["/home/alice/.codex/auth.json"] = "read";
      }),
      status: "fail",
      observedIs:
        'auth.json is not denied: no "~/.codex/auth.json" = "none" (found "/home/alice/.codex/auth.json" = "read")',
      remediation: `Change \`"/home/alice/.codex/auth.json" = "read"\` to \`"/home/alice/.codex/auth.json" = "none"\` (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: '":minimal" = "none": that rule changed to read, not a second :minimal key',
      facts: withProfile((p) => {
        filesystem(p)[":minimal"] = "none";
      }),
      status: "fail",
      observedIs: 'filesystem lacks ":minimal" = "read"',
      remediation: `Change \`":minimal" = "none"\` to \`":minimal" = "read"\` (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: '":root" = "write": two problems, one fix',
      facts: withProfile((p) => {
        filesystem(p)[":root"] = "write";
      }),
      status: "fail",
      evidence: [
        'filesystem is not limited to minimal runtime (":root" = "write")',
        '":root" = "write" grants write access outside the project',
      ],
      remediation: `Drop \`":root" = "write"\` (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: "no workspace table at all: the fix names the table to make, :workspace_roots",
      facts: withProfile((p) => {
        delete filesystem(p)[":workspace_roots"];
      }),
      expect: { readonlyPaths: [".codex"] },
      status: "fail",
      evidence: ['":workspace_roots" "." = "not set", expected "write"'],
      remediation: `Set \`"." = "write"\` under ":workspace_roots" (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: '":project_roots" with the project only readable: the fix names that table',
      facts: withProfile((p) => {
        filesystem(p)[":project_roots"] = { ...filesystem(p)[":workspace_roots"], ".": "read" };
        delete filesystem(p)[":workspace_roots"];
      }),
      status: "fail",
      observedIs: '":project_roots" "." = "read", expected "write"',
      remediation: `Set \`"." = "write"\` under ":project_roots" (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: "profile file does not parse",
      facts: (f) => {
        f.config.profile = {
          ...f.config.profile,
          data: undefined,
          parseError: { line: 2, column: 25, message: "unclosed table, expected `]`" },
        };
        f.config.effective = WITHOUT_PROFILE;
      },
      status: "fail",
      observed: "azi4a2-autonomous.config.toml:2:25: unclosed table",
      remediation: "Correct the TOML at the line and column the parse error names.",
    },
    {
      name: '"www.azinstitute4autism.com" = "write"',
      facts: withProfile((p) => {
        filesystem(p)[":workspace_roots"]["www.azinstitute4autism.com"] = "write";
      }),
      status: "fail",
      observed: '"www.azinstitute4autism.com" = "write", expected "read"',
      remediation: `Set \`"www.azinstitute4autism.com" = "read"\` under ":workspace_roots" (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: '".codex" = "write" undoes the built-in protection',
      facts: withProfile((p) => {
        filesystem(p)[":workspace_roots"][".codex"] = "write";
      }),
      status: "fail",
      observed: '".codex" = "write", expected "read"',
      remediation: `Set \`".codex" = "read"\` under ":workspace_roots" (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: 'auth.json rule replaced by "~/.codex" = "read"',
      facts: withProfile((p) => {
        delete filesystem(p)["~/.codex/auth.json"];
        filesystem(p)["~/.codex"] = "read";
      }),
      status: "fail",
      observed: 'auth.json is not denied: no "~/.codex/auth.json" = "none" (found "~/.codex" = "read")',
      remediation: `Add \`"~/.codex/auth.json" = "none"\` to the filesystem table (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: "network.enabled = false",
      facts: withProfile((p) => {
        p.permissions["azi4a2-autonomous"].network.enabled = false;
      }),
      status: "fail",
      observed: "network.enabled = false",
      remediation: `Set \`enabled = true\` under [permissions.azi4a2-autonomous.network] (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: 'extends = ":workspace"',
      facts: withProfile((p) => {
        p.permissions["azi4a2-autonomous"].extends = ":workspace";
      }),
      status: "fail",
      observed: 'extends = ":workspace" adds writable /tmp',
      remediation: `Drop \`extends = ":workspace"\` from [permissions.azi4a2-autonomous] (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: '":slash_tmp" = "write" (an extra writable root outside the project)',
      facts: withProfile((p) => {
        filesystem(p)[":slash_tmp"] = "write";
      }),
      status: "fail",
      observed: '":slash_tmp" = "write" grants write access outside the project',
      remediation: `Drop \`":slash_tmp" = "write"\` (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: '":root" = "read" instead of :minimal',
      facts: withProfile((p) => {
        delete filesystem(p)[":minimal"];
        filesystem(p)[":root"] = "read";
      }),
      status: "fail",
      evidence: 'filesystem is not limited to minimal runtime (":root" = "read")',
      remediation: `Add \`":minimal" = "read"\` to the filesystem table; drop \`":root" = "read"\` (the profile file: ${PROFILE_PATH}).`,
    },

    {
      name: "default_permissions names an undefined table",
      facts: withProfile((p) => {
        p.default_permissions = "azi4a2";
      }),
      status: "fail",
      observed: "[permissions.azi4a2] is not defined",
      remediation: `Define [permissions.azi4a2] as the README shows (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: 'web_search = "cached"',
      facts: withProfile((p) => {
        p.web_search = "cached";
      }),
      status: "fail",
      observed: 'web_search = "cached"',
      remediation: `Change \`web_search\` to "live" (${PROFILE_PATH}) (the profile file: ${PROFILE_PATH}).`,
    },
    {
      name: 'approval_policy = "on-request" and no launcher override',
      facts: withProfile(
        (p) => {
          p.approval_policy = "on-request";
        },
        LAUNCHER_OVERRIDES.filter((o) => !o.startsWith("approval_policy")),
      ),
      status: "fail",
      observed: 'approval_policy = "on-request" (/home/alice/.codex/azi4a2-autonomous.config.toml)',
      remediation: `Change \`approval_policy\` to "never" (${PROFILE_PATH}) (the profile file: ${PROFILE_PATH}).`,
    },
  ],
});

const UNDEFINED_SERVER_FIX =
  "Codex refuses a server that no loaded config layer defines (invalid transport): define each server the launcher's `-c mcp_servers.<server>.…` overrides name (`command` or `url`) in the profile, or drop those overrides.";

testCheck(configMcpApprovalTables, {
  valid: [
    {
      name: "no per-tool tables",
      status: "pass",
      expected: "no mcp_servers.<server>.tools.<tool> tables (the README says not to persist them)",
      observed: "no per-tool approval tables",
      evidence: [],
    },
    {
      name: "Codex refused to start for another reason: not this check's finding",
      facts: (f) => {
        f.exec.refused = "Error loading config.toml: unknown variant `sometimes`";
        f.exec.header = null;
      },
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "per-tool tables in every approval mode, and one without a mode",
      facts: withProfile((p) => {
        p.mcp_servers.playwright.tools = {
          a: { approval_mode: "auto" },
          b: { approval_mode: "prompt" },
          c: { approval_mode: "writes" },
          d: {},
        };
        p.mcp_servers.openaiDeveloperDocs.tools = { e: { approval_mode: "approve" } };
      }),
      status: "warn",
      observed: "5 per-tool table(s) for defined servers",
      evidence: [
        `${PROFILE_PATH}: mcp_servers.playwright.tools.a approval_mode = "auto"`,
        `${PROFILE_PATH}: mcp_servers.playwright.tools.b approval_mode = "prompt"`,
        `${PROFILE_PATH}: mcp_servers.playwright.tools.c approval_mode = "writes"`,
        `${PROFILE_PATH}: mcp_servers.playwright.tools.d`,
        `${PROFILE_PATH}: mcp_servers.openaiDeveloperDocs.tools.e approval_mode = "approve"`,
        "an older Codex (0.133.0) rejects per-tool tables; the README says not to persist them",
      ],
    },
    {
      name: "a server only the project's config defines counts as defined",
      facts: (f) => {
        const project = { mcp_servers: { extra: { url: "http://127.0.0.1:9/mcp", tools: { t: {} } } } };
        f.config = configFacts({ project, effective: effectiveConfig() });
      },
      status: "warn",
      evidence: [
        "/home/alice/work/azinstitute/.codex/config.toml: mcp_servers.extra.tools.t",
        "an older Codex (0.133.0) rejects per-tool tables; the README says not to persist them",
      ],
    },
    {
      name: "tools given as a string",
      facts: withProfile((p) => {
        p.mcp_servers.playwright.tools = "browser_navigate";
      }),
      status: "fail",
      observed: `${PROFILE_PATH}: mcp_servers.playwright.tools = "browser_navigate" is not a table`,
    },
    {
      name: "per-tool table for a defined server (what 0.169.0 writes on Always allow)",
      facts: withProfile((p) => {
        p.mcp_servers.playwright.tools = { browser_navigate: { approval_mode: "approve" } };
      }),
      status: "warn",
      evidence: 'mcp_servers.playwright.tools.browser_navigate approval_mode = "approve"',
    },
    {
      name: "per-tool table for a server no layer defines, and Codex refused",
      facts: (f) => {
        withProfile((p) => {
          delete p.mcp_servers.playwright;
          p.mcp_servers.playwright = { tools: { browser_navigate: { approval_mode: "approve" } } };
        })(f);
        f.exec.refused = "Error loading config.toml: invalid transport\nin `mcp_servers.playwright`";
        f.exec.header = null;
      },
      status: "fail",
      observed: "names server playwright, which no layer defines",
      evidence: "exec: Error loading config.toml: invalid transport",
      // A table to delete: the check's general fix, not the one for a launcher override.
      remediation: configMcpApprovalTables.remediation,
    },
    {
      name: "only the refusal (the launcher's overrides name an undefined server)",
      facts: (f) => {
        withProfile((p) => {
          delete p.mcp_servers.openaiDeveloperDocs;
        })(f);
        f.exec.refused = "Error loading config.toml: invalid transport\nin `mcp_servers.openaiDeveloperDocs`";
      },
      status: "fail",
      observed:
        "Codex refused to start: Error loading config.toml: invalid transport in `mcp_servers.openaiDeveloperDocs`",
      evidence: [
        "exec: Error loading config.toml: invalid transport",
        "exec: in `mcp_servers.openaiDeveloperDocs`",
      ],
      remediation: UNDEFINED_SERVER_FIX,
    },
    {
      name: "the refusal's words in another case are the same refusal",
      facts: (f) => {
        f.exec.refused = "Error: Invalid Transport in `mcp_servers.x`";
      },
      status: "fail",
      observedIs: "Codex refused to start: Error: Invalid Transport in `mcp_servers.x`",
      remediation: UNDEFINED_SERVER_FIX,
    },
    {
      name: 'approval_mode = "always"',
      facts: withProfile((p) => {
        p.mcp_servers.playwright.tools = { browser_navigate: { approval_mode: "always" } };
      }),
      status: "fail",
      observed: 'approval_mode = "always" is not auto|prompt|writes|approve',
    },
    {
      name: "flat string instead of a table",
      facts: withProfile((p) => {
        p.mcp_servers.playwright.tools = { browser_navigate: "approve" };
      }),
      status: "fail",
      observed: 'tools.browser_navigate = "approve" is not a table',
    },
    {
      name: "the profile does not parse: could not test",
      facts: (f) => {
        f.config.profile = {
          ...f.config.profile,
          data: undefined,
          parseError: { line: 1, column: 1, message: "x" },
        };
        f.config.effective = WITHOUT_PROFILE;
      },
      status: "error",
    },
  ],
});

const PROJECT_CONFIG = `${PROJECT}/.codex/config.toml`;

testCheck(configProjectOverride, {
  valid: [
    {
      name: "no project config",
      status: "pass",
      expected: `${PROJECT_CONFIG} absent, or without sandbox and approval settings`,
      observed: `${PROJECT_CONFIG} does not exist`,
      evidence: [],
    },
    {
      name: "only model_reasoning_effort: the expected text is met, so it passes",
      facts: (f) => {
        f.config = configFacts({ project: { model_reasoning_effort: "high" }, effective: effectiveConfig() });
      },
      status: "pass",
      observedIs: `${PROJECT_CONFIG} sets neither sandbox nor approval (model_reasoning_effort)`,
      evidence: [`${PROJECT_CONFIG}: model_reasoning_effort`, "it applies once the project is trusted"],
    },
    {
      name: "two other settings",
      facts: (f) => {
        f.config = configFacts({
          project: { model: "gpt-5", model_reasoning_effort: "high" },
          effective: effectiveConfig(),
        });
      },
      status: "pass",
      observedIs: `${PROJECT_CONFIG} sets neither sandbox nor approval (model, model_reasoning_effort)`,
    },
    {
      name: "an empty project config",
      facts: (f) => {
        f.config = configFacts({ project: {}, effective: effectiveConfig() });
        f.config.projectOverride = { path: PROJECT_CONFIG, role: "project", exists: true, data: {} };
      },
      status: "pass",
      observedIs: `${PROJECT_CONFIG} sets neither sandbox nor approval (empty)`,
      evidence: [`${PROJECT_CONFIG}: no settings`, "it applies once the project is trusted"],
    },
  ],
  invalid: [
    {
      name: 'sandbox_mode = "danger-full-access" in a trusted project: the fix names that setting only',
      facts: (f) => {
        f.config = configFacts({
          project: { sandbox_mode: "danger-full-access", model: "gpt-5" },
          effective: effectiveConfig(),
        });
      },
      status: "fail",
      observedIs: `${PROJECT_CONFIG} sets sandbox_mode = "danger-full-access"`,
      evidence: [
        `${PROJECT_CONFIG}: sandbox_mode = "danger-full-access"`,
        "once the project is trusted, its .codex/config.toml replaces the profile's settings",
      ],
      remediation: `Remove \`sandbox_mode\` from ${PROJECT_CONFIG} and keep sandbox and approval settings in the profile file outside the workspace.`,
    },
    {
      name: "default_permissions and sandbox_workspace_write in the project",
      facts: (f) => {
        const project = {
          sandbox_workspace_write: { network_access: true },
          default_permissions: ":workspace",
        };
        f.config = configFacts({ project, effective: effectiveConfig() });
      },
      status: "fail",
      observed: `${PROJECT_CONFIG} sets default_permissions = ":workspace", sandbox_workspace_write`,
      remediation: `Remove \`default_permissions\`, [sandbox_workspace_write] from ${PROJECT_CONFIG} and keep sandbox and approval settings in the profile file outside the workspace.`,
    },
    {
      name: "permissions tables in the project",
      facts: (f) => {
        f.config = configFacts({
          project: { permissions: { x: {} }, approval_policy: "on-request" },
          effective: effectiveConfig(),
        });
      },
      status: "fail",
      observed: 'approval_policy = "on-request", permissions',
      remediation: `Remove \`approval_policy\`, [permissions] from ${PROJECT_CONFIG} and keep sandbox and approval settings in the profile file outside the workspace.`,
    },
    {
      name: "MCP servers in the project: they start programs on the host once it is trusted",
      facts: (f) => {
        f.config = configFacts({
          project: { model: "gpt-5", mcp_servers: { x: { command: "x" } } },
          effective: effectiveConfig(),
        });
      },
      status: "warn",
      observedIs: `${PROJECT_CONFIG} sets mcp_servers: programs on the host`,
      evidence: [
        `${PROJECT_CONFIG}: model, mcp_servers`,
        "it applies once the project is trusted: mcp_servers start programs on the host, outside the sandbox",
      ],
      remediation: `Move [mcp_servers] from ${PROJECT_CONFIG} into the profile file outside the workspace: from the project, they start programs on the host as soon as the project is trusted.`,
    },
    {
      name: "notify in the project: an array, named as a key, not a table",
      facts: (f) => {
        f.config = configFacts({
          project: { notify: ["notify-send", "done"] },
          effective: effectiveConfig(),
        });
      },
      status: "warn",
      observedIs: `${PROJECT_CONFIG} sets notify: programs on the host`,
      remediation: `Move \`notify\` from ${PROJECT_CONFIG} into the profile file outside the workspace: from the project, they start programs on the host as soon as the project is trusted.`,
    },
    {
      name: "MCP servers and notify in the project: both named, each as written",
      facts: (f) => {
        f.config = configFacts({
          project: { mcp_servers: { x: { command: "x" } }, notify: ["notify-send"] },
          effective: effectiveConfig(),
        });
      },
      status: "warn",
      observedIs: `${PROJECT_CONFIG} sets mcp_servers, notify: programs on the host`,
      evidence: [
        `${PROJECT_CONFIG}: mcp_servers, notify`,
        "it applies once the project is trusted: mcp_servers, notify start programs on the host, outside the sandbox",
      ],
      remediation: `Move [mcp_servers], \`notify\` from ${PROJECT_CONFIG} into the profile file outside the workspace: from the project, they start programs on the host as soon as the project is trusted.`,
    },
    {
      name: "unparsable",
      facts: (f) => {
        f.config.projectOverride = {
          path: "/p/.codex/config.toml",
          role: "project",
          exists: true,
          parseError: { line: 4, column: 1, message: "duplicate key" },
        };
      },
      status: "fail",
      observed: "/p/.codex/config.toml:4:1: duplicate key",
      evidence: ["/p/.codex/config.toml:4:1: duplicate key"],
    },
  ],
});

describe("a broken config explains the launches Codex refuses", () => {
  it("config.profile on a missing profile file, config.mcp_approval_tables on a bad tools table: every launch", () => {
    const launches = ["exec", "tui", "mcpGet", "mcpRuntime"];
    const missing = healthyFacts();
    missing.config = configFacts({ profile: null, effective: WITHOUT_PROFILE });
    expect(judge(configProfile, factsOf(missing), { expect: DEFAULT_EXPECTATIONS }).explains).toEqual(
      launches,
    );
    const badTools = healthyFacts();
    withProfile((p) => {
      p.mcp_servers.playwright.tools = "browser_navigate";
    })(badTools);
    expect(
      judge(configMcpApprovalTables, factsOf(badTools), { expect: DEFAULT_EXPECTATIONS }).explains,
    ).toEqual(launches);
  });
});
