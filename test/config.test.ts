import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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

// Codex's config loader decides a project's trust by the project's own `[projects."<dir>"]` entry, then its project
// root's (the nearest folder up with a `.git`, or a `project_root_markers` entry), then its main checkout's.
describe("the folders whose trust entry decides for the project", () => {
  const at = (...parts: string[]) => join(root, ...parts);
  const trustRoots = (projectDir: string, markers?: string[]) => {
    if (markers)
      writeFileSync(join(codexHome, "config.toml"), `project_root_markers = ${JSON.stringify(markers)}\n`);
    return readConfigLayers({
      codexHome,
      home: codexHome,
      profileName: "p",
      project: projectDir,
      launcherOverrides: [],
    }).trustRoots;
  };

  it("outside a repository: no folder of its own tree (a folder above counts for nothing)", () => {
    // Whatever the machine has above the temp folder (a stray /tmp/.git makes /tmp a repository) is the same for both.
    const above = trustRoots(root);
    expect(above.some((dir) => dir.startsWith(root))).toBe(false);
    expect(trustRoots(project)).toEqual(above);
  });

  it("in a repository: its top folder; the project that is the top folder itself has none besides its own", () => {
    mkdirSync(at("repo", ".git"), { recursive: true });
    mkdirSync(at("repo", "sub", "project"), { recursive: true });
    expect(trustRoots(at("repo", "sub", "project"))).toEqual([at("repo")]);
    expect(trustRoots(at("repo"))).toEqual([]);
  });

  it("in a linked worktree: the worktree's top folder, then the main checkout its .git file points to", () => {
    mkdirSync(at("main", ".git", "worktrees", "wt"), { recursive: true });
    mkdirSync(at("wt", "project"), { recursive: true });
    writeFileSync(at("wt", ".git"), "gitdir: ../main/.git/worktrees/wt\n");
    expect(trustRoots(at("wt", "project"))).toEqual([at("wt"), at("main")]);
    expect(trustRoots(at("wt"))).toEqual([at("main")]);
  });

  it("a .git file that points outside a worktrees folder, or at nothing, names no main checkout", () => {
    mkdirSync(at("odd", "project"), { recursive: true });
    writeFileSync(at("odd", ".git"), `gitdir: ${at("elsewhere", "git")}\n`);
    expect(trustRoots(at("odd", "project"))).toEqual([at("odd")]);
    writeFileSync(at("odd", ".git"), "gitdir:   \n");
    expect(trustRoots(at("odd", "project"))).toEqual([at("odd")]);
    writeFileSync(at("odd", ".git"), `${at("main", ".git", "worktrees", "wt")}\n`);
    expect(trustRoots(at("odd", "project"))).toEqual([at("odd")]);
  });

  it("a .git file is read trimmed, up to 4096 bytes; a .git that is no regular file, or does not read, is no worktree", () => {
    mkdirSync(at("main", ".git", "worktrees", "wt"), { recursive: true });
    mkdirSync(at("wt", "project"), { recursive: true });
    const pointer = "gitdir: ../main/.git/worktrees/wt";
    writeFileSync(at("wt", ".git"), `\n  ${pointer}\n`);
    expect(trustRoots(at("wt", "project"))).toEqual([at("wt"), at("main")]);
    writeFileSync(at("wt", ".git"), pointer.padEnd(4096, " "));
    expect(trustRoots(at("wt", "project"))).toEqual([at("wt"), at("main")]);
    writeFileSync(at("wt", ".git"), pointer.padEnd(4097, " "));
    expect(trustRoots(at("wt", "project"))).toEqual([at("wt")]);
    // The agent may leave a FIFO there: opening it would wait for a writer forever.
    rmSync(at("wt", ".git"));
    execFileSync("mkfifo", [at("wt", ".git")]);
    expect(trustRoots(at("wt", "project"))).toEqual([at("wt")]);
    // A regular file whose read fails (EIO).
    rmSync(at("wt", ".git"));
    symlinkSync("/proc/self/mem", at("wt", ".git"));
    expect(trustRoots(at("wt", "project"))).toEqual([at("wt")]);
  });

  it("an empty gitdir in a checkout whose parent happens to be called worktrees names no main checkout", () => {
    mkdirSync(at("worktrees", "checkout"), { recursive: true });
    writeFileSync(at("worktrees", "checkout", ".git"), "gitdir:\n");
    expect(trustRoots(at("worktrees", "checkout"))).toEqual([]);
  });

  it("a project with no .git and no marker anywhere up to /: no folder but its own", () => {
    expect(
      readConfigLayers({
        codexHome,
        home: codexHome,
        profileName: "p",
        project: "/codex-smoke-no-such-folder/project",
        launcherOverrides: [],
      }).trustRoots,
    ).toEqual([]);
  });

  it("project_root_markers moves the project root; an empty list turns the search off, the main checkout stays", () => {
    mkdirSync(at("repo", ".git"), { recursive: true });
    mkdirSync(at("repo", "pkg", "project"), { recursive: true });
    writeFileSync(at("repo", "pkg", "package.json"), "{}");
    expect(trustRoots(at("repo", "pkg", "project"), ["package.json"])).toEqual([
      at("repo", "pkg"),
      at("repo"),
    ]);
    expect(trustRoots(at("repo", "pkg", "project"), [])).toEqual([at("repo")]);
    // Any marker found is enough; a marker found nowhere up to / leaves the project its own root.
    expect(trustRoots(at("repo", "pkg", "project"), ["package.json", ".git"])).toEqual([
      at("repo", "pkg"),
      at("repo"),
    ]);
    expect(trustRoots(at("repo", "pkg", "project"), ["codex-smoke-no-such-marker"])).toEqual([at("repo")]);
    // A list Codex would refuse is not read as markers: .git stays the marker.
    writeFileSync(join(codexHome, "config.toml"), 'project_root_markers = ["package.json", 1]\n');
    expect(trustRoots(at("repo", "pkg", "project"))).toEqual([at("repo")]);
  });
});
