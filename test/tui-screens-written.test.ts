// The screen readers (src/gather/tui-screens.ts) on small written-out screens, one rule at a time; the captured
// screens of every release are in tui-screens.test.ts.
import { describe, expect, it } from "vitest";
import {
  classifyMcpWarning,
  composerText,
  historyWarnings,
  mcpBlock,
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
  warningsPage,
} from "../src/gather/tui-screens.js";

const screen = (...rows: string[]) => rows.join("\n");

describe("unbox and the composer", () => {
  it("strips a card's border, keeps the indent, leaves other lines", () => {
    expect(unbox("  │ Permissions: x │  ")).toBe("   Permissions: x");
    expect(unbox("│a│")).toBe("a");
    expect(unbox("x │ a │")).toBe("x │ a │");
    expect(unbox("  │ a │ b")).toBe("  │ a │ b");
  });

  it("reads the last composer line, CR line ends included", () => {
    expect(
      composerText(screen("› first", "› second text  ", "  ? for shortcuts").replaceAll("\n", "\r\n")),
    ).toBe("second text");
    expect(composerText("› only")).toBe("only");
    expect(composerText("no composer\n›x")).toBeNull();
  });

  it("is configured once a session line is under the composer", () => {
    expect(sessionConfigured(screen("› ", "  mock-model · /p"))).toBe(true);
    expect(sessionConfigured(screen("a · b", "› ", "  ? for shortcuts"))).toBe(false);
    expect(sessionConfigured("a · b")).toBe(false);
    expect(sessionConfigured(screen("› ", "  mock-model · /p", "› "))).toBe(false);
  });

  it("shows MCP startup only in the four lines above the composer", () => {
    const starting = "• Starting MCP servers (1/2): playwright";
    expect(mcpStartupShown(screen(starting, "", "› "))).toBe(true);
    expect(mcpStartupShown(screen("•   Booting MCP server: docs", "› "))).toBe(true);
    expect(mcpStartupShown(screen(starting, "1", "2", "3", "4", "› "))).toBe(false);
    expect(mcpStartupShown(screen("› ", starting))).toBe(false);
    expect(mcpStartupShown(starting)).toBe(true);
    expect(mcpStartupShown(screen("  • Starting MCP servers", "› "))).toBe(false);
    expect(mcpStartupShown(screen("•Starting MCP servers", "› "))).toBe(false);
  });
});

describe("readOscStates", () => {
  it("reads each state, ended by BEL or ST, and keeps at most the last 64 characters unread", () => {
    const text = "a\x1b]7501;state=working;x\x07b\x1b]7501;state=idle\x1b\\tail";
    expect(readOscStates(text)).toEqual({ states: ["working", "idle"], rest: "tail" });
    const long = `${"x".repeat(100)}\x1b]7501;state=do`;
    expect(readOscStates(long)).toEqual({ states: [], rest: long.slice(-64) });
  });
});

describe("/status", () => {
  const card = screen(
    "old",
    "  >_ OpenAI Codex (v0.169.0)",
    "  Model:        mock",
    "  Permissions:  Profile p (workspace with",
    "                network access, never)",
    "  Agents.md:    <none>",
    "  Limits:       none",
    "after",
  );

  it("joins a wrapped Permissions value up to the next field", () => {
    expect(parseStatusPermissions(card)).toBe("Profile p (workspace with network access, never)");
    expect(parseStatusPermissions(screen("Permissions:  Full Access", "", "x"))).toBe("Full Access");
    expect(parseStatusPermissions(screen("  Permissions:  a", "  Account x: b"))).toBe("a");
    expect(parseStatusPermissions("Permissions:   ")).toBeNull();
    expect(parseStatusPermissions("Permissions:x")).toBeNull();
    expect(parseStatusPermissions("  My Permissions: x")).toBeNull();
    expect(parseStatusPermissions(screen("Permissions: a", "Permissions: b"))).toBe("b");
  });

  it("cuts the card from its heading to Limits", () => {
    expect(statusCard(card)).toBe(
      screen(
        "  >_ OpenAI Codex (v0.169.0)",
        "  Model:        mock",
        "  Permissions:  Profile p (workspace with",
        "                network access, never)",
        "  Agents.md:    <none>",
        "  Limits:       none",
      ),
    );
    expect(statusCard(screen("Permissions: a", "b"))).toBe(screen("Permissions: a", "b"));
    expect(statusCard(screen("x", "  Permissions: a  ", "y Limits: no", "  Limits: z", "w"))).toBe(
      screen("x", "  Permissions: a", "y Limits: no", "  Limits: z"),
    );
    expect(statusCard("no card")).toBeNull();
  });

  it.each([
    ["Profile p (workspace with network access, never)", "workspace with network access", "never"],
    ["Workspace (Ask for approval)  ", "Workspace", "Ask for approval"],
    ["Profile (a, b) (c , d )", "c", "d"],
    ["Full Access", "Full Access", ""],
  ])("splits %j", (value, access, approval) => {
    expect(permissionsParenthesis(value)).toEqual({ access, approval });
  });
});

describe("/mcp verbose", () => {
  const block = screen(
    "🔌  MCP Tools",
    "",
    "  • docs: connected (1 tool)",
    "    • Auth: Bearer token ",
    "    • Tools: fetch_doc,",
    "search_docs",
    "    • Resource templates: (none)",
    "",
    "  • play:  failed  (0 tools)",
    "    • Tools: (none)",
    "    • Resource templates: (none)",
    "  • old",
    "    • Tools: a, b,",
    "      c",
    "",
    "    • Resource templates: (none)",
    "  • empty",
    "    • Tools:",
    "some other text",
    "  • after: connected (9 tools)",
  );

  it("reads servers, statuses, tools (wrapped too), auth; 0.139's bare names by their tools", () => {
    expect(parseMcpVerbose(block)).toEqual({
      docs: {
        status: "connected",
        tools: 1,
        toolNames: ["fetch_doc", "search_docs"],
        auth: "Bearer token",
        failure: null,
      },
      play: { status: "failed", tools: 0, toolNames: [], auth: null, failure: null },
      old: { status: "connected", tools: 3, toolNames: ["a", "b", "c"], auth: null, failure: null },
      empty: { status: "unknown", tools: 0, toolNames: [], auth: null, failure: null },
    });
    expect(parseMcpVerbose("no block")).toEqual({});
  });

  it("ends the block at the first line that is not part of it", () => {
    expect(mcpBlock(block)?.split("\n").at(-1)).toBe("    • Tools:");
    expect(mcpBlock("MCP Tools")).toBe("MCP Tools");
    expect(mcpBlock(screen("MCP Tools", "   three spaces"))).toBe("MCP Tools");
    expect(mcpBlock(screen("MCP Tools", "    four spaces"))).toBe(screen("MCP Tools", "    four spaces"));
    expect(mcpBlock(screen("x MCP Tools list", "  • a"))).toBeNull();
    expect(mcpBlock(screen("MCP Tools", "  • a", "MCP Tools  ", "  • b"))).toBe(
      screen("MCP Tools  ", "  • b"),
    );
  });

  it("is complete when every expected server is there with its last detail", () => {
    expect(mcpVerboseComplete(block, ["docs", "play"])).toBe(false);
    const full = screen("MCP Tools", "  • a: connected (1 tools)", "    • Resource templates: (none)");
    expect(mcpVerboseComplete(full, ["a"])).toBe(true);
    expect(mcpVerboseComplete(full, ["a", "b"])).toBe(false);
    expect(mcpVerboseComplete(full, [])).toBe(true);
    expect(mcpVerboseComplete(screen("MCP Tools", "  • a: connected (1 tools)"), ["a"])).toBe(false);
    expect(mcpVerboseComplete(screen("MCP Tools", ""), [])).toBe(false);
    expect(mcpVerboseComplete("nothing", [])).toBe(false);
  });
});

describe("warnings", () => {
  it("reads the overlay's pages: topic, paragraphs, the page counter", () => {
    const overlay = screen(
      "  Warnings · 1 of 12 · MCP · docs  ",
      "",
      "  MCP client for `docs` failed:",
      "  refused",
      "",
      "",
      "  second paragraph",
      "  k keep & next   esc dismiss",
      "ignored",
      "Warnings · 12 of 12 · Startup",
      "  other",
      "   esc dismiss",
    );
    expect(parseWarnings(overlay)).toEqual([
      "MCP · docs: MCP client for `docs` failed: refused\nsecond paragraph",
      "Startup: other",
    ]);
    expect(warningsPage(overlay)).toEqual({ index: 12, count: 12 });
    expect(warningsPage("x Warnings · 1 of 2")).toBeNull();
  });

  it("reads history warnings with their topic", () => {
    const history = screen(
      "⚠ MCP client for `docs` timed out after 30 seconds.",
      "  Increase startup_timeout_sec.",
      "   three spaces ends it",
      "⚠ MCP startup incomplete",
      "⚠ Something else  ",
      "x ⚠ not a warning",
    );
    expect(historyWarnings(history)).toEqual([
      "MCP · docs: MCP client for `docs` timed out after 30 seconds. Increase startup_timeout_sec.",
      "MCP: MCP startup incomplete",
      "Startup: Something else",
    ]);
  });

  it("drops Rust type names, runs of spaces and the repeated chain", () => {
    expect(plainWarning("a [rmcp::Error<x, y>]  b\n c, when send initialize request: a b c")).toBe("a b c");
    expect(plainWarning("a[x::y] b")).toBe("a b");
  });

  it.each([
    ["MCP client for `p` timed out after 5 second.", { cause: "startup-timeout", detail: "", timeoutSec: 5 }],
    ["timed out after 120 seconds", { cause: "startup-timeout", detail: "", timeoutSec: 120 }],
    [
      "error sending request for url (http://127.0.0.1:9/ mcp)",
      { cause: "unreachable", detail: "", url: "http://127.0.0.1:9/mcp" },
    ],
    ["connection closed: initialize response", { cause: "exited", detail: "" }],
    [
      "MCP startup failed: No such file or directory (os error 2)",
      { cause: "command-not-found", detail: "No such file or directory" },
    ],
    [
      "MCP startup failed: Permission denied (os error 13)",
      { cause: "spawn-failed", detail: "Permission denied" },
    ],
    [
      "MCP startup failed: x (os error 13) later",
      { cause: "other", detail: "MCP startup failed: x (os error 13) later" },
    ],
    [
      "Unexpected content type text/html",
      { cause: "not-mcp", detail: "the answer has no MCP (JSON or event-stream) content type" },
    ],
    ["MCP client for `p` failed to start: boom", { cause: "other", detail: "failed to start: boom" }],
    ["x MCP client for `p` boom", { cause: "other", detail: "x MCP client for `p` boom" }],
    ["y".repeat(200), { cause: "other", detail: "y".repeat(200) }],
    ["z".repeat(201), { cause: "other", detail: `${"z".repeat(199)}…` }],
  ])("classifies %j", (text, failure) => {
    expect(classifyMcpWarning(text)).toEqual({ url: null, timeoutSec: null, httpStatus: null, ...failure });
  });

  it("takes each server's first warning", () => {
    expect(
      mcpFailures([
        "MCP · docs: MCP client for `docs` timed out after 5 seconds",
        "MCP · docs: MCP client for `docs` connection closed: initialize response",
        "x MCP · play: MCP client for `play` timed out after 5 seconds",
        "Startup: other",
      ]),
    ).toEqual({
      docs: { cause: "startup-timeout", detail: "", url: null, timeoutSec: 5, httpStatus: null },
    });
  });
});
