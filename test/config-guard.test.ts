import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { guardConfig, sha256 } from "../src/gather/config-guard.js";

let home: string;
const CONFIG = 'model = "gpt-5.1-codex"\n# comment kept byte for byte\n';
const PROFILE = 'approval_policy = "never"\ndefault_permissions = "azi4a2-autonomous"\n';

beforeEach(() => {
  const root = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(root, { recursive: true });
  home = mkdtempSync(join(root, "test-guard-"));
  writeFileSync(join(home, "config.toml"), CONFIG);
  writeFileSync(join(home, "azi4a2-autonomous.config.toml"), PROFILE);
  chmodSync(join(home, "azi4a2-autonomous.config.toml"), 0o644);
  writeFileSync(join(home, "auth.json"), '{"OPENAI_API_KEY":"x"}');
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const mode = (name: string) => statSync(join(home, name)).mode & 0o7777;

describe("guardConfig", () => {
  it("returns [] and changes nothing when nothing changed", () => {
    const before = sha256(join(home, "config.toml"));
    const guard = guardConfig(home);
    expect(guard.restore()).toEqual([]);
    expect(sha256(join(home, "config.toml"))).toBe(before);
    expect(mode("azi4a2-autonomous.config.toml")).toBe(0o644);
  });

  it("restores changed bytes and mode (the TUI's trust write, chmod 600)", () => {
    const guard = guardConfig(home);
    const profile = join(home, "azi4a2-autonomous.config.toml");
    writeFileSync(profile, `${PROFILE}\n[projects."/home/alice/work/proj"]\ntrust_level = "trusted"\n`);
    chmodSync(profile, 0o600);
    expect(guard.restore()).toEqual([
      "restored azi4a2-autonomous.config.toml (Codex wrote to it during the audit)",
    ]);
    expect(readFileSync(profile, "utf8")).toBe(PROFILE);
    expect(mode("azi4a2-autonomous.config.toml")).toBe(0o644);
    expect(readFileSync(join(home, "config.toml"), "utf8")).toBe(CONFIG);
  });

  it("restores a mode-only change", () => {
    chmodSync(join(home, "config.toml"), 0o640);
    const guard = guardConfig(home);
    chmodSync(join(home, "config.toml"), 0o600);
    guard.restore();
    expect(mode("config.toml")).toBe(0o640);
    expect(readFileSync(join(home, "config.toml"), "utf8")).toBe(CONFIG);
  });

  it("recreates a deleted config file", () => {
    const guard = guardConfig(home);
    rmSync(join(home, "config.toml"));
    expect(guard.restore()).toEqual(["restored config.toml (Codex wrote to it during the audit)"]);
    expect(readFileSync(join(home, "config.toml"), "utf8")).toBe(CONFIG);
  });

  it("removes new *.toml files (e.g. `-p <unknown>`) and leaves non-TOML files alone", () => {
    const guard = guardConfig(home);
    writeFileSync(join(home, "typo-profile.config.toml"), "");
    writeFileSync(join(home, "auth.json"), '{"OPENAI_API_KEY":"changed"}');
    writeFileSync(join(home, "installation_id"), "abc");
    mkdirSync(join(home, "sessions"));
    expect(guard.restore()).toEqual(["removed typo-profile.config.toml (created by Codex during the audit)"]);
    expect(existsSync(join(home, "typo-profile.config.toml"))).toBe(false);
    expect(readFileSync(join(home, "auth.json"), "utf8")).toBe('{"OPENAI_API_KEY":"changed"}');
    expect(readFileSync(join(home, "installation_id"), "utf8")).toBe("abc");
    expect(existsSync(join(home, "sessions"))).toBe(true);
  });

  it("reports both a removal and a restore in one call, then nothing on a second call", () => {
    const guard = guardConfig(home);
    writeFileSync(join(home, "new.toml"), "x = 1\n");
    writeFileSync(join(home, "config.toml"), "broken = [\n");
    expect(guard.restore().sort()).toEqual([
      "removed new.toml (created by Codex during the audit)",
      "restored config.toml (Codex wrote to it during the audit)",
    ]);
    expect(guard.restore()).toEqual([]);
  });

  it("guards a missing CODEX_HOME without throwing", () => {
    const guard = guardConfig(join(home, "does-not-exist"));
    expect(guard.restore()).toEqual([]);
  });
});

describe("guardConfig with the project's .codex/config.toml", () => {
  it("restores an existing project config and removes one that appeared", () => {
    const project = join(home, "proj");
    mkdirSync(join(project, ".codex"), { recursive: true });
    const existing = join(project, ".codex", "config.toml");
    writeFileSync(existing, 'model = "x"\n');
    const guard = guardConfig(home, project);
    writeFileSync(existing, 'sandbox_mode = "danger-full-access"\n');
    expect(guard.restore()).toEqual([`restored ${existing} (Codex wrote to it during the audit)`]);
    expect(readFileSync(existing, "utf8")).toBe('model = "x"\n');

    rmSync(existing);
    const absent = guardConfig(home, project);
    writeFileSync(existing, 'sandbox_mode = "danger-full-access"\n');
    expect(absent.restore()).toEqual([`removed ${existing} (created by Codex during the audit)`]);
    expect(existsSync(existing)).toBe(false);
  });
});

describe("guardConfig never follows a symlink (decisions §27)", () => {
  const victim = () => {
    const path = join(home, "bashrc");
    writeFileSync(path, "# the user's shell rc\n");
    return path;
  };

  it("the project's config replaced by a symlink to a host file: the link is replaced, the file it names stays", () => {
    const project = join(home, "proj");
    mkdirSync(join(project, ".codex"), { recursive: true });
    const config = join(project, ".codex", "config.toml");
    writeFileSync(config, 'model = "x"\n');
    const target = victim();
    const guard = guardConfig(home, project);
    rmSync(config);
    symlinkSync(target, config);
    expect(guard.restore()).toEqual([`restored ${config} (Codex wrote to it during the audit)`]);
    expect(readFileSync(target, "utf8")).toBe("# the user's shell rc\n");
    expect(lstatSync(config).isFile()).toBe(true);
    expect(readFileSync(config, "utf8")).toBe('model = "x"\n');
  });

  it("a symlink that appeared at the project's config is removed itself, never what it names", () => {
    const project = join(home, "proj");
    mkdirSync(join(project, ".codex"), { recursive: true });
    const config = join(project, ".codex", "config.toml");
    const target = victim();
    const guard = guardConfig(home, project);
    symlinkSync(target, config);
    expect(guard.restore()).toEqual([`removed ${config} (created by Codex during the audit)`]);
    expect(existsSync(config)).toBe(false);
    expect(readFileSync(target, "utf8")).toBe("# the user's shell rc\n");
  });

  it("the project's .codex swapped for a symlink to a host folder: nothing is written there, and it says so", () => {
    const project = join(home, "proj");
    mkdirSync(join(project, ".codex"), { recursive: true });
    const config = join(project, ".codex", "config.toml");
    writeFileSync(config, 'model = "x"\n');
    const guard = guardConfig(home, project);
    const hostFolder = join(home, "host-folder");
    mkdirSync(hostFolder);
    writeFileSync(join(hostFolder, "config.toml"), "host bytes\n");
    rmSync(join(project, ".codex"), { recursive: true });
    symlinkSync(hostFolder, join(project, ".codex"));
    expect(guard.restore()).toEqual([
      `not restored: ${config} (its folder is a symlink or not a folder now)`,
    ]);
    expect(readFileSync(join(hostFolder, "config.toml"), "utf8")).toBe("host bytes\n");
  });

  it("a symlinked config in CODEX_HOME stays a link to the same file; replaced by a file, the link is put back", () => {
    const dotfiles = join(home, "dotfiles.toml");
    writeFileSync(dotfiles, CONFIG);
    rmSync(join(home, "config.toml"));
    symlinkSync(dotfiles, join(home, "config.toml"));
    const guard = guardConfig(home);
    expect(guard.restore()).toEqual([]);
    rmSync(join(home, "config.toml"));
    writeFileSync(join(home, "config.toml"), "written by Codex\n");
    expect(guard.restore()).toEqual(["restored config.toml (Codex wrote to it during the audit)"]);
    expect(lstatSync(join(home, "config.toml")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(home, "config.toml"))).toBe(dotfiles);
    expect(readFileSync(dotfiles, "utf8")).toBe(CONFIG);
  });
});
