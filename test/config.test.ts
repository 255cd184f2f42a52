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
  readConfigLayers({ codexHome, profileName: "azi4a2-autonomous", project, launcherOverrides });

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
    expect(facts.base.parseError).toMatchObject({ line: 2, column: expect.any(Number) });
    expect(facts.base.parseError?.message).not.toContain("\n");
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
