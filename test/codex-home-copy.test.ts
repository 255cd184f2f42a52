// matrix's temporary Codex home: a copy (modes kept, Codex's state left out, auth.json never copied: linked for a
// live agent, left out for the mock) in which the grant of the user's Codex package points at the release under
// test, and rules naming the user's Codex home by path get a twin naming the copy.
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
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
import { copyCodexHome, pointCodexGrant, retargetHomeRules } from "../src/codex/home-copy.js";

let root: string;
let source: string;
let copy: string;

beforeEach(() => {
  root = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-home-copy-"));
  source = join(root, "codex");
  copy = join(root, "copy");
  mkdirSync(source, { mode: 0o700 });
  chmodSync(source, 0o750);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe("copyCodexHome", () => {
  it("copies config with its modes, keeps symlinks, links auth.json and leaves Codex's state out", () => {
    writeFileSync(join(source, "config.toml"), "model = 'x'\n", { mode: 0o600 });
    writeFileSync(join(source, "prof.config.toml"), "approval_policy = 'never'\n", { mode: 0o640 });
    writeFileSync(join(source, "auth.json"), '{"OPENAI_API_KEY":"sk-test"}\n', { mode: 0o600 });
    mkdirSync(join(source, "rules"), { mode: 0o711 });
    writeFileSync(join(source, "rules", "default.rules"), "allow\n", { mode: 0o604 });
    symlinkSync("rules/default.rules", join(source, "linked.rules"));
    for (const state of ["sessions", "log", "shell_snapshots", "tmp"]) mkdirSync(join(source, state));
    for (const state of ["state_5.sqlite", "state_5.sqlite-wal", "history.jsonl"]) {
      writeFileSync(join(source, state), "");
    }

    copyCodexHome(source, copy, "link");

    expect(readdirSync(copy).sort()).toEqual([
      "auth.json",
      "config.toml",
      "linked.rules",
      "prof.config.toml",
      "rules",
    ]);
    expect(mode(copy)).toBe(0o750);
    expect(mode(join(copy, "config.toml"))).toBe(0o600);
    expect(mode(join(copy, "prof.config.toml"))).toBe(0o640);
    expect(mode(join(copy, "rules"))).toBe(0o711);
    expect(mode(join(copy, "rules", "default.rules"))).toBe(0o604);
    expect(readFileSync(join(copy, "prof.config.toml"), "utf8")).toBe("approval_policy = 'never'\n");
    expect(readlinkSync(join(copy, "linked.rules"))).toBe("rules/default.rules");
    // The credential is a link to the user's own file: no second copy of the secret exists.
    expect(lstatSync(join(copy, "auth.json")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(copy, "auth.json"))).toBe(join(source, "auth.json"));
  });

  it("for the mock agent, which needs no login, the copy has no auth.json at all", () => {
    writeFileSync(join(source, "config.toml"), "model = 'x'\n");
    writeFileSync(join(source, "auth.json"), '{"OPENAI_API_KEY":"sk-test"}\n', { mode: 0o600 });
    copyCodexHome(source, copy, "none");
    expect(readdirSync(copy)).toEqual(["config.toml"]);
  });
});

const USER_VENDOR = "/usr/local/lib/node_modules/@openai/codex/node_modules/@openai/codex-linux-x64/vendor";
const RELEASE_VENDOR = "/home/u/.cache/codex-smoke/codex/0.150.0/node_modules/@openai/codex-linux-x64/vendor";

function profile(filesystem: string): string {
  return `default_permissions = "auto"

[permissions.auto.filesystem]
":minimal" = "read"
${filesystem}
"~/.codex/auth.json" = "none"

[mcp_servers.x]
command = "${USER_VENDOR}/bin/x"
`;
}

function pointed(filesystem: string, from: string | null = USER_VENDOR) {
  mkdirSync(copy);
  writeFileSync(join(copy, "auto.config.toml"), profile(filesystem), { mode: 0o600 });
  writeFileSync(join(copy, "config.toml"), "check_for_update_on_startup = false\n");
  const edit = pointCodexGrant(copy, { from, to: RELEASE_VENDOR, home: "/home/u" });
  return { edit, text: readFileSync(join(copy, "auto.config.toml"), "utf8") };
}

describe("pointCodexGrant", () => {
  it("points the grant of the user's vendor dir at the release, and nothing else", () => {
    const { edit, text } = pointed(`"${USER_VENDOR}" = "read"`);
    expect(text).toBe(profile(`"${RELEASE_VENDOR}" = "read"`));
    expect(edit).toEqual({
      summary: `grant "${USER_VENDOR}" in ${join(copy, "auto.config.toml")} points at ${RELEASE_VENDOR}`,
      granted: true,
    });
    expect(mode(join(copy, "auto.config.toml"))).toBe(0o600);
    expect(readFileSync(join(copy, "config.toml"), "utf8")).toBe("check_for_update_on_startup = false\n");
  });

  it("a grant of the wrapper package above the vendor dir, written as a literal string, counts too", () => {
    const { text } = pointed(`'/usr/local/lib/node_modules/@openai/codex' = "read"`);
    expect(text).toBe(profile(`"${RELEASE_VENDOR}" = "read"`));
  });

  it("a grant under ~/ is matched against the expanded path", () => {
    const userVendor = "/home/u/.npm-global/lib/node_modules/@openai/codex-linux-x64/vendor";
    const { text } = pointed(`"~/.npm-global/lib/node_modules/@openai/codex-linux-x64" = "read"`, userVendor);
    expect(text).toBe(profile(`"${RELEASE_VENDOR}" = "read"`));
  });

  it("a broad grant that holds the user's Codex is not narrowed: the release gets its own grant", () => {
    const { edit, text } = pointed(`"/usr/local/lib" = "read"`);
    expect(text).toContain(`"/usr/local/lib" = "read"`);
    expect(text).toContain(
      `[permissions.auto.filesystem]\n"${RELEASE_VENDOR}" = "read"\n":minimal" = "read"`,
    );
    expect(edit.summary).toBe(
      `no grant names the user's Codex; read on ${RELEASE_VENDOR} added in ${join(copy, "auto.config.toml")}`,
    );
  });

  it("no Codex of the user's own (it is not on PATH): the release gets its own grant", () => {
    const { edit, text } = pointed(`"${USER_VENDOR}" = "read"`, null);
    expect(text).toContain(`"${USER_VENDOR}" = "read"`);
    expect(text).toContain(`"${RELEASE_VENDOR}" = "read"`);
    expect(edit.granted).toBe(true);
  });

  it("a grant that already covers the release changes nothing", () => {
    const { edit, text } = pointed(`"~/.cache" = "read"\n"${USER_VENDOR}" = "read"`);
    expect(text).toBe(profile(`"~/.cache" = "read"\n"${USER_VENDOR}" = "read"`));
    expect(edit).toEqual({
      summary: `the profile already grants access to ${RELEASE_VENDOR}`,
      granted: true,
    });
  });

  it("a denied path is not a grant", () => {
    const { text } = pointed(`"${USER_VENDOR}" = "none"\n"/home/u/.cache/codex-smoke" = "none"`);
    expect(text).toContain(`"${RELEASE_VENDOR}" = "read"\n":minimal"`);
  });

  it("a Codex home without a permission profile stays as it is, and says so", () => {
    mkdirSync(copy);
    writeFileSync(join(copy, "config.toml"), 'sandbox_mode = "workspace-write"\n');
    expect(pointCodexGrant(copy, { from: USER_VENDOR, to: RELEASE_VENDOR, home: "/home/u" })).toEqual({
      summary: "no permission profile filesystem table found: the copy is unchanged",
      granted: false,
    });
    expect(readFileSync(join(copy, "config.toml"), "utf8")).toBe('sandbox_mode = "workspace-write"\n');
  });
});

describe("retargetHomeRules", () => {
  const HOME = "/home/u";
  const rules = (lines: string) =>
    `default_permissions = "auto"\n\n[permissions.auto.filesystem]\n":minimal" = "read"\n${lines}\n`;

  function retargeted(lines: string, codexHome = join(HOME, ".codex")) {
    mkdirSync(copy);
    writeFileSync(join(copy, "auto.config.toml"), rules(lines), { mode: 0o600 });
    const summary = retargetHomeRules(copy, { codexHome, home: HOME });
    return { summary, text: readFileSync(join(copy, "auto.config.toml"), "utf8") };
  }

  it("an absolute rule on the user's auth.json keeps its line and gets a twin naming the copy's", () => {
    const { summary, text } = retargeted('"/home/u/.codex/auth.json" = "none"');
    expect(text).toBe(rules(`"/home/u/.codex/auth.json" = "none"\n"${copy}/auth.json" = "none"`));
    expect(summary).toBe('"/home/u/.codex/auth.json" names the copy too');
    expect(mode(join(copy, "auto.config.toml"))).toBe(0o600);
  });

  it("~/.codex rules name the Codex home when it is ~/.codex; the access and a comment are kept", () => {
    const { summary, text } = retargeted(`"~/.codex/auth.json" = "none"\n'~/.codex/rules' = "read" # policy`);
    expect(text).toBe(
      rules(
        `"~/.codex/auth.json" = "none"\n"${copy}/auth.json" = "none"\n'~/.codex/rules' = "read" # policy\n"${copy}/rules" = "read" # policy`,
      ),
    );
    expect(summary).toBe('"~/.codex/auth.json", "~/.codex/rules" name the copy too');
  });

  it("rules outside the Codex home, or ~/.codex when CODEX_HOME is elsewhere, stay as they are", () => {
    const lines = '"~/.codex/auth.json" = "none"\n"/home/u/.codexrc" = "none"\n"/srv/codex/x" = "read"';
    const { summary, text } = retargeted(lines, "/srv/codex-home");
    expect(text).toBe(rules(lines));
    expect(summary).toBeNull();
  });

  it("a path that is a link in the copy gets no twin: bwrap cannot mount a placeholder over a link", () => {
    mkdirSync(copy);
    symlinkSync("/home/u/.codex/auth.json", join(copy, "auth.json"));
    writeFileSync(join(copy, "auto.config.toml"), rules('"/home/u/.codex/auth.json" = "none"'));
    expect(retargetHomeRules(copy, { codexHome: "/home/u/.codex", home: HOME })).toBeNull();
  });

  it("a key in two profiles of one file gets its twin in each", () => {
    mkdirSync(copy);
    const two = `${rules('"/home/u/.codex" = "none"')}\n[permissions.other.filesystem]\n"/home/u/.codex" = "none"\n`;
    writeFileSync(join(copy, "auto.config.toml"), two);
    expect(retargetHomeRules(copy, { codexHome: "/home/u/.codex", home: HOME })).toBe(
      '"/home/u/.codex" names the copy too',
    );
    expect(readFileSync(join(copy, "auto.config.toml"), "utf8").split(`"${copy}" = "none"`)).toHaveLength(3);
  });
});
