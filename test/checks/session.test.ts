import bannerApproval from "../../checks/banner/approval.js";
import bannerSandbox from "../../checks/banner/sandbox.js";
import mcpApproval from "../../checks/mcp/approval.js";
import mcpServers from "../../checks/mcp/servers.js";
import tuiPermissions from "../../checks/tui/permissions.js";
import { configFacts, LAUNCHER_OVERRIDES, profileData } from "../fixtures/facts/healthy.js";
import { testCheck } from "./rule-tester.js";

const REFUSED = "Error loading config.toml: invalid transport\nin `mcp_servers.playwright`";

testCheck(bannerApproval, {
  valid: [
    {
      name: "launcher -c approval_policy=never",
      status: "pass",
      observed: 'approval_policy = "never" (launcher -c approval_policy="never")',
      evidence: "exec header: approval: never",
    },
  ],
  invalid: [
    {
      name: 'profile approval_policy = "on-request", no -c in the launcher (header still says never)',
      facts: (f) => {
        const profile = { ...profileData(), approval_policy: "on-request" };
        f.config = configFacts({ profile }, LAUNCHER_OVERRIDES.slice(1));
      },
      status: "fail",
      observed: 'approval_policy = "on-request"',
      evidence: "exec header: approval: never",
    },
    {
      name: "approval set nowhere",
      facts: (f) => {
        const { approval_policy: _, ...profile } = profileData();
        f.config = configFacts({ profile }, LAUNCHER_OVERRIDES.slice(1));
      },
      status: "fail",
      observed: "not set in any layer",
    },
    {
      name: "--approve-for-me: the header says on-request",
      facts: (f) => {
        (f.exec.header as Record<string, string>).approval = "on-request";
      },
      status: "fail",
      observed: "approval: on-request",
    },
    {
      name: "Codex refused to start",
      facts: (f) => {
        f.exec.refused = REFUSED;
        f.exec.header = null;
      },
      status: "error",
      observed: "invalid transport",
    },
  ],
});

const setSandbox = (value: string) => (f: { exec: { header: Record<string, string> | null } }) => {
  (f.exec.header as Record<string, string>).sandbox = value;
};

testCheck(bannerSandbox, {
  valid: [
    {
      name: "profile header",
      status: "pass",
      observed: "sandbox: workspace-write [workdir] (network access enabled)",
    },
  ],
  invalid: [
    {
      name: "legacy --sandbox workspace-write",
      facts: setSandbox("workspace-write [workdir, /tmp, $TMPDIR]"),
      status: "fail",
      observed: "workspace-write [workdir, /tmp, $TMPDIR]",
      evidence: "network access is off",
    },
    {
      name: "danger-full-access",
      facts: setSandbox("danger-full-access"),
      status: "fail",
      evidence: "no sandbox at all",
    },
    {
      name: "network.enabled = false",
      facts: setSandbox("workspace-write [workdir]"),
      status: "fail",
      evidence: "network access is off",
    },
    {
      name: "misspelt profile falls back to read-only",
      facts: setSandbox("read-only"),
      status: "fail",
      evidence: "profile is not applied",
    },
    {
      name: "--add-dir",
      facts: setSandbox("workspace-write [workdir, /home/alice/work/sibling] (network access enabled)"),
      status: "fail",
      evidence: "extra writable roots",
    },
    {
      name: "refused launch",
      facts: (f) => {
        f.exec.refused = REFUSED;
        f.exec.header = null;
      },
      status: "error",
      observed: "Codex refused to start: Error loading config.toml: invalid transport",
    },
    {
      name: "no header",
      facts: (f) => {
        f.exec.header = null;
      },
      status: "error",
      observed: "no startup header",
    },
  ],
});

testCheck(tuiPermissions, {
  valid: [
    { name: "Profile azi4a2-autonomous (workspace with network access, never)", status: "pass" },
    {
      name: "an earlier capture's Custom prefix",
      facts: (f) => {
        f.tui.permissions = "Custom (workspace with network access, never)";
      },
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "--sandbox workspace-write drops network",
      facts: (f) => {
        f.tui.permissions = "Custom (workspace, never)";
      },
      status: "fail",
      observed: "Custom (workspace, never)",
      evidence: "access: workspace, expected workspace with network access",
    },
    {
      name: "approval on-request in effect",
      facts: (f) => {
        f.tui.permissions = "Profile azi4a2-autonomous (workspace with network access, Ask for approval)";
      },
      status: "fail",
      evidence: "approval: Ask for approval, expected never",
    },
    {
      name: "Full Access",
      facts: (f) => {
        f.tui.permissions = "Full Access";
      },
      status: "fail",
      observed: "Full Access",
    },
    {
      name: "refused",
      facts: (f) => {
        f.tui.refused = "Error: invalid transport\nin `mcp_servers.playwright`";
      },
      status: "error",
      observed: "Error: invalid transport",
    },
    {
      name: "no Permissions line",
      facts: (f) => {
        f.tui.permissions = null;
      },
      status: "error",
    },
  ],
});

testCheck(mcpServers, {
  valid: [
    {
      name: "both connected with 2 tools",
      status: "pass",
      evidence:
        "note: auto-approved MCP tools run outside the shell sandbox: playwright: browser_navigate, browser_snapshot",
    },
  ],
  invalid: [
    {
      name: "playwright failed, reason from the warnings",
      facts: (f) => {
        f.tui.mcp.playwright = { status: "failed", tools: 0, toolNames: [], auth: "Unsupported" };
        f.tui.warnings = [
          "MCP client for `playwright` failed to start: MCP startup failed: No such file or directory (os error 2)",
        ];
      },
      status: "fail",
      observed: "playwright: failed (0 tools): MCP client for `playwright` failed to start",
    },
    {
      name: "disabled",
      facts: (f) => {
        f.tui.mcp.openaiDeveloperDocs = { status: "disabled", tools: 0, toolNames: [], auth: null };
      },
      status: "fail",
      observed: "openaiDeveloperDocs: disabled",
    },
    {
      name: "not listed",
      facts: (f) => {
        delete f.tui.mcp.playwright;
      },
      status: "fail",
      observed: "playwright: not listed",
    },
    {
      name: "refused",
      facts: (f) => {
        f.tui.refused = "Error: invalid transport";
      },
      status: "error",
    },
  ],
});

testCheck(mcpApproval, {
  valid: [
    {
      name: "approve and 300 for both",
      status: "pass",
      evidence: "playwright: default_tools_approval_mode: approve",
    },
  ],
  invalid: [
    {
      name: "overrides removed: the lines are absent",
      facts: (f) => {
        const get = f.mcpGet.playwright;
        if (get) get.fields = { enabled: "true", transport: "stdio", command: "npx" };
      },
      status: "fail",
      observed: "playwright: default_tools_approval_mode not set",
    },
    {
      name: "timeout changed to 60",
      facts: (f) => {
        const get = f.mcpGet.openaiDeveloperDocs;
        if (get) get.fields.tool_timeout_sec = "60";
      },
      status: "fail",
      observed: "openaiDeveloperDocs: tool_timeout_sec 60",
    },
    {
      name: "server unknown to Codex",
      facts: (f) => {
        f.mcpGet.playwright = {
          exitCode: 1,
          fields: {},
          output: "Error: No MCP server named 'playwright' found.\n",
        };
      },
      status: "fail",
      observed: "mcp get playwright: exit 1: Error: No MCP server named 'playwright' found.",
    },
    {
      name: "mode prompt",
      facts: (f) => {
        const get = f.mcpGet.playwright;
        if (get) get.fields.default_tools_approval_mode = "prompt";
      },
      status: "fail",
      observed: "default_tools_approval_mode prompt",
    },
  ],
});
