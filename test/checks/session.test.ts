import { describe, expect, it } from "vitest";
import bannerApproval from "../../checks/banner/approval.js";
import bannerSandbox from "../../checks/banner/sandbox.js";
import mcpApproval from "../../checks/mcp/approval.js";
import mcpServers from "../../checks/mcp/servers.js";
import tuiPermissions from "../../checks/tui/permissions.js";
import { DEFAULT_EXPECTATIONS } from "../../src/core/expectations.js";
import type { FactValues, McpFailure, McpServerStatus } from "../../src/core/model.js";
import {
  configFacts,
  effectiveConfig,
  healthyFacts,
  LAUNCHER_OVERRIDES,
  PROFILE_PATH,
  profileData,
} from "../fixtures/facts/healthy.js";
import { testCheck } from "./rule-tester.js";

const REFUSED = "Error loading config.toml: invalid transport\nin `mcp_servers.playwright`";

/** The profile's own network switch off (in the effective config the checks read). */
const profileNetworkOff = (f: FactValues) => {
  const permissions = f.config.effective.permissions as Record<string, Record<string, unknown>>;
  (permissions["azi4a2-autonomous"] as Record<string, unknown>).network = { enabled: false };
};
/** approval_policy = "on-request" in the profile file, no launcher -c over it. */
const profileOnRequest = (f: FactValues) => {
  f.config.launcherOverrides = f.config.launcherOverrides.filter((o) => o.key !== "approval_policy");
  if (f.config.profile.data) f.config.profile.data.approval_policy = "on-request";
};
const NETWORK_FIX = "Set `enabled = true` under [permissions.azi4a2-autonomous.network] (it is false).";

testCheck(bannerApproval, {
  valid: [
    {
      name: "launcher -c approval_policy=never",
      status: "pass",
      observed: 'approval_policy = "never" (launcher -c approval_policy="never")',
      evidence: [
        "exec header: approval: never",
        "exec always prints approval: never; the interactive /status is the authority (tui.permissions)",
      ],
    },
    {
      name: "no header printed: the config decides",
      facts: (f) => {
        f.exec.header = null;
      },
      status: "pass",
      evidence: [
        "exec header: no approval line",
        "exec always prints approval: never; the interactive /status is the authority (tui.permissions)",
      ],
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
      remediation:
        'Set `approval_policy = "never"` in the profile file (or pass `-c approval_policy="never"` from the launcher).',
    },
    {
      name: "--approve-for-me: the header says on-request",
      facts: (f) => {
        (f.exec.header as Record<string, string>).approval = "on-request";
      },
      status: "fail",
      expected: 'approval_policy "never" in effect',
      observed: "exec header: approval: on-request",
      evidence: [
        'approval_policy = "never" (launcher -c approval_policy="never")',
        "exec header: approval: on-request",
        "exec always prints approval: never; the interactive /status is the authority (tui.permissions)",
      ],
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

const PROFILE_HEADER = "workspace-write [workdir] (network access enabled)";

testCheck(bannerSandbox, {
  valid: [
    {
      name: "profile header",
      status: "pass",
      expected: `sandbox: ${PROFILE_HEADER}`,
      observed: `sandbox: ${PROFILE_HEADER}`,
      evidence: [`sandbox: ${PROFILE_HEADER}`],
    },
    {
      name: "--expect a header without network: that header passes",
      expect: { sandboxHeader: "workspace-write [workdir]" },
      facts: setSandbox("workspace-write [workdir]"),
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "legacy --sandbox workspace-write",
      facts: setSandbox("workspace-write [workdir, /tmp, $TMPDIR]"),
      status: "fail",
      observed: "sandbox: workspace-write [workdir, /tmp, $TMPDIR]",
      evidence: [
        "sandbox: workspace-write [workdir, /tmp, $TMPDIR]",
        "legacy workspace-write (or extends :workspace) replaced the profile: /tmp and $TMPDIR writable",
        "network access is off",
      ],
    },
    {
      name: "legacy workspace-write with $TMPDIR excluded, network on",
      facts: setSandbox("workspace-write [workdir, /tmp] (network access enabled)"),
      status: "fail",
      evidence: [
        "sandbox: workspace-write [workdir, /tmp] (network access enabled)",
        "legacy workspace-write (or extends :workspace) replaced the profile: /tmp and $TMPDIR writable",
      ],
    },
    {
      name: "danger-full-access",
      facts: setSandbox("danger-full-access"),
      status: "fail",
      evidence: [
        "sandbox: danger-full-access",
        "no sandbox at all: everything readable and writable",
        "network access is off",
      ],
    },
    {
      name: "network.enabled = false",
      facts: setSandbox("workspace-write [workdir]"),
      status: "fail",
      evidence: ["sandbox: workspace-write [workdir]", "network access is off"],
    },
    {
      name: "network off in the header and in the profile: that switch",
      facts: (f) => {
        setSandbox("workspace-write [workdir]")(f);
        profileNetworkOff(f);
      },
      status: "fail",
      remediation: NETWORK_FIX,
    },
    {
      name: "network on in the header, another root writable: the profile's network switch is not named",
      facts: (f) => {
        setSandbox("workspace-write [workdir, /srv] (network access enabled)")(f);
        profileNetworkOff(f);
      },
      status: "fail",
      evidence: [
        "sandbox: workspace-write [workdir, /srv] (network access enabled)",
        "extra writable roots beyond the project (--add-dir or write entries)",
      ],
      remediation: bannerSandbox.remediation,
    },
    {
      name: "misspelt profile falls back to read-only",
      facts: setSandbox("read-only (network access enabled)"),
      status: "fail",
      evidence: [
        "sandbox: read-only (network access enabled)",
        "the profile is not applied (a misspelt or missing --profile falls back to read-only)",
      ],
    },
    {
      name: "--expect a header without network: read-only is not it, and no word about the network",
      expect: { sandboxHeader: "workspace-write [workdir]" },
      facts: setSandbox("read-only"),
      status: "fail",
      evidence: [
        "sandbox: read-only",
        "the profile is not applied (a misspelt or missing --profile falls back to read-only)",
      ],
    },
    {
      name: "--add-dir",
      facts: setSandbox("workspace-write [workdir, /home/alice/work/sibling] (network access enabled)"),
      status: "fail",
      evidence: [
        "sandbox: workspace-write [workdir, /home/alice/work/sibling] (network access enabled)",
        "extra writable roots beyond the project (--add-dir or write entries)",
      ],
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
      name: "no header: the last five lines of stderr as evidence",
      facts: (f) => {
        f.exec.header = null;
        f.exec.stderrTail = ["l1", "l2", "l3", "l4", "l5", "l6"];
      },
      status: "error",
      observed: "could not test: exec printed no startup header",
      evidence: ["l2", "l3", "l4", "l5", "l6"],
    },
  ],
});

const TUI_EXPECTED = "Permissions: … (workspace with network access, never)";

testCheck(tuiPermissions, {
  valid: [
    {
      name: "Profile azi4a2-autonomous (workspace with network access, never)",
      status: "pass",
      expected: TUI_EXPECTED,
      observed: "Profile azi4a2-autonomous (workspace with network access, never)",
      evidence: ["/status Permissions: Profile azi4a2-autonomous (workspace with network access, never)"],
    },
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
    {
      name: "spaces around the comma and inside the parenthesis: each half is compared",
      facts: (f) => {
        f.tui.permissions = "Profile azi4a2-autonomous ( workspace with network access ,  never )";
      },
      status: "pass",
    },
    {
      name: "spaces after the parenthesis",
      facts: (f) => {
        f.tui.permissions = "Profile azi4a2-autonomous (workspace with network access, never)  ";
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
      evidence: [
        "/status Permissions: Custom (workspace, never)",
        "access: workspace, expected workspace with network access",
      ],
    },
    {
      name: "network lost and the profile's network off: that switch, and no approval change",
      facts: (f) => {
        f.tui.permissions = "Profile azi4a2-autonomous (workspace, never)";
        profileNetworkOff(f);
      },
      status: "fail",
      remediation: NETWORK_FIX,
    },
    {
      name: "another access that keeps the network: the profile's network switch is not named",
      facts: (f) => {
        f.tui.permissions = "Profile azi4a2-autonomous (read-only with network access, never)";
        profileNetworkOff(f);
      },
      status: "fail",
      evidence: [
        "/status Permissions: Profile azi4a2-autonomous (read-only with network access, never)",
        "access: read-only with network access, expected workspace with network access",
      ],
      remediation: tuiPermissions.remediation,
    },
    {
      name: "network lost and approval on-request: both fixes, the access first",
      facts: (f) => {
        f.tui.permissions = "Profile azi4a2-autonomous (workspace, on-request)";
        profileNetworkOff(f);
        profileOnRequest(f);
      },
      status: "fail",
      remediation: `${NETWORK_FIX} Change \`approval_policy = "on-request"\` (${PROFILE_PATH}) to "never".`,
    },
    {
      name: "the access as expected, approval on-request: only the approval fix",
      facts: (f) => {
        f.tui.permissions = "Profile azi4a2-autonomous (workspace with network access, on-request)";
        profileNetworkOff(f);
        profileOnRequest(f);
      },
      status: "fail",
      remediation: `Change \`approval_policy = "on-request"\` (${PROFILE_PATH}) to "never".`,
    },
    {
      name: "an empty access before the comma",
      facts: (f) => {
        f.tui.permissions = "Custom (, never)";
      },
      status: "fail",
      evidence: ["/status Permissions: Custom (, never)", "access: , expected workspace with network access"],
    },
    {
      name: "approval on-request in effect",
      facts: (f) => {
        f.tui.permissions = "Profile azi4a2-autonomous (workspace with network access, Ask for approval)";
      },
      status: "fail",
      evidence: [
        "/status Permissions: Profile azi4a2-autonomous (workspace with network access, Ask for approval)",
        "approval: Ask for approval, expected never",
      ],
    },
    {
      name: "approval on-request and the config files unread: no layer to name, the general fix",
      facts: (f) => {
        f.tui.permissions = "Profile azi4a2-autonomous (workspace with network access, on-request)";
      },
      missing: { config: "config.toml unreadable" },
      status: "fail",
      observed: "on-request",
      remediation: tuiPermissions.remediation,
    },
    {
      name: "only the last parenthesis is the (access, approval) pair",
      facts: (f) => {
        f.tui.permissions = "Profile team (workspace with network access, never) (read-only, on-request)";
      },
      status: "fail",
      evidence: [
        "/status Permissions: Profile team (workspace with network access, never) (read-only, on-request)",
        "access: read-only, expected workspace with network access",
        "approval: on-request, expected never",
      ],
    },
    {
      name: "a parenthesis without an approval",
      facts: (f) => {
        f.tui.permissions = "Profile azi4a2-autonomous (workspace with network access)";
      },
      status: "fail",
      evidence: [
        "/status Permissions: Profile azi4a2-autonomous (workspace with network access)",
        "approval: , expected never",
      ],
    },
    {
      name: "Full Access",
      facts: (f) => {
        f.tui.permissions = "Full Access";
        profileNetworkOff(f);
      },
      status: "fail",
      observed: "Full Access",
      // The profile's network is off too, but that does not make Full Access: not named.
      remediation: tuiPermissions.remediation,
      evidence: [
        "/status Permissions: Full Access",
        "no (access, approval) parenthesis: not a workspace sandbox with approval never",
      ],
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
      name: "no Permissions line: the status screen as evidence",
      facts: (f) => {
        f.tui.permissions = null;
      },
      status: "error",
      observed: "could not test: /status showed no Permissions line",
      evidence: [
        ">_ OpenAI Codex (v0.169.0)",
        "Model provider:      codex_smoke_mock",
        "Directory:           /home/alice/work/azinstitute",
        "Permissions:         Profile azi4a2-autonomous (workspace with network access, never)",
      ],
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
      expected: "playwright, openaiDeveloperDocs: connected, ≥ 1 tool each",
      observed: "playwright: connected (2 tools), openaiDeveloperDocs: connected (2 tools)",
      evidence: [
        "/mcp verbose: playwright: connected (2 tools)",
        "/mcp verbose: openaiDeveloperDocs: connected (2 tools)",
        "note: auto-approved MCP tools run outside the shell sandbox: playwright: browser_navigate, browser_snapshot; openaiDeveloperDocs: fetch_openai_doc, search_openai_docs",
      ],
    },
    {
      name: "one tool is enough; tool names a release does not show",
      facts: setPlaywright({ status: "connected", tools: 1, toolNames: [], auth: null, failure: null }),
      status: "pass",
      evidence: [
        "/mcp verbose: playwright: connected (1 tools)",
        "/mcp verbose: openaiDeveloperDocs: connected (2 tools)",
        "note: auto-approved MCP tools run outside the shell sandbox: playwright: (names not shown); openaiDeveloperDocs: fetch_openai_doc, search_openai_docs",
      ],
    },
    {
      name: "an optional server that connects passes like any other",
      expect: { mcpOptional: ["playwright"] },
      status: "pass",
      observed: "playwright: connected (2 tools), openaiDeveloperDocs: connected (2 tools)",
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
      remediation:
        "Start the interactive session, read playwright's warning (F2) and fix [mcp_servers.playwright] until `/mcp verbose` lists it connected.",
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
      name: "/mcp verbose not read: servers it did not show never pass",
      facts: (f) => {
        f.tui.mcpError = "timed out after 57 s waiting for the /mcp verbose block";
      },
      status: "error",
      observed: "could not test: timed out after 57 s waiting for the /mcp verbose block",
    },
    {
      name: "no server expected: nothing to test",
      expect: { mcpServers: [] },
      status: "error",
      observed: "could not test: /mcp verbose showed nothing",
      evidence: [],
    },
    {
      name: "failed although it lists tools",
      facts: setDocs({ ...failed({ cause: "refused", url: DOCS_URL }), tools: 2 }),
      status: "fail",
      observed: `openaiDeveloperDocs (${DOCS_URL}): connection refused`,
    },
    {
      name: "not listed: the fix is to define it; the other server's line stays",
      facts: (f) => {
        delete f.tui.mcp.playwright;
      },
      status: "fail",
      observed: "playwright: not listed by /mcp verbose",
      evidence: ["/mcp verbose: openaiDeveloperDocs: connected (2 tools)"],
      remediation:
        "Define [mcp_servers.playwright] (a `command` or a `url`) in the profile file the launcher selects.",
    },
    {
      name: "two servers down: one fix each, in order",
      facts: (f) => {
        setPlaywright({ status: "disabled", tools: 0, toolNames: [], auth: null, failure: null })(f);
        setDocs({ status: "connected", tools: 0, toolNames: [], auth: null, failure: null })(f);
      },
      status: "fail",
      observed: "playwright: disabled in the config; openaiDeveloperDocs: connected but lists no tools",
      remediation:
        "Remove `enabled = false` from [mcp_servers.playwright]. openaiDeveloperDocs connects but offers no tools: check its `enabled_tools`/`disabled_tools` in [mcp_servers.openaiDeveloperDocs] and that it is the intended server.",
    },
    {
      name: "two servers behind the same untrusted certificate: the fix once",
      facts: (f) => {
        setPlaywright(failed({ cause: "tls", url: "https://127.0.0.1:8443/mcp" }))(f);
        setDocs(failed({ cause: "tls", url: "https://127.0.0.1:8443/mcp" }))(f);
      },
      status: "fail",
      remediation:
        "This host does not trust the certificate of https://127.0.0.1:8443/mcp: install the issuing CA on this machine (system store or SSL_CERT_FILE), or use a URL with a trusted certificate.",
    },
    {
      name: "an optional server that timed out: warn with the cause and its fix; the other's tools noted",
      expect: { mcpOptional: ["playwright"] },
      facts: setPlaywright(failed({ cause: "startup-timeout", timeoutSec: 30 })),
      status: "warn",
      expected:
        "playwright, openaiDeveloperDocs: connected, ≥ 1 tool each; optional: playwright (a warning when it does not connect)",
      observedIs: "optional playwright (npx @playwright/mcp@latest): startup timed out after 30 s",
      evidence: [
        "/mcp verbose: playwright: failed (0 tools)",
        "/mcp verbose: openaiDeveloperDocs: connected (2 tools)",
        "note: auto-approved MCP tools run outside the shell sandbox: openaiDeveloperDocs: fetch_openai_doc, search_openai_docs",
      ],
      remediation:
        "If playwright is only slow to start, raise `startup_timeout_sec` in [mcp_servers.playwright] (it was 30 s); if it hangs, run `npx @playwright/mcp@latest` by hand to see why it never answers.",
    },
    {
      name: "two optional servers: both named in the expectation",
      expect: { mcpOptional: ["playwright", "openaiDeveloperDocs"] },
      facts: setPlaywright(failed({ cause: "command-not-found" })),
      status: "warn",
      expected:
        "playwright, openaiDeveloperDocs: connected, ≥ 1 tool each; optional: playwright, openaiDeveloperDocs (a warning when it does not connect)",
    },
    {
      name: "an optional server named only in mcpOptional counts as expected, and may fail",
      expect: { mcpServers: ["openaiDeveloperDocs"], mcpOptional: ["playwright"] },
      facts: setPlaywright(failed({ cause: "command-not-found" })),
      status: "warn",
      observedIs: "optional playwright (npx @playwright/mcp@latest): command not found",
    },
    {
      name: "a required server down fails, whatever the optional one does; the optional one's line is evidence",
      expect: { mcpOptional: ["playwright"] },
      facts: (f) => {
        setPlaywright(failed({ cause: "startup-timeout", timeoutSec: 30 }))(f);
        setDocs(failed({ cause: "refused", url: DOCS_URL }))(f);
      },
      status: "fail",
      observedIs: `openaiDeveloperDocs (${DOCS_URL}): connection refused`,
      evidence: "playwright (npx @playwright/mcp@latest): startup timed out after 30 s",
    },
    {
      name: "an optional server that is not defined at all still fails: the setup lacks it",
      expect: { mcpOptional: ["playwright"] },
      facts: (f) => {
        delete f.tui.mcp.playwright;
      },
      status: "fail",
      observedIs: "playwright: not listed by /mcp verbose",
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

  /** Playwright's stdio definition in the effective config, replaced. */
  const playwrightConfig = (definition: unknown) => (f: FactValues) => {
    const servers = f.config.effective.mcp_servers as Record<string, unknown>;
    servers.playwright = definition;
  };
  const LONG_ARGS = ["--config", `/home/alice/${"x".repeat(100)}.json`];

  it.each([
    [
      "HTTP 403",
      setDocs(failed({ cause: "http-status", httpStatus: 403 })),
      "openaiDeveloperDocs (https://developers.openai.com/mcp): answered HTTP 403",
      "https://developers.openai.com/mcp refuses the request: set the server's credentials (`bearer_token_env_var` or `http_headers`) in [mcp_servers.openaiDeveloperDocs].",
    ],
    [
      "not an MCP endpoint",
      setDocs(failed({ cause: "not-mcp", url: DOCS_URL })),
      `openaiDeveloperDocs (${DOCS_URL}): answered, but not as an MCP server`,
      `${DOCS_URL} is not an MCP endpoint: correct the path in \`url\` (it usually ends in /mcp), or fix the server.`,
    ],
    [
      "reset",
      setDocs(failed({ cause: "reset", url: DOCS_URL })),
      `openaiDeveloperDocs (${DOCS_URL}): connection reset by the server`,
      `This host cannot complete a request to ${DOCS_URL}: check that the server is up and that no firewall or proxy cuts the connection. Codex connects to MCP servers from the host, outside the sandbox.`,
    ],
    [
      "unreachable",
      setDocs(failed({ cause: "unreachable", url: DOCS_URL })),
      `openaiDeveloperDocs (${DOCS_URL}): the request could not be sent`,
      `This host cannot complete a request to ${DOCS_URL}: check that the server is up and that no firewall or proxy cuts the connection. Codex connects to MCP servers from the host, outside the sandbox.`,
    ],
    [
      "spawn failed",
      setPlaywright(failed({ cause: "spawn-failed", detail: "Permission denied (os error 13)" })),
      "playwright (npx @playwright/mcp@latest): could not be started (Permission denied (os error 13))",
      "`npx` cannot be started: make it executable, or correct `command` in [mcp_servers.playwright].",
    ],
    [
      "other",
      setPlaywright(failed({ cause: "other", detail: "something new" })),
      "playwright (npx @playwright/mcp@latest): failed: something new",
      "Fix [mcp_servers.playwright] until `/mcp verbose` lists playwright connected; the evidence quotes Codex's reason.",
    ],
    [
      "no definition in the effective config: the server's name only",
      (f: FactValues) => {
        setPlaywright(failed({ cause: "startup-timeout", timeoutSec: 30 }))(f);
        playwrightConfig(undefined)(f);
      },
      "playwright: startup timed out after 30 s",
      "If playwright is only slow to start, raise `startup_timeout_sec` in [mcp_servers.playwright] (it was 30 s); if it hangs, run `the server's command` by hand to see why it never answers.",
    ],
    [
      "a command that is not a string",
      (f: FactValues) => {
        setPlaywright(failed({ cause: "command-not-found" }))(f);
        playwrightConfig({ command: ["npx"] })(f);
      },
      "playwright: command not found",
      "`the server's command` does not exist on the PATH Codex sees: install it, or give its absolute path as `command` in [mcp_servers.playwright].",
    ],
    [
      "a command without arguments",
      (f: FactValues) => {
        setPlaywright(failed({ cause: "exited" }))(f);
        playwrightConfig({ command: "mcp-server" })(f);
      },
      "playwright (mcp-server): the server exited before answering initialize",
      "`mcp-server` exits before answering: run it by hand in the project to see its error (a missing script or dependency, a wrong argument).",
    ],
    [
      "a command line of 120 characters is shown whole",
      (f: FactValues) => {
        setPlaywright(failed({ cause: "exited" }))(f);
        playwrightConfig({ command: "npx", args: ["x".repeat(116)] })(f);
      },
      `playwright (npx ${"x".repeat(116)}): the server exited before answering initialize`,
      `\`npx ${"x".repeat(116)}\` exits before answering: run it by hand in the project to see its error (a missing script or dependency, a wrong argument).`,
    ],
    [
      "a longer one is cut at 119 characters",
      (f: FactValues) => {
        setPlaywright(failed({ cause: "exited" }))(f);
        playwrightConfig({ command: "node", args: LONG_ARGS })(f);
      },
      `playwright (node --config /home/alice/${"x".repeat(93)}…): the server exited before answering initialize`,
      `\`node --config /home/alice/${"x".repeat(93)}…\` exits before answering: run it by hand in the project to see its error (a missing script or dependency, a wrong argument).`,
    ],
  ])("%s", (_name, mutate, observed, remediation) => {
    const result = run(mutate);
    expect(result.status).toBe("fail");
    expect(result.observed).toBe(observed);
    expect(result.remediation).toBe(remediation);
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

const APPROVAL_SEEN = [
  "playwright: default_tools_approval_mode: approve, tool_timeout_sec: 300",
  "openaiDeveloperDocs: default_tools_approval_mode: approve, tool_timeout_sec: 300",
];

testCheck(mcpApproval, {
  valid: [
    {
      name: "approve and 300 for both",
      status: "pass",
      expected: "default_tools_approval_mode: approve, tool_timeout_sec: 300",
      observed: "in effect for playwright, openaiDeveloperDocs",
      evidence: APPROVAL_SEEN,
    },
    {
      name: "a timeout printed as Codex formats it is compared as a number",
      facts: (f) => {
        const get = f.mcpGet.playwright;
        if (get) get.fields.tool_timeout_sec = "300.0";
      },
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "an optional server's approval settings are still checked",
      expect: { mcpServers: ["openaiDeveloperDocs"], mcpOptional: ["playwright"] },
      facts: (f) => {
        const get = f.mcpGet.playwright;
        if (get) get.fields.default_tools_approval_mode = "prompt";
      },
      status: "fail",
      observedIs: "playwright: default_tools_approval_mode prompt",
    },
    {
      name: "overrides removed: the lines are absent",
      facts: (f) => {
        const get = f.mcpGet.playwright;
        if (get) get.fields = { enabled: "true", transport: "stdio", command: "npx" };
      },
      status: "fail",
      observed: "playwright: default_tools_approval_mode not set",
      evidence: [
        "playwright: default_tools_approval_mode not set",
        "playwright: tool_timeout_sec not set",
        "playwright: default_tools_approval_mode: -, tool_timeout_sec: -",
        "openaiDeveloperDocs: default_tools_approval_mode: approve, tool_timeout_sec: 300",
      ],
      remediation:
        'Make the launcher pass `-c mcp_servers.playwright.default_tools_approval_mode="approve"`, `-c mcp_servers.playwright.tool_timeout_sec=300` (a server\'s own table may set them too).',
    },
    {
      name: "timeout changed to 60",
      facts: (f) => {
        const get = f.mcpGet.openaiDeveloperDocs;
        if (get) get.fields.tool_timeout_sec = "60";
      },
      status: "fail",
      observed: "openaiDeveloperDocs: tool_timeout_sec 60",
      remediation:
        "Make the launcher pass `-c mcp_servers.openaiDeveloperDocs.tool_timeout_sec=300` (a server's own table may set them too).",
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
      // No setting was read, so there is no -c to name: the check's general fix.
      remediation: mcpApproval.remediation,
    },
    {
      name: "mcp get timed out: no exit code, no output",
      facts: (f) => {
        f.mcpGet.playwright = { exitCode: null, fields: {}, output: "" };
      },
      status: "fail",
      observed: "mcp get playwright: exit none: no output",
      evidence: [
        "mcp get playwright: exit none: no output",
        "openaiDeveloperDocs: default_tools_approval_mode: approve, tool_timeout_sec: 300",
      ],
    },
    {
      name: "mode prompt",
      facts: (f) => {
        const get = f.mcpGet.playwright;
        if (get) get.fields.default_tools_approval_mode = "prompt";
      },
      status: "fail",
      observed: "playwright: default_tools_approval_mode prompt",
    },
    {
      name: "a disabled server says so",
      facts: (f) => {
        f.mcpGet.playwright = {
          exitCode: 0,
          fields: { enabled: "false", default_tools_approval_mode: "prompt", tool_timeout_sec: "60" },
          output: "playwright (disabled)\n  enabled: false\n",
        };
      },
      status: "fail",
      evidence: [
        "playwright: default_tools_approval_mode prompt (server disabled)",
        "playwright: tool_timeout_sec 60 (server disabled)",
        "playwright: default_tools_approval_mode: prompt, tool_timeout_sec: 60",
        "openaiDeveloperDocs: default_tools_approval_mode: approve, tool_timeout_sec: 300",
      ],
    },
    {
      name: "mcp get was not run for a server: could not test, never a pass",
      facts: (f) => {
        delete f.mcpGet.playwright;
      },
      status: "error",
      observed: "could not test: mcp get not run for playwright",
      evidence: ["openaiDeveloperDocs: default_tools_approval_mode: approve, tool_timeout_sec: 300"],
    },
    {
      name: "mcp get run for no server",
      facts: (f) => {
        f.mcpGet = {};
      },
      status: "error",
      observedIs: "could not test: mcp get not run for playwright, openaiDeveloperDocs",
      evidence: [],
    },
    {
      name: "a server not run and another wrong: the wrong one fails",
      facts: (f) => {
        delete f.mcpGet.playwright;
        const get = f.mcpGet.openaiDeveloperDocs;
        if (get) get.fields.tool_timeout_sec = "60";
      },
      status: "fail",
      observed: "openaiDeveloperDocs: tool_timeout_sec 60",
    },
  ],
});
