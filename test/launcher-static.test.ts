import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseObservedArgv, readLauncherStatic } from "../src/gather/launcher-static.js";

const readmeLauncherPath = new URL("./fixtures/facts/launchers/codex-auto", import.meta.url);
const readmeLauncher = readFileSync(readmeLauncherPath, "utf8");
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("readLauncherStatic", () => {
  it("reads the README launcher: profile through the CODEX_PROFILE default, refusals not flagged", () => {
    const result = readLauncherStatic("codex-auto", readmeLauncher);
    expect(result.profile).toBe("azi4a2-autonomous");
    expect(result.findings).toEqual([]);
    expect(result.overrides.map((o) => o.key)).toEqual([
      "approval_policy",
      "mcp_servers.playwright.default_tools_approval_mode",
      "mcp_servers.playwright.tool_timeout_sec",
      "mcp_servers.openaiDeveloperDocs.default_tools_approval_mode",
      "mcp_servers.openaiDeveloperDocs.tool_timeout_sec",
    ]);
    expect(result.overrides[0]?.raw).toBe('approval_policy="never"');
  });

  it("reads `-p name` and unquoted -c values in a one-command launcher", () => {
    const text = readFileSync(
      new URL("./fixtures/facts/launchers/codex-auto-simple", import.meta.url),
      "utf8",
    );
    const result = readLauncherStatic("codex-auto", text);
    expect(result.profile).toBe("azi4a2-autonomous");
    expect(result.findings).toEqual([]);
    expect(result.overrides).toHaveLength(5);
    expect(result.overrides[0]).toMatchObject({
      key: "approval_policy",
      raw: "approval_policy=never",
      line: 5,
    });
  });

  it("flags `--sandbox workspace-write` appended to the exec line, at its line", () => {
    const text = readmeLauncher.replace(
      '--skip-git-repo-check "$@"',
      '--skip-git-repo-check --sandbox workspace-write "$@"',
    );
    const result = readLauncherStatic("codex-auto", text);
    expect(result.findings).toEqual([
      {
        line: lineOf(text, "--sandbox workspace-write"),
        flag: "--sandbox",
        text: expect.stringContaining("exec"),
      },
    ]);
  });

  it("flags --dangerously-bypass-approvals-and-sandbox and -c sandbox_mode inside an argument array", () => {
    const text = readmeLauncher
      .replace(
        '--profile "$PROFILE"\n',
        '--profile "$PROFILE"\n  --dangerously-bypass-approvals-and-sandbox\n',
      )
      .replace("overrides=(\n", "overrides=(\n  -c 'sandbox_mode=\"workspace-write\"'\n");
    const flags = readLauncherStatic("codex-auto", text).findings.map((f) => [f.flag, f.line]);
    expect(flags).toEqual([
      ["-c sandbox_mode", lineOf(text, "sandbox_mode=")],
      ["--dangerously-bypass-approvals-and-sandbox", lineOf(text, "  --dangerously-bypass")],
    ]);
  });

  it("flags TLS switches but not comments, messages, here-documents or unrelated -s/-p/-k", () => {
    const text = [
      "#!/bin/sh",
      "# never use --sandbox or --insecure here",
      "export NODE_TLS_REJECT_UNAUTHORIZED=0",
      'echo "do not pass --sandbox" >&2',
      "cat <<EOF",
      "usage: codex-auto [--sandbox is refused]",
      "EOF",
      'mkdir -p "$CODEX_HOME" && [ -s "$CODEX_HOME/auth.json" ] && sort -k 2 list 2>/dev/null',
      "curl -fsS -k https://example.test >/dev/null",
      'exec codex --profile=azi4a2-autonomous "$@"',
    ].join("\n");
    const result = readLauncherStatic("launcher", text);
    expect(result.profile).toBe("azi4a2-autonomous");
    expect(result.findings.map((f) => [f.flag, f.line])).toEqual([
      ["NODE_TLS_REJECT_UNAUTHORIZED=0", 3],
      ["-k", 9],
    ]);
  });

  it("returns no profile when the launcher passes none", () => {
    expect(readLauncherStatic("l", 'exec codex exec -c approval_policy=never "$@"\n').profile).toBeNull();
  });
});

describe("parseObservedArgv", () => {
  const appended = [
    "--disable",
    "unbounded_connection_retries",
    "-c",
    "model_provider=codex_smoke_mock",
    "-c",
    "model=mock-model",
  ];

  it("separates the launcher's arguments from the harness's", () => {
    const argv = [
      "exec",
      "--profile",
      "azi4a2-autonomous",
      "-c",
      'approval_policy="never"',
      "--skip-git-repo-check",
      ...appended,
      "run the runner",
    ];
    expect(parseObservedArgv(argv, appended)).toEqual({
      subcommand: "exec",
      profile: "azi4a2-autonomous",
      overrides: [{ key: "approval_policy", raw: 'approval_policy="never"' }],
      legacyFlags: [],
    });
  });

  it("reports legacy flags as passed", () => {
    const argv = [
      "-p",
      "x",
      "--sandbox=workspace-write",
      "-c",
      'sandbox_mode="read-only"',
      "--add-dir",
      "/a",
    ];
    const parsed = parseObservedArgv(argv);
    expect(parsed.subcommand).toBeNull();
    expect(parsed.profile).toBe("x");
    expect(parsed.legacyFlags).toEqual([
      "--sandbox workspace-write",
      '-c sandbox_mode="read-only"',
      "--add-dir /a",
    ]);
  });

  it("treats a first positional that is no subcommand as the TUI prompt", () => {
    expect(parseObservedArgv(["--profile", "p", "exec is a word here"]).subcommand).toBeNull();
    expect(parseObservedArgv(["--profile", "p", "mcp", "get", "playwright"]).subcommand).toBe("mcp");
  });
});
