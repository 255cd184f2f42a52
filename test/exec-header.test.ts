// parseExecHeader / refusalMessage on real `codex exec` stderr captured from Codex 0.169.0 (test/fixtures/exec).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseExecHeader, refusalMessage } from "../src/gather/exec-header.js";

const capture = (name: string) =>
  readFileSync(new URL(`./fixtures/exec/${name}.stderr.txt`, import.meta.url), "utf8");

const WORKDIR = "/home/alice/lab/proj";

describe("parseExecHeader", () => {
  it("reads the permission-profile header", () => {
    expect(parseExecHeader(capture("header-profile"))).toEqual({
      version: "0.169.0",
      workdir: WORKDIR,
      model: "mock-model",
      provider: "mock",
      approval: "never",
      sandbox: "workspace-write [workdir] (network access enabled)",
      "reasoning effort": "none",
      "reasoning summaries": "none",
      "session id": "01a212d1-fc0d-79b3-892c-069934412759",
    });
  });

  it("reads the legacy --sandbox workspace-write header", () => {
    const header = parseExecHeader(capture("header-legacy-sandbox-flag"));
    expect(header?.sandbox).toBe("workspace-write [workdir, /tmp, $TMPDIR]");
    expect(header?.approval).toBe("never");
    expect(header?.version).toBe("0.169.0");
  });

  it("reads danger-full-access with a tracing ERROR line before the header", () => {
    const stderr = capture("header-danger-full-access");
    expect(stderr.split("\n")[1]).toMatch(/ ERROR codex_skills_extension/);
    const header = parseExecHeader(stderr);
    expect(header?.sandbox).toBe("danger-full-access");
    expect(header?.workdir).toBe(WORKDIR);
  });

  it("skips WARNING and `Reading additional input from stdin...` lines before the header", () => {
    const stderr = capture("header-after-warnings");
    expect(stderr.startsWith("WARNING: proceeding")).toBe(true);
    expect(stderr).toContain("Reading additional input from stdin...\nOpenAI Codex v0.169.0\n");
    const header = parseExecHeader(stderr);
    expect(header?.sandbox).toBe("workspace-write [workdir] (network access enabled)");
    expect(Object.keys(header ?? {})).not.toContain("warning");
    expect(Object.keys(header ?? {})).not.toContain("user");
    // Lines after the closing rule (`user`, `hi`, warnings) are not part of the header.
    expect(Object.keys(header ?? {})).toHaveLength(9);
  });

  it("handles \\r\\n line endings", () => {
    const header = parseExecHeader(capture("header-profile").replaceAll("\n", "\r\n"));
    expect(header?.sandbox).toBe("workspace-write [workdir] (network access enabled)");
    expect(header?.workdir).toBe(WORKDIR);
    expect(header?.["session id"]).toBe("01a212d1-fc0d-79b3-892c-069934412759");
  });

  it("returns null when Codex refused to start (no header)", () => {
    expect(parseExecHeader(capture("refusal-invalid-transport"))).toBeNull();
    expect(parseExecHeader(capture("refusal-toml-parse"))).toBeNull();
    expect(parseExecHeader(capture("refusal-backtrace"))).toBeNull();
    expect(parseExecHeader("")).toBeNull();
  });

  it("ignores a `--------` rule not preceded by the version line", () => {
    expect(parseExecHeader("--------\nsandbox: danger-full-access\n--------\n")).toBeNull();
  });
});

describe("refusalMessage", () => {
  it("gives the invalid-transport error with the server it names", () => {
    expect(refusalMessage(capture("refusal-invalid-transport"))).toBe(
      "Error loading config.toml: invalid transport in `mcp_servers.playwright`",
    );
  });

  it("keeps the TOML parse error's file:line:col and snippet", () => {
    const message = refusalMessage(capture("refusal-toml-parse"));
    expect(message).toMatch(
      /^Error loading config\.toml: \/home\/alice\/lab\/home\/\.codex\/broken\.config\.toml:2:25: unclosed table, expected `\]`/,
    );
    expect(message).toContain("2 | [sandbox_workspace_write");
    expect(message?.endsWith("^")).toBe(true);
  });

  it("drops the RUST_BACKTRACE=1 `Stack backtrace:` block", () => {
    const stderr = capture("refusal-backtrace");
    expect(stderr).toContain("Stack backtrace:\n   0: <unknown>");
    expect(refusalMessage(stderr)).toBe("Error: default_permissions requires a `[permissions]` table");
  });

  it("handles \\r\\n line endings", () => {
    expect(refusalMessage(capture("refusal-invalid-transport").replaceAll("\n", "\r\n"))).toBe(
      "Error loading config.toml: invalid transport in `mcp_servers.playwright`",
    );
  });

  it("returns null without an Error line (ERROR: log lines of a started run are not refusals)", () => {
    const stderr = capture("header-profile");
    expect(stderr).toContain("ERROR: Connection failed");
    expect(refusalMessage(stderr)).toBeNull();
    expect(refusalMessage(capture("header-danger-full-access"))).toBeNull();
    expect(refusalMessage("")).toBeNull();
  });
});

describe("refusalMessage on an argument error", () => {
  it("quotes the argument parser's `error:` line, not its help hint", () => {
    const stderr =
      "error: unexpected argument '--full-auto' found\n\nUsage: codex exec [OPTIONS] [PROMPT]\n\nFor more information, try '--help'.\n";
    expect(refusalMessage(stderr)).toMatch(/^error: unexpected argument '--full-auto' found/);
  });
});

describe("parseExecHeader on written-out headers", () => {
  it("reads key: value lines, with or without a space after the colon, and skips other lines", () => {
    const stderr = [
      "OpenAI Codex v0.171.0",
      "-------- ",
      "workdir: /p",
      "approval:never",
      "  indented: not a field",
      "WARNING: not a field either",
      "reasoning effort: none",
      "--------  ",
      "model: after the rule",
    ].join("\r\n");
    expect(parseExecHeader(stderr)).toEqual({
      version: "0.171.0",
      workdir: "/p",
      approval: "never",
      "reasoning effort": "none",
    });
  });

  it("a version line without a version still starts the header", () => {
    expect(parseExecHeader("OpenAI Codex v\n--------\nsandbox: read-only\n--------\n")).toEqual({
      sandbox: "read-only",
    });
  });

  it("needs the version line itself, not a line that mentions it", () => {
    expect(
      parseExecHeader("log: OpenAI Codex v0.169.0 started\n--------\nsandbox: x\n--------\n"),
    ).toBeNull();
  });

  it("a header whose closing rule never came keeps what it read", () => {
    expect(parseExecHeader("OpenAI Codex v0.169.0\n--------\nsandbox: read-only\n")).toEqual({
      version: "0.169.0",
      sandbox: "read-only",
    });
  });
});

describe("refusalMessage on written-out errors", () => {
  it("joins up to six lines, blank lines skipped, and stops at a backtrace frame", () => {
    expect(refusalMessage("noise\nError: one\n\n  two\nthree\n  12: 0x55d0c0ffee - codex::main\nfour")).toBe(
      "Error: one two three",
    );
    expect(refusalMessage("Error: 1\n2\n3\n4\n5\n6\n7\n8")).toBe("Error: 1 2 3 4 5 6");
    expect(refusalMessage("Error: x\nLocation: src/main.rs:1\nmore")).toBe("Error: x");
    expect(refusalMessage("Error: x\n3: 0xff\nmore")).toBe("Error: x");
  });

  it("only a line that starts with the error counts", () => {
    expect(refusalMessage("see Error: x\n  error: y")).toBeNull();
  });
});
