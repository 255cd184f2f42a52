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
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
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

describe("copyCodexHome: what is Codex's state", () => {
  it("every state folder and file is left out; names that only resemble them are copied", () => {
    for (const state of ["sessions", "archived_sessions", "log", "shell_snapshots", "tmp", ".tmp"]) {
      mkdirSync(join(source, state));
    }
    for (const name of ["state_5.sqlite-shm", "history.jsonl", "state.sqlite.md", "old-history.jsonl"]) {
      writeFileSync(join(source, name), "");
    }
    copyCodexHome(source, copy, "none");
    expect(readdirSync(copy).sort()).toEqual(["old-history.jsonl", "state.sqlite.md"]);
  });

  it("a running Codex's socket is not copied", async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(source, "app.sock"), done));
    try {
      writeFileSync(join(source, "config.toml"), "model = 'x'\n");
      copyCodexHome(source, copy, "none");
      expect(readdirSync(copy)).toEqual(["config.toml"]);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});

describe("pointCodexGrant: which grants and files", () => {
  it("a write grant of the user's Codex is pointed at the release, keeping its access", () => {
    const { text } = pointed(`"${USER_VENDOR}" = "write"`);
    expect(text).toBe(profile(`"${RELEASE_VENDOR}" = "write"`));
  });

  it("a standalone binary's own folder, outside any npm package, is the user's Codex too", () => {
    const { text } = pointed(`"/opt/codex" = "read"`, "/opt/codex");
    expect(text).toBe(profile(`"${RELEASE_VENDOR}" = "read"`));
  });

  it("the same grant in two profiles of one file is pointed in both", () => {
    mkdirSync(copy);
    const two = `${profile(`"${USER_VENDOR}" = "read"`)}\n[permissions.other.filesystem]\n"${USER_VENDOR}" = "read"\n`;
    writeFileSync(join(copy, "auto.config.toml"), two);
    const edit = pointCodexGrant(copy, { from: USER_VENDOR, to: RELEASE_VENDOR, home: "/home/u" });
    expect(edit.summary).toBe(
      `grant "${USER_VENDOR}" in ${join(copy, "auto.config.toml")} points at ${RELEASE_VENDOR}`,
    );
    const text = readFileSync(join(copy, "auto.config.toml"), "utf8");
    expect(text.split(`"${RELEASE_VENDOR}" = "read"`)).toHaveLength(3);
    expect(text).not.toContain(`"${USER_VENDOR}" =`);
  });

  it("the summary names every key and every file it pointed", () => {
    mkdirSync(copy);
    const keys = `"${USER_VENDOR}" = "read"\n'/usr/local/lib/node_modules/@openai/codex' = "read"`;
    writeFileSync(join(copy, "a.config.toml"), profile(keys));
    writeFileSync(join(copy, "b.config.toml"), profile(`"${USER_VENDOR}" = "read"`));
    const edit = pointCodexGrant(copy, { from: USER_VENDOR, to: RELEASE_VENDOR, home: "/home/u" });
    expect(edit.summary).toBe(
      `grant "${USER_VENDOR}", "/usr/local/lib/node_modules/@openai/codex" in ${join(copy, "a.config.toml")}; ` +
        `"${USER_VENDOR}" in ${join(copy, "b.config.toml")} points at ${RELEASE_VENDOR}`,
    );
  });

  it("a grant added to two files names both", () => {
    mkdirSync(copy);
    writeFileSync(join(copy, "a.config.toml"), profile(""));
    writeFileSync(join(copy, "b.config.toml"), profile(""));
    const edit = pointCodexGrant(copy, { from: USER_VENDOR, to: RELEASE_VENDOR, home: "/home/u" });
    expect(edit.summary).toBe(
      `no grant names the user's Codex; read on ${RELEASE_VENDOR} added in ${join(copy, "a.config.toml")}, ${join(copy, "b.config.toml")}`,
    );
  });

  it("only a header at the start of its line gets the added grant, a trailing comment kept", () => {
    mkdirSync(copy);
    const text = `# [permissions.old.filesystem]\n[permissions.auto.filesystem] # mine\n":minimal" = "read"\n`;
    writeFileSync(join(copy, "auto.config.toml"), text);
    pointCodexGrant(copy, { from: USER_VENDOR, to: RELEASE_VENDOR, home: "/home/u" });
    expect(readFileSync(join(copy, "auto.config.toml"), "utf8")).toBe(
      `# [permissions.old.filesystem]\n[permissions.auto.filesystem] # mine\n"${RELEASE_VENDOR}" = "read"\n":minimal" = "read"\n`,
    );
  });

  it("only .toml files are read and edited: a backup of the profile stays as it is", () => {
    mkdirSync(copy);
    writeFileSync(join(copy, "auto.config.toml"), profile(`"${USER_VENDOR}" = "read"`));
    writeFileSync(join(copy, "auto.config.toml.bak"), profile(`"${USER_VENDOR}" = "read"`));
    pointCodexGrant(copy, { from: USER_VENDOR, to: RELEASE_VENDOR, home: "/home/u" });
    expect(readFileSync(join(copy, "auto.config.toml.bak"), "utf8")).toBe(
      profile(`"${USER_VENDOR}" = "read"`),
    );
  });

  it("an unparsable .toml file is left alone; the others are still edited", () => {
    mkdirSync(copy);
    writeFileSync(join(copy, "auto.config.toml"), profile(`"${USER_VENDOR}" = "read"`));
    writeFileSync(join(copy, "broken.config.toml"), `[permissions.x.filesystem]\n"${USER_VENDOR}" = `);
    const edit = pointCodexGrant(copy, { from: USER_VENDOR, to: RELEASE_VENDOR, home: "/home/u" });
    expect(edit.granted).toBe(true);
    expect(readFileSync(join(copy, "broken.config.toml"), "utf8")).toBe(
      `[permissions.x.filesystem]\n"${USER_VENDOR}" = `,
    );
    expect(readFileSync(join(copy, "auto.config.toml"), "utf8")).toBe(
      profile(`"${RELEASE_VENDOR}" = "read"`),
    );
  });

  it("a profile that is not a table, or has no filesystem table, does not hide the file's real profile", () => {
    mkdirSync(copy);
    const text = `[permissions]\nhelper = "x"\n\n[permissions.net.network]\nenabled = true\n\n${profile("")}`;
    writeFileSync(join(copy, "auto.config.toml"), text);
    const edit = pointCodexGrant(copy, { from: USER_VENDOR, to: RELEASE_VENDOR, home: "/home/u" });
    expect(edit.summary).toBe(
      `no grant names the user's Codex; read on ${RELEASE_VENDOR} added in ${join(copy, "auto.config.toml")}`,
    );
  });

  it("an array of tables named permissions is not a set of profiles: its entries grant nothing", () => {
    mkdirSync(copy);
    writeFileSync(join(copy, "auto.config.toml"), profile(""));
    writeFileSync(
      join(copy, "list.toml"),
      `[[permissions]]\nfilesystem = { "${RELEASE_VENDOR}" = "read" }\n`,
    );
    const edit = pointCodexGrant(copy, { from: USER_VENDOR, to: RELEASE_VENDOR, home: "/home/u" });
    expect(edit.summary).toBe(
      `no grant names the user's Codex; read on ${RELEASE_VENDOR} added in ${join(copy, "auto.config.toml")}`,
    );
  });

  it("a file with nothing to change is not rewritten", () => {
    const { text } = pointedKeepingTimes(`"${USER_VENDOR}" = "read"`);
    expect(text).toBe(profile(`"${RELEASE_VENDOR}" = "read"`));
    expect(statSync(join(copy, "config.toml")).mtimeMs).toBe(PAST.getTime());
  });
});

const PAST = new Date("2020-01-02T03:04:05Z");

/** As `pointed`, with a second TOML file that holds no profile, its modification time set in the past. */
function pointedKeepingTimes(filesystem: string) {
  mkdirSync(copy);
  writeFileSync(join(copy, "auto.config.toml"), profile(filesystem));
  writeFileSync(join(copy, "config.toml"), "check_for_update_on_startup = false\n");
  utimesSync(join(copy, "config.toml"), PAST, PAST);
  const edit = pointCodexGrant(copy, { from: USER_VENDOR, to: RELEASE_VENDOR, home: "/home/u" });
  return { edit, text: readFileSync(join(copy, "auto.config.toml"), "utf8") };
}

describe("retargetHomeRules: files it leaves", () => {
  it("an entry whose value is a table is not a rule (only workspace roots take tables): no twin", () => {
    mkdirSync(copy);
    const text = '[permissions.auto.filesystem]\n"/home/u/.codex" = { "auth.json" = "none" }\n';
    writeFileSync(join(copy, "auto.config.toml"), text);
    expect(retargetHomeRules(copy, { codexHome: "/home/u/.codex", home: "/home/u" })).toBeNull();
    expect(readFileSync(join(copy, "auto.config.toml"), "utf8")).toBe(text);
  });

  it("a file without a rule on the Codex home is not rewritten", () => {
    mkdirSync(copy);
    writeFileSync(
      join(copy, "auto.config.toml"),
      '[permissions.auto.filesystem]\n"/home/u/.codex/auth.json" = "none"\n',
    );
    writeFileSync(join(copy, "other.toml"), '[permissions.o.filesystem]\n"/srv" = "read"\n');
    utimesSync(join(copy, "other.toml"), PAST, PAST);
    expect(retargetHomeRules(copy, { codexHome: "/home/u/.codex", home: "/home/u" })).toBe(
      '"/home/u/.codex/auth.json" names the copy too',
    );
    expect(statSync(join(copy, "other.toml")).mtimeMs).toBe(PAST.getTime());
  });
});
