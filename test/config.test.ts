import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mergeConfig, parseOverride, readConfigLayers } from "../src/gather/config.js";
import { effectiveConfig, LAUNCHER_OVERRIDES, profileData } from "./fixtures/facts/healthy.js";

let root: string;
let codexHome: string;
let project: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "codex-smoke-config-"));
  codexHome = join(root, "codex-home");
  project = join(root, "project");
  mkdirSync(codexHome);
  mkdirSync(join(project, ".codex"), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const read = (launcherOverrides: string[] = []) =>
  readConfigLayers({
    codexHome,
    home: codexHome,
    profileName: "azi4a2-autonomous",
    project,
    launcherOverrides,
  });

describe("readConfigLayers", () => {
  it("reads base < profile < launcher -c, tables merged key by key", () => {
    writeFileSync(
      join(codexHome, "config.toml"),
      'approval_policy = "on-request"\n[analytics]\nenabled = false\n',
    );
    writeFileSync(
      join(codexHome, "azi4a2-autonomous.config.toml"),
      [
        'approval_policy = "on-request"',
        "[mcp_servers.playwright]",
        'command = "npx"',
        "tool_timeout_sec = 60",
        '[permissions.p.filesystem.":workspace_roots"]',
        '"." = "write"',
      ].join("\n"),
    );
    const facts = read([
      'approval_policy="never"',
      "mcp_servers.playwright.tool_timeout_sec=300",
      "mcp_servers.playwright.default_tools_approval_mode=approve",
      'permissions.p.filesystem={":workspace_roots"={".codex"="read"}}',
    ]);
    expect(facts.base.exists).toBe(true);
    expect(facts.profile.data?.approval_policy).toBe("on-request");
    expect(facts.projectOverride).toEqual({
      path: join(project, ".codex", "config.toml"),
      role: "project",
      exists: false,
    });
    expect(facts.launcherOverrides[0]).toEqual({
      key: "approval_policy",
      value: "never",
      raw: 'approval_policy="never"',
    });
    expect(facts.effective).toEqual({
      approval_policy: "never",
      analytics: { enabled: false },
      mcp_servers: {
        playwright: { command: "npx", tool_timeout_sec: 300, default_tools_approval_mode: "approve" },
      },
      permissions: { p: { filesystem: { ":workspace_roots": { ".": "write", ".codex": "read" } } } },
    });
  });

  it("reports a missing profile file and a parse error with line and column", () => {
    writeFileSync(
      join(codexHome, "config.toml"),
      'model = "x"\n[sandbox_workspace_write\nnetwork_access = true\n',
    );
    const facts = read();
    expect(facts.profile.exists).toBe(false);
    expect(facts.base.exists).toBe(true);
    expect(facts.base.data).toBeUndefined();
    expect(facts.base).toEqual({
      path: join(codexHome, "config.toml"),
      role: "base",
      exists: true,
      parseError: { line: 2, column: 25, message: "illegal character in key" },
    });
    expect(facts.profile).toEqual({
      path: join(codexHome, "azi4a2-autonomous.config.toml"),
      role: "profile",
      exists: false,
    });
    expect(facts.effective).toEqual({});
  });

  it("reads the project's .codex/config.toml as its own layer, outside the effective config", () => {
    writeFileSync(join(project, ".codex", "config.toml"), 'sandbox_mode = "danger-full-access"\n');
    const facts = read();
    expect(facts.projectOverride.data).toEqual({ sandbox_mode: "danger-full-access" });
    expect(facts.effective).toEqual({});
  });
});

describe("-c overrides", () => {
  it("a key without a value is true; a value that is not TOML is its trimmed text", () => {
    expect(parseOverride(" hide_agent_reasoning ")).toEqual({
      key: "hide_agent_reasoning",
      value: true,
      raw: " hide_agent_reasoning ",
    });
    expect(parseOverride("approval_policy= never ")).toEqual({
      key: "approval_policy",
      value: "never",
      raw: "approval_policy= never ",
    });
    expect(parseOverride("=x")).toEqual({ key: "", value: "x", raw: "=x" });
  });

  it("a table value merges into a table, replaces anything else, and creates what is missing", () => {
    const layer = { a: { b: 1, c: 2 }, s: "text" };
    const effective = mergeConfig(
      [layer],
      [
        { key: "a", value: { c: 3 } },
        { key: "s", value: { t: 1 } },
        { key: "n.m", value: { o: true } },
      ],
    );
    expect(effective).toEqual({ a: { b: 1, c: 3 }, s: { t: 1 }, n: { m: { o: true } } });
    expect(layer).toEqual({ a: { b: 1, c: 2 }, s: "text" });
  });

  it("copies tables and arrays out of the layers, and keeps dates as they are", () => {
    const when = new Date("2026-01-02T03:04:05Z");
    const layer = { t: { list: [1, { x: 1 }] }, when };
    const effective = mergeConfig([layer], []);
    expect(effective).toEqual(layer);
    expect(effective.when).toBe(when);
    const table = effective.t as { list: unknown[] };
    expect(table).not.toBe(layer.t);
    expect(table.list).not.toBe(layer.t.list);
    expect(table.list[1]).not.toBe(layer.t.list[1]);
  });

  it("parses TOML values and falls back to the literal string", () => {
    expect(parseOverride("tool_timeout_sec=300").value).toBe(300);
    expect(parseOverride("approval_policy=never").value).toBe("never");
    expect(parseOverride('web_search = "live"')).toEqual({
      key: "web_search",
      value: "live",
      raw: 'web_search = "live"',
    });
  });

  it("keeps quotes in dotted keys, as Codex does", () => {
    const effective = mergeConfig([], [parseOverride('permissions.p.filesystem."/a/b"="read"')]);
    expect(effective).toEqual({ permissions: { p: { filesystem: { '"/a/b"': "read" } } } });
  });
});

describe("mergeConfig on the healthy setup's layers", () => {
  it("gives the effective config the check fixtures write out", () => {
    const base = { analytics: { enabled: false }, features: { plugins: false } };
    const effective = mergeConfig([base, profileData()], LAUNCHER_OVERRIDES.map(parseOverride));
    expect(effective).toEqual(effectiveConfig());
  });
});
