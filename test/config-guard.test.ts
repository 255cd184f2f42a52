import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
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
    const guard = guardConfig(home, [existing]);
    writeFileSync(existing, 'sandbox_mode = "danger-full-access"\n');
    expect(guard.restore()).toEqual([`restored ${existing} (Codex wrote to it during the audit)`]);
    expect(readFileSync(existing, "utf8")).toBe('model = "x"\n');

    rmSync(existing);
    const absent = guardConfig(home, [existing]);
    writeFileSync(existing, 'sandbox_mode = "danger-full-access"\n');
    expect(absent.restore()).toEqual([`removed ${existing} (created by Codex during the audit)`]);
    expect(existsSync(existing)).toBe(false);
  });
});
