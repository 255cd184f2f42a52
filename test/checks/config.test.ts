import configMcpApprovalTables from "../../checks/config/mcp_approval_tables.js";
import configProfile from "../../checks/config/profile.js";
import configProjectOverride from "../../checks/config/project_override.js";
import type { FactValues } from "../../src/model.js";
import {
  configFacts,
  effectiveConfig,
  LAUNCHER_OVERRIDES,
  PROJECT,
  profileData,
} from "../fixtures/facts/healthy.js";
import { testCheck } from "./rule-tester.js";

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
const filesystem = (p: Table): Table => p.permissions["azi4a2-autonomous"].filesystem;

testCheck(configProfile, {
  valid: [
    { name: "README profile", status: "pass", evidence: '":minimal" = "read"' },
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
      observed: "azi4a2-autonomous.config.toml does not exist",
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
    },
    {
      name: '"www.azinstitute4autism.com" = "write"',
      facts: withProfile((p) => {
        filesystem(p)[":workspace_roots"]["www.azinstitute4autism.com"] = "write";
      }),
      status: "fail",
      observed: '"www.azinstitute4autism.com" = "write", expected "read"',
    },
    {
      name: '".codex" = "write" undoes the built-in protection',
      facts: withProfile((p) => {
        filesystem(p)[":workspace_roots"][".codex"] = "write";
      }),
      status: "fail",
      observed: '".codex" = "write", expected "read"',
    },
    {
      name: 'auth.json rule replaced by "~/.codex" = "read"',
      facts: withProfile((p) => {
        delete filesystem(p)["~/.codex/auth.json"];
        filesystem(p)["~/.codex"] = "read";
      }),
      status: "fail",
      observed: 'auth.json is not denied: no "~/.codex/auth.json" = "none" (found "~/.codex" = "read")',
    },
    {
      name: "network.enabled = false",
      facts: withProfile((p) => {
        p.permissions["azi4a2-autonomous"].network.enabled = false;
      }),
      status: "fail",
      observed: "network.enabled = false",
    },
    {
      name: 'extends = ":workspace"',
      facts: withProfile((p) => {
        p.permissions["azi4a2-autonomous"].extends = ":workspace";
      }),
      status: "fail",
      observed: 'extends = ":workspace" adds writable /tmp',
    },
    {
      name: '":slash_tmp" = "write" (an extra writable root outside the project)',
      facts: withProfile((p) => {
        filesystem(p)[":slash_tmp"] = "write";
      }),
      status: "fail",
      observed: '":slash_tmp" = "write" grants write access outside the project',
    },
    {
      name: '":root" = "read" instead of :minimal',
      facts: withProfile((p) => {
        delete filesystem(p)[":minimal"];
        filesystem(p)[":root"] = "read";
      }),
      status: "fail",
      evidence: 'filesystem is not limited to minimal runtime (":root" = "read")',
    },
    {
      name: "sandbox_mode in the profile file",
      facts: withProfile((p) => {
        p.sandbox_mode = "workspace-write";
      }),
      status: "fail",
      observed: "sets sandbox_mode",
    },
    {
      name: "default_permissions names an undefined table",
      facts: withProfile((p) => {
        p.default_permissions = "azi4a2";
      }),
      status: "fail",
      observed: "[permissions.azi4a2] is not defined",
    },
    {
      name: 'web_search = "cached"',
      facts: withProfile((p) => {
        p.web_search = "cached";
      }),
      status: "fail",
      observed: 'web_search = "cached"',
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
    },
  ],
});

testCheck(configMcpApprovalTables, {
  valid: [{ name: "no per-tool tables", status: "pass" }],
  invalid: [
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
      observed: "Codex refused to start: Error loading config.toml: invalid transport",
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

testCheck(configProjectOverride, {
  valid: [{ name: "no project config", status: "pass", observed: "does not exist" }],
  invalid: [
    {
      name: 'sandbox_mode = "danger-full-access" in a trusted project',
      facts: (f) => {
        f.config = configFacts({
          project: { sandbox_mode: "danger-full-access" },
          effective: effectiveConfig(),
        });
      },
      status: "fail",
      observed: 'sets sandbox_mode = "danger-full-access"',
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
    },
    {
      name: "other settings only",
      facts: (f) => {
        f.config = configFacts({ project: { model: "gpt-5" }, effective: effectiveConfig() });
      },
      status: "warn",
      observed: "(model)",
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
    },
  ],
});
