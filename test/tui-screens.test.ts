// The screen parsers against screens captured from Codex 0.169.0 (rendered by @xterm/headless):
// alternate screen and --no-alt-screen, 200, 120 and 60 columns, healthy, failed and disabled servers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  mcpBlock,
  mcpVerboseComplete,
  parseMcpVerbose,
  parseStatusPermissions,
  parseWarnings,
  permissionsParenthesis,
  statusCard,
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
    });
    expect(servers.playwright).toEqual({
      status: "connected",
      tools: 2,
      toolNames: ["browser_navigate", "browser_snapshot"],
      auth: "Unsupported",
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
    });
    expect(servers.playwright).toEqual({ status: "failed", tools: 0, toolNames: [], auth: "Unsupported" });
    expect(servers.openaiDeveloperDocs).toEqual({
      status: "failed",
      tools: 0,
      toolNames: [],
      auth: "Unknown",
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
    expect(servers.playwright).toEqual({ status: "failed", tools: 0, toolNames: [], auth: "Unsupported" });
    expect(servers.codex_tui?.toolNames).toEqual(CODEX_TUI_TOOLS);
  });

  it("invents nothing when the heading scrolled off an alternate screen", () => {
    expect(parseMcpVerbose(capture("alt-60x30-mcp-verbose.screen.txt"))).toEqual({});
  });

  it("reads plain /mcp (no details) as statuses without tools or auth", () => {
    const servers = parseMcpVerbose(capture("alt-120x40-03-mcp.screen.txt"));
    expect(servers.playwright).toEqual({ status: "connected", tools: 2, toolNames: [], auth: null });
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
