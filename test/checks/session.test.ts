import { describe, expect, it } from "vitest";
import bannerApproval from "../../checks/banner/approval.js";
import bannerSandbox from "../../checks/banner/sandbox.js";
import mcpApproval from "../../checks/mcp/approval.js";
import mcpServers from "../../checks/mcp/servers.js";
import tuiPermissions from "../../checks/tui/permissions.js";
import { DEFAULT_EXPECTATIONS } from "../../src/expectations.js";
import type { FactValues, McpFailure, McpServerStatus } from "../../src/model.js";
import {
  configFacts,
  effectiveConfig,
  healthyFacts,
  LAUNCHER_OVERRIDES,
  profileData,
} from "../fixtures/facts/healthy.js";
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
        const effective = { ...effectiveConfig(), approval_policy: "on-request" };
        f.config = configFacts({ profile, effective }, LAUNCHER_OVERRIDES.slice(1));
      },
      status: "fail",
      observed: 'approval_policy = "on-request"',
      evidence: "exec header: approval: never",
    },
    {
      name: "approval set nowhere",
      facts: (f) => {
        const { approval_policy: _, ...profile } = profileData();
        const { approval_policy: __, ...effective } = effectiveConfig();
        f.config = configFacts({ profile, effective }, LAUNCHER_OVERRIDES.slice(1));
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
      name: "/mcp verbose could not be read: /status's verdict stands",
      facts: (f) => {
        f.tui.mcp = {};
        f.tui.mcpError = "timed out after 57 s waiting for the /mcp verbose block";
      },
      status: "pass",
      observed: "Profile azi4a2-autonomous (workspace with network access, never)",
    },
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

/** A failed server as the TUI gatherer reports it, with the failure's cause and particulars. */
const failed = (failure: Partial<McpFailure> & Pick<McpFailure, "cause">): McpServerStatus => ({
  status: "failed",
  tools: 0,
  toolNames: [],
  auth: "Unsupported",
  failure: { detail: "", url: null, timeoutSec: null, httpStatus: null, ...failure },
});
const DOCS_URL = "http://127.0.0.1:9/mcp";
const setDocs = (server: McpServerStatus) => (f: FactValues) => {
  f.tui.mcp.openaiDeveloperDocs = server;
};
const setPlaywright = (server: McpServerStatus) => (f: FactValues) => {
  f.tui.mcp.playwright = server;
};

testCheck(mcpServers, {
  valid: [
    {
      name: "both connected with 2 tools",
      status: "pass",
      evidence:
        "note: auto-approved MCP tools run outside the shell sandbox: playwright: browser_navigate, browser_snapshot",
    },
    {
      name: "a startup warning for a server /mcp verbose then found connected",
      facts: (f) => {
        f.tui.warnings = ["MCP · playwright: MCP client for `playwright` timed out after 30 seconds."];
      },
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "HTTP URL refused: server, URL and cause on one line; the host's error as evidence",
      facts: setDocs(failed({ cause: "refused", url: DOCS_URL, detail: "connect ECONNREFUSED 127.0.0.1:9" })),
      status: "fail",
      observed: `openaiDeveloperDocs (${DOCS_URL}): connection refused`,
      evidence: "openaiDeveloperDocs: connect ECONNREFUSED 127.0.0.1:9",
    },
    {
      name: "HTTP host name not found",
      facts: setDocs(
        failed({ cause: "dns", url: "http://docs.invalid/mcp", detail: "getaddrinfo ENOTFOUND" }),
      ),
      status: "fail",
      observed: "openaiDeveloperDocs (http://docs.invalid/mcp): host name not found (DNS)",
    },
    {
      name: "TLS certificate rejected",
      facts: setDocs(
        failed({ cause: "tls", url: "https://127.0.0.1:8443/mcp", detail: "self-signed certificate" }),
      ),
      status: "fail",
      observed: "openaiDeveloperDocs (https://127.0.0.1:8443/mcp): TLS certificate rejected",
      evidence: "openaiDeveloperDocs: self-signed certificate",
    },
    {
      name: "connection reset",
      facts: setDocs(failed({ cause: "reset", url: DOCS_URL, detail: "read ECONNRESET" })),
      status: "fail",
      observed: "connection reset by the server",
    },
    {
      name: "HTTP status: the URL comes from the config when Codex names none",
      facts: setDocs(failed({ cause: "http-status", httpStatus: 404, detail: "HTTP 404" })),
      status: "fail",
      observed: "openaiDeveloperDocs (https://developers.openai.com/mcp): answered HTTP 404",
    },
    {
      name: "stdio startup timed out",
      facts: setPlaywright(failed({ cause: "startup-timeout", timeoutSec: 30 })),
      status: "fail",
      observed: "playwright (npx @playwright/mcp@latest): startup timed out after 30 s",
    },
    {
      name: "stdio command not found",
      facts: setPlaywright(failed({ cause: "command-not-found", detail: "No such file or directory" })),
      status: "fail",
      observed: "playwright (npx @playwright/mcp@latest): command not found",
    },
    {
      name: "stdio server exited",
      facts: setPlaywright(failed({ cause: "exited" })),
      status: "fail",
      observed: "playwright (npx @playwright/mcp@latest): the server exited before answering initialize",
    },
    {
      name: "unclassified: Codex's sentence, once",
      facts: setPlaywright(failed({ cause: "other", detail: "failed to start: something new" })),
      status: "fail",
      observed: "playwright (npx @playwright/mcp@latest): failed: failed to start: something new",
    },
    {
      name: "failed without a warning",
      facts: setPlaywright({ ...failed({ cause: "other" }), failure: null }),
      status: "fail",
      observed: "playwright (npx @playwright/mcp@latest): failed (0 tools), no startup warning says why",
    },
    {
      name: "connected with 0 tools: at least one tool is required",
      facts: setPlaywright({ status: "connected", tools: 0, toolNames: [], auth: null, failure: null }),
      status: "fail",
      observed: "playwright: connected but lists no tools",
    },
    {
      name: "disabled",
      facts: setDocs({ status: "disabled", tools: 0, toolNames: [], auth: null, failure: null }),
      status: "fail",
      observed: "openaiDeveloperDocs: disabled in the config",
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
      name: "two servers down: both on the observed line",
      facts: (f) => {
        setPlaywright(failed({ cause: "startup-timeout", timeoutSec: 5 }))(f);
        setDocs(failed({ cause: "refused", url: DOCS_URL }))(f);
      },
      status: "fail",
      observed: `playwright (npx @playwright/mcp@latest): startup timed out after 5 s; openaiDeveloperDocs (${DOCS_URL}): connection refused`,
    },
    {
      name: "/mcp verbose not read, but the startup warning named the failure",
      facts: (f) => {
        f.tui.mcp = { playwright: failed({ cause: "startup-timeout", timeoutSec: 30 }) };
        f.tui.mcpError = "timed out after 57 s waiting for the /mcp verbose block";
      },
      status: "fail",
      observed: "startup timed out after 30 s",
    },
    {
      name: "/mcp verbose not read and nothing known: could not test",
      facts: (f) => {
        f.tui.mcp = {};
        f.tui.mcpError = "timed out after 57 s waiting for the /mcp verbose block";
      },
      status: "error",
      observed: "could not test: timed out after 57 s waiting for the /mcp verbose block",
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

describe("mcp.servers: one readable line and the fix for its cause", () => {
  const run = (mutate: (f: FactValues) => void) => {
    const facts = healthyFacts();
    mutate(facts);
    return mcpServers.run(facts, { expect: DEFAULT_EXPECTATIONS });
  };

  it.each([
    [
      "refused",
      setDocs(failed({ cause: "refused", url: DOCS_URL })),
      `Nothing accepts connections at ${DOCS_URL}: start the MCP server, or correct \`url\` in [mcp_servers.openaiDeveloperDocs]. Codex connects to MCP servers from the host, outside the sandbox.`,
    ],
    [
      "dns",
      setDocs(failed({ cause: "dns", url: "http://docs.invalid/mcp" })),
      "This host cannot resolve the name in http://docs.invalid/mcp: correct `url` in [mcp_servers.openaiDeveloperDocs], or this machine's DNS or proxy settings. Codex connects to MCP servers from the host, outside the sandbox.",
    ],
    [
      "tls",
      setDocs(failed({ cause: "tls", url: "https://127.0.0.1:8443/mcp" })),
      "This host does not trust the certificate of https://127.0.0.1:8443/mcp: install the issuing CA on this machine (system store or SSL_CERT_FILE), or use a URL with a trusted certificate.",
    ],
    [
      "HTTP 401",
      setDocs(failed({ cause: "http-status", httpStatus: 401 })),
      "https://developers.openai.com/mcp refuses the request: set the server's credentials (`bearer_token_env_var` or `http_headers`) in [mcp_servers.openaiDeveloperDocs].",
    ],
    [
      "HTTP 404",
      setDocs(failed({ cause: "http-status", httpStatus: 404 })),
      "https://developers.openai.com/mcp is not an MCP endpoint: correct the path in `url` (it usually ends in /mcp), or fix the server.",
    ],
    [
      "startup timeout",
      setPlaywright(failed({ cause: "startup-timeout", timeoutSec: 5 })),
      "If playwright is only slow to start, raise `startup_timeout_sec` in [mcp_servers.playwright] (it was 5 s); if it hangs, run `npx @playwright/mcp@latest` by hand to see why it never answers.",
    ],
    [
      "command not found",
      setPlaywright(failed({ cause: "command-not-found" })),
      "`npx` does not exist on the PATH Codex sees: install it, or give its absolute path as `command` in [mcp_servers.playwright].",
    ],
    [
      "exited",
      setPlaywright(failed({ cause: "exited" })),
      "`npx @playwright/mcp@latest` exits before answering: run it by hand in the project to see its error (a missing script or dependency, a wrong argument).",
    ],
    [
      "0 tools",
      setPlaywright({ status: "connected", tools: 0, toolNames: [], auth: null, failure: null }),
      "playwright connects but offers no tools: check its `enabled_tools`/`disabled_tools` in [mcp_servers.playwright] and that it is the intended server.",
    ],
  ])("%s", (_name, mutate, remediation) => {
    const result = run(mutate);
    expect(result.status).toBe("fail");
    expect(result.remediation).toBe(remediation);
    expect(result.observed).not.toContain("\n");
  });

  it("says nothing twice and names no Rust type (observed, evidence, remediation)", () => {
    const result = run(
      setDocs(failed({ cause: "refused", url: DOCS_URL, detail: "connect ECONNREFUSED 127.0.0.1:9" })),
    );
    const lines = [result.observed, ...result.evidence, result.remediation ?? ""];
    expect(lines.filter((line) => /::|<\w+>/.test(line))).toEqual([]);
    expect(result.evidence).toEqual([
      "/mcp verbose: playwright: connected (2 tools)",
      "/mcp verbose: openaiDeveloperDocs: failed (0 tools)",
      "openaiDeveloperDocs: connect ECONNREFUSED 127.0.0.1:9",
    ]);
  });

  it("keeps the check's general remediation when nothing failed", () => {
    expect(run(() => {}).remediation).toBeUndefined();
  });
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
