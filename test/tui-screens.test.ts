// The screen parsers against screens captured from Codex 0.169.0 (rendered by @xterm/headless):
// alternate screen and --no-alt-screen, 200, 120 and 60 columns, healthy, failed and disabled servers; and
// against every release from 0.139 to 0.171 (fixtures/tui/releases/<version>/, see its README): each release's
// screens and raw byte stream must give the same facts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import xterm from "@xterm/headless";
import { describe, expect, it } from "vitest";
import { renderScreen } from "../src/gather/tui.js";
import {
  classifyMcpWarning,
  composerText,
  historyWarnings,
  mcpBlock,
  mcpBlockCount,
  mcpFailures,
  mcpStartupShown,
  mcpVerboseComplete,
  parseMcpVerbose,
  parseStatusPermissions,
  parseWarnings,
  permissionsParenthesis,
  plainWarning,
  readOscStates,
  sessionConfigured,
  statusCard,
  unbox,
  warningsOffered,
  warningsPage,
} from "../src/gather/tui-screens.js";

const capture = (name: string) =>
  readFileSync(join(import.meta.dirname, "fixtures/tui/captures", name), "utf8");

const PROFILE_VALUE = "Profile azi4a2-autonomous (workspace with network access, never)";
const CODEX_TUI_TOOLS = [
  "create_thread",
  "create_worktree",
  "fork_thread",
  "get_worktree_creation_status",
  "list_archived_threads",
  "list_threads",
  "list_worktrees",
  "read_thread",
  "send_message_to_thread",
  "set_thread_archived",
  "set_thread_title",
  "wait_threads",
];

describe("parseStatusPermissions", () => {
  it.each([
    ["alt-120x40-02-status.screen.txt", "Custom (workspace with network access, never)"],
    ["noalt-120x40-final.screen.txt", "Custom (workspace with network access, never)"],
    ["noalt-200x50-broken-status.screen.txt", PROFILE_VALUE],
    // wrapped by the TUI over two lines at 60 columns, in both screen modes
    ["noalt-60x30-status.screen.txt", PROFILE_VALUE],
    ["alt-60x30-status.screen.txt", PROFILE_VALUE],
  ])("%s", (file, value) => {
    expect(parseStatusPermissions(capture(file))).toBe(value);
  });

  it("is null when no /status card is on screen", () => {
    expect(parseStatusPermissions(capture("alt-120x40-01-ready.screen.txt"))).toBeNull();
  });

  it("takes the last card and stops at the next field", () => {
    const screen = [
      "  Permissions:         Custom (workspace, never)",
      "  Agents.md:           <none>",
      "",
      "  Permissions:         Profile p (workspace with network",
      "access, Ask for approval)",
      "  Agents.md:           <none>",
    ].join("\n");
    expect(parseStatusPermissions(screen)).toBe(
      "Profile p (workspace with network access, Ask for approval)",
    );
  });
});

describe("permissionsParenthesis", () => {
  it.each([
    [PROFILE_VALUE, "workspace with network access", "never"],
    [
      "Custom (workspace with network access, Ask for approval)",
      "workspace with network access",
      "Ask for approval",
    ],
    ["Custom (workspace, never)", "workspace", "never"],
    ["Custom (danger-full-access, Ask for approval)", "danger-full-access", "Ask for approval"],
    ["Profile odd (name) (workspace, never)", "workspace", "never"],
    // only the approval in parentheses: the prefix is the access
    ["Workspace (Ask for approval)", "Workspace", "Ask for approval"],
    ["Read Only (never)", "Read Only", "never"],
    // no parenthesis at all: never a workspace
    ["Full Access", "Full Access", ""],
  ])("%s", (value, access, approval) => {
    expect(permissionsParenthesis(value)).toEqual({ access, approval });
  });

  it("is null for an empty value", () => {
    expect(permissionsParenthesis("  ")).toBeNull();
  });
});

describe("statusCard", () => {
  it("cuts the card from its heading to Limits", () => {
    const card = statusCard(capture("noalt-200x50-broken-status.screen.txt")) ?? "";
    expect(card.split("\n")[0]).toBe("  >_ OpenAI Codex (v0.169.0)");
    expect(card).toContain(`Permissions:         ${PROFILE_VALUE}`);
    expect(card.split("\n").at(-1)).toMatch(/^\s+Limits:/);
  });
});

describe("parseMcpVerbose", () => {
  it("reads the healthy block where the terminal wrapped the tool list at column 0 (alt screen)", () => {
    const servers = parseMcpVerbose(capture("alt-120x40-04-mcp-verbose.screen.txt"));
    expect(Object.keys(servers)).toEqual(["codex_tui", "openaiDeveloperDocs", "playwright"]);
    expect(servers.codex_tui).toEqual({
      status: "connected",
      tools: 12,
      toolNames: CODEX_TUI_TOOLS,
      auth: "Bearer token",
      failure: null,
    });
    expect(servers.playwright).toEqual({
      status: "connected",
      tools: 2,
      toolNames: ["browser_navigate", "browser_snapshot"],
      auth: "Unsupported",
      failure: null,
    });
  });

  it.each(["noalt-120x40-final.screen.txt", "noalt-60x30-mcp-verbose.screen.txt"])(
    "reads tool lists the TUI wrapped with an indent (%s)",
    (file) => {
      const servers = parseMcpVerbose(capture(file));
      expect(servers.codex_tui?.toolNames).toEqual(CODEX_TUI_TOOLS);
      expect(servers.openaiDeveloperDocs).toEqual({
        status: "connected",
        tools: 2,
        toolNames: ["fetch_openai_doc", "search_openai_docs"],
        auth: "Unsupported",
        failure: null,
      });
    },
  );

  it("reads failed and disabled servers", () => {
    const servers = parseMcpVerbose(capture("broken-noalt-final.screen.txt"));
    expect(servers.disabledDocs).toEqual({
      status: "disabled",
      tools: 0,
      toolNames: [],
      auth: "Unsupported",
      failure: null,
    });
    expect(servers.playwright).toEqual({
      status: "failed",
      tools: 0,
      toolNames: [],
      auth: "Unsupported",
      failure: null,
    });
    expect(servers.openaiDeveloperDocs).toEqual({
      status: "failed",
      tools: 0,
      toolNames: [],
      auth: "Unknown",
      failure: null,
    });
    expect(Object.keys(servers)).toEqual([
      "codex_tui",
      "disabledDocs",
      "exits",
      "hangs",
      "openaiDeveloperDocs",
      "playwright",
    ]);
  });

  it("reads the last block only (after a /status card and an earlier /mcp)", () => {
    const servers = parseMcpVerbose(capture("noalt-200x50-broken-mcp-verbose.screen.txt"));
    expect(servers.playwright).toEqual({
      status: "failed",
      tools: 0,
      toolNames: [],
      auth: "Unsupported",
      failure: null,
    });
    expect(servers.codex_tui?.toolNames).toEqual(CODEX_TUI_TOOLS);
  });

  it("invents nothing when the heading scrolled off an alternate screen", () => {
    expect(parseMcpVerbose(capture("alt-60x30-mcp-verbose.screen.txt"))).toEqual({});
  });

  it("reads plain /mcp (no details) as statuses without tools or auth", () => {
    const servers = parseMcpVerbose(capture("alt-120x40-03-mcp.screen.txt"));
    expect(servers.playwright).toEqual({
      status: "connected",
      tools: 2,
      toolNames: [],
      auth: null,
      failure: null,
    });
  });
});

describe("mcpVerboseComplete / mcpBlock", () => {
  const screen = capture("noalt-200x50-broken-mcp-verbose.screen.txt");

  it("is complete when every listed entry is closed and the expected servers are there", () => {
    expect(mcpVerboseComplete(screen, ["playwright", "openaiDeveloperDocs"])).toBe(true);
  });

  it("is not complete while the last entry is cut, or for plain /mcp", () => {
    const cut = screen.slice(0, screen.lastIndexOf("Resource templates"));
    expect(mcpVerboseComplete(cut, ["playwright"])).toBe(false);
    expect(mcpVerboseComplete(capture("alt-120x40-03-mcp.screen.txt"), ["playwright"])).toBe(false);
    expect(mcpVerboseComplete(capture("alt-120x40-01-ready.screen.txt"), [])).toBe(false);
  });

  it("is not complete while an expected server is missing", () => {
    expect(mcpVerboseComplete(screen, ["playwright", "nosuch"])).toBe(false);
  });

  it("cuts the block from the heading to its last detail", () => {
    const block = mcpBlock(screen) ?? "";
    expect(block).toMatch(/^\S+\s+MCP Tools\n/);
    expect(block.split("\n").at(-1)).toBe("    • Resource templates: (none)");
    expect(block).not.toContain("Ask Codex");
  });
});

describe("warnings overlay", () => {
  it("reads every page, the MCP reasons included", () => {
    const warnings = parseWarnings(capture("broken-warnings-f2.txt"));
    expect(warnings).toHaveLength(6);
    expect(warnings[1]).toBe(
      "Startup: Running without the shared background server: --profile requires embedded mode.",
    );
    expect(warnings[5]).toBe(
      "MCP · playwright: MCP client for `playwright` failed to start: MCP startup failed: No such file or directory (os error 2)\n" +
        "MCP startup incomplete (failed: exits, hangs, openaiDeveloperDocs, playwright)",
    );
    expect(warnings[3]).toMatch(/^MCP · hangs: MCP client for `hangs` timed out after 3 seconds\./);
  });

  it("reads the page on a live screen and knows which page it is", () => {
    const screen = capture("noalt-200x50-broken-warnings.screen.txt").split("----\n").at(-1) ?? "";
    expect(warningsPage(screen)).toEqual({ index: 3, count: 3 });
    expect(parseWarnings(screen)).toEqual([
      "MCP · playwright: MCP client for `playwright` failed to start: MCP startup failed: handshaking with MCP server failed: connection closed: initialize response: connection closed: initialize response\n" +
        "MCP startup incomplete (failed: playwright)",
    ]);
  });

  it("finds no page once the overlay is closed", () => {
    expect(warningsPage(capture("noalt-200x50-broken-after-warnings.screen.txt"))).toBeNull();
    expect(parseWarnings(capture("noalt-200x50-broken-after-warnings.screen.txt"))).toEqual([]);
  });
});

const RELEASES = ["0.139.0", "0.150.0", "0.160.0", "0.169.0", "0.171.0"] as const;
type Release = (typeof RELEASES)[number];
const release = (version: Release, name: string) =>
  readFileSync(join(import.meta.dirname, "fixtures/tui/releases", version, name), "utf8");
/** Releases that draw the warnings into the history; later ones keep them behind F2. */
const HISTORY_WARNINGS = new Set<Release>(["0.139.0", "0.150.0"]);
/** Releases with Codex's built-in `codex_tui` server and OSC 7501 states. */
const NEWER = new Set<Release>(["0.169.0", "0.171.0"]);

/** The raw stream rendered as the driver renders it (200×100, --no-alt-screen). */
async function renderRaw(raw: string): Promise<string> {
  const term = new xterm.Terminal({ cols: 200, rows: 100, allowProposedApi: true, scrollback: 10_000 });
  await new Promise<void>((resolve) => term.write(raw, resolve));
  const screen = renderScreen(term);
  term.dispose();
  return screen;
}

const HEALTHY_SERVERS = {
  openaiDeveloperDocs: {
    status: "connected",
    tools: 2,
    toolNames: ["fetch_openai_doc", "search_openai_docs"],
    auth: "Unsupported",
    failure: null,
  },
  playwright: {
    status: "connected",
    tools: 2,
    toolNames: ["browser_navigate", "browser_snapshot"],
    auth: "Unsupported",
    failure: null,
  },
};

/** The warnings of a broken session as the driver reads them on that release. */
const brokenWarnings = (version: Release) =>
  HISTORY_WARNINGS.has(version)
    ? historyWarnings(release(version, "broken-mcp-verbose.screen.txt"))
    : parseWarnings(release(version, "broken-warnings.overlay.txt"));

describe.each(RELEASES)("Codex %s: the same facts from what this release draws", (version) => {
  it("is ready once the composer and the session footer are drawn, not before", () => {
    const ready = release(version, "ready.screen.txt");
    expect(composerText(ready)).not.toBeNull();
    expect(sessionConfigured(ready)).toBe(true);
    // 0.139 draws its composer only with the footer; the others draw it first.
    expect(sessionConfigured(release(version, "starting.screen.txt"))).toBe(version === "0.139.0");
    expect(mcpStartupShown(ready)).toBe(false);
  });

  it("reads /status: workspace with network access, approval never", () => {
    const screen = release(version, "status.screen.txt");
    const value = parseStatusPermissions(screen);
    expect(value).toBe("Profile azi4a2-autonomous (workspace with network access, never)");
    expect(permissionsParenthesis(value ?? "")).toEqual({
      access: "workspace with network access",
      approval: "never",
    });
    const card = statusCard(screen) ?? "";
    expect(card.split("\n")[0]).toBe(`  >_ OpenAI Codex (v${version})`);
    expect(card).not.toContain("│");
    expect(card.split("\n").at(-1)).toMatch(/^\s+Limits:\s+data not available yet$/);
  });

  it("reads /mcp verbose: both servers connected with their tools", () => {
    const screen = release(version, "mcp-verbose.screen.txt");
    const servers = parseMcpVerbose(screen);
    expect(servers).toMatchObject(HEALTHY_SERVERS);
    expect(Object.keys(servers)).toEqual([
      ...(NEWER.has(version) ? ["codex_tui"] : []),
      "openaiDeveloperDocs",
      "playwright",
    ]);
    expect(mcpVerboseComplete(screen, ["playwright", "openaiDeveloperDocs"])).toBe(true);
  });

  it("reads every broken server as down, with 0 tools", () => {
    const servers = parseMcpVerbose(release(version, "broken-mcp-verbose.screen.txt"));
    const broken = ["badtls", "exits", "hangs", "nocommand", "refused", "resets", "status404", "status500"];
    for (const name of broken) {
      // 0.139 shows no status: a server without tools stays unknown until its warning says why.
      expect(servers[name]).toMatchObject({
        status: version === "0.139.0" ? "unknown" : "failed",
        tools: 0,
        toolNames: [],
      });
    }
    expect(servers.playwright?.status).toBe("connected");
  });

  it("classifies each server's startup warning into its cause", () => {
    const failures = mcpFailures(brokenWarnings(version));
    const url = /^https?:\/\/127\.0\.0\.1:\d+\/mcp$/;
    expect(failures.hangs).toMatchObject({ cause: "startup-timeout", timeoutSec: 5 });
    expect(failures.nocommand).toMatchObject({
      cause: "command-not-found",
      detail: "No such file or directory",
    });
    expect(failures.exits).toMatchObject({ cause: "exited" });
    for (const name of ["refused", "resets", "badtls"]) {
      expect(failures[name]?.cause).toBe("unreachable");
      expect(failures[name]?.url).toMatch(url);
    }
    expect(failures.badtls?.url).toMatch(/^https:/);
    // 0.139 reports the body's missing content type; later releases the status.
    if (version === "0.139.0") {
      expect(failures.status404).toMatchObject({ cause: "not-mcp", httpStatus: null });
      expect(failures.status500).toMatchObject({ cause: "not-mcp", httpStatus: null });
    } else {
      expect(failures.status404).toMatchObject({ cause: "http-status", httpStatus: 404, detail: "HTTP 404" });
      expect(failures.status500).toMatchObject({ cause: "http-status", httpStatus: 500, detail: "HTTP 500" });
    }
    expect(Object.keys(failures).sort()).toEqual([
      "badtls",
      "exits",
      "hangs",
      "nocommand",
      "refused",
      "resets",
      "status404",
      "status500",
    ]);
  });

  it("offers the warnings where this release keeps them", () => {
    const screen = release(version, "broken-mcp-verbose.screen.txt");
    expect(warningsOffered(screen)).toBe(!HISTORY_WARNINGS.has(version));
    expect(historyWarnings(screen).some((w) => w.startsWith("MCP · hangs: "))).toBe(
      HISTORY_WARNINGS.has(version),
    );
  });

  it("renders its raw stream to the same facts, and carries OSC states only from 0.169", async () => {
    const raw = release(version, "healthy.raw.txt");
    const screen = await renderRaw(raw);
    expect(parseStatusPermissions(screen)).toBe(
      "Profile azi4a2-autonomous (workspace with network access, never)",
    );
    expect(parseMcpVerbose(screen)).toMatchObject(HEALTHY_SERVERS);
    const { states } = readOscStates(raw);
    if (NEWER.has(version)) expect(states.slice(0, 3)).toEqual(["idle", "working", "idle"]);
    else expect(states).toEqual([]);
  });
});

describe("MCP startup shown above the composer (0.139, 0.150)", () => {
  it.each(["0.139.0", "0.150.0"] as const)("%s", (version) => {
    expect(mcpStartupShown(release(version, "mcp-starting.screen.txt"))).toBe(true);
  });
});

describe("readOscStates", () => {
  it("reads a sequence split across chunks once", () => {
    const first = readOscStates("a\x1b]7501;state=idle:app=codex\x1b\\b\x1b]7501;sta");
    expect(first.states).toEqual(["idle"]);
    const second = readOscStates(`${first.rest}te=working:app=codex\x07`);
    expect(second.states).toEqual(["working"]);
    expect(readOscStates(second.rest).states).toEqual([]);
  });
});

describe("unbox", () => {
  it("strips a card's border and keeps other lines", () => {
    expect(unbox("│  Permissions:          Profile p (workspace, never) │")).toBe(
      "  Permissions:          Profile p (workspace, never)",
    );
    expect(unbox("  • Tools: a, b")).toBe("  • Tools: a, b");
  });
});

describe("classifyMcpWarning", () => {
  it.each([
    [
      "a stdio server that closed its pipe (0.169 lab capture)",
      "MCP client for `exits` failed to start: MCP startup failed: handshaking with MCP server failed: Send message error Transport [codex_rmcp_client::tool_list_changes::ToolListChanges<codex_rmcp_client::stdio_server_launcher::StdioServerTransport>] error: Broken pipe (os error 32), when send initialize request",
      { cause: "exited" },
    ],
    [
      "a command that cannot be executed",
      "MCP client for `x` failed to start: MCP startup failed: Permission denied (os error 13)",
      { cause: "spawn-failed", detail: "Permission denied" },
    ],
    [
      "HTTP 401",
      "MCP client for `x` failed to start: MCP startup failed: handshaking with MCP server failed: Send message error Transport [rmcp::transport::worker::WorkerTransport<X>] error: unexpected server response: HTTP 401: no, when send initialize request",
      { cause: "http-status", httpStatus: 401 },
    ],
    [
      "a URL split by the overlay's wrap",
      "MCP client for `x` failed to start: error sending request for url (http://127.0.0.1:46 407/mcp), when send initialize request",
      { cause: "unreachable", url: "http://127.0.0.1:46407/mcp" },
    ],
    [
      "something new: Codex's sentence without type names",
      "MCP client for `x` failed to start: MCP startup failed: a new [a::B<c::D>] error, when send initialize request: a new [a::B<c::D>] error, when send initialize request",
      { cause: "other", detail: "failed to start: MCP startup failed: a new error" },
    ],
  ])("%s", (_name, text, expected) => {
    expect(classifyMcpWarning(text)).toMatchObject(expected);
  });

  it("plainWarning drops Rust type names, wrapped ones too, and the repetition", () => {
    const text = parseWarnings(release("0.160.0", "broken-warnings.overlay.txt")).find((w) =>
      w.startsWith("MCP · refused: "),
    );
    const plain = plainWarning((text ?? "").split("\n")[0] ?? "");
    expect(plain).toMatch(
      /^MCP · refused: MCP client for `refused` failed to start: MCP startup failed: handshaking with MCP server failed: Send message error Transport error: Client error: HTTP request failed: http\/request failed: error sending request for url \(http:\/\/127\.0\.0\.1:\d+\/mcp\)$/,
    );
  });
});

describe("mcpBlockCount", () => {
  it("counts each /mcp verbose answer, so a second ask waits for a new block", () => {
    const block = (status: string) =>
      [
        "🔌  MCP Tools",
        "",
        `  • playwright: ${status} (2 tools)`,
        "    • Tools: browser_navigate, browser_snapshot",
        "    • Resource templates: (none)",
      ].join("\n");
    expect(mcpBlockCount("› /mcp verbose")).toBe(0);
    expect(mcpBlockCount(block("starting"))).toBe(1);
    const twice = `${block("starting")}\n\n› /mcp verbose\n\n${block("connected")}`;
    expect(mcpBlockCount(twice)).toBe(2);
    expect(parseMcpVerbose(twice).playwright?.status).toBe("connected");
  });
});
