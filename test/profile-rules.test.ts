// The profile's filesystem entries as rules over paths (src/gather/profile-rules.ts), the host's plan for each
// (src/audit/rule-plan.ts) on a real temporary tree, the credential files it lists by name, the domain probes it
// plans, and the runner's probes and the host's restore on real files.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listCredentialFiles } from "../src/audit/credential-files.js";
import { planDomainProbes } from "../src/audit/domain-plan.js";
import { plannedWrites, planRuleProbes } from "../src/audit/rule-plan.js";
import { recordRuleWrites, restoreRuleWrites } from "../src/audit/rule-restore.js";
import { activeProfile, globToRegExp, governingRule } from "../src/gather/profile-rules.js";
import { markerContent } from "../src/runner/markers.js";
import { probeCredentialFiles, probeRules, runDomainProbe } from "../src/runner/rules.js";
import type { RunnerInput } from "../src/runner/types.js";

const CTX = { home: "/home/alice", workspaceRoots: ["/home/alice/work/proj"], tmpdir: undefined };

function profileWith(filesystem: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    default_permissions: "p",
    permissions: { p: { filesystem, network: { enabled: true }, ...extra } },
  };
}

describe("the profile's entries as rules", () => {
  it("expands ~, workspace-root subpaths and special paths, as Codex does on Linux", () => {
    const profile = activeProfile(
      profileWith({
        ":minimal": "read",
        "~/.codex/auth.json": "none",
        "/opt/tools": "read",
        ":home": "read",
        ":workspace_roots": { ".": "write", ".codex": "read", "**/*.env": "deny" },
        glob_scan_max_depth: 3,
      }),
      CTX,
    );
    expect(profile?.globScanMaxDepth).toBe(3);
    expect(profile?.rules.map((r) => [r.text, r.kind, r.access, r.paths])).toEqual([
      ['":minimal" = "read"', "special", "read", ["/bin", "/etc", "/lib", "/lib64", "/sbin", "/usr"]],
      ['"~/.codex/auth.json" = "none"', "path", "none", ["/home/alice/.codex/auth.json"]],
      ['"/opt/tools" = "read"', "path", "read", ["/opt/tools"]],
      ['":home" = "read"', "unknown", "read", []],
      ['":workspace_roots" "." = "write"', "path", "write", ["/home/alice/work/proj"]],
      ['":workspace_roots" ".codex" = "read"', "path", "read", ["/home/alice/work/proj/.codex"]],
      ['":workspace_roots" "**/*.env" = "none"', "glob", "none", ["/home/alice/work/proj/**/*.env"]],
    ]);
  });

  it("adds what extends inherits, under the profile's own entries", () => {
    const profile = activeProfile(profileWith({ ":slash_tmp": "read" }, { extends: ":workspace" }), CTX);
    expect(profile?.rules.map((r) => r.text)).toEqual([
      '":slash_tmp" = "read"',
      '(extends ":workspace") ":root" = "read"',
      '(extends ":workspace") ":workspace_roots" = "write"',
      '(extends ":workspace") ":tmpdir" = "write"',
    ]);
  });

  it("no custom profile: a built-in or nothing selected", () => {
    expect(activeProfile({ default_permissions: ":workspace" }, CTX)).toBeNull();
    expect(activeProfile({}, CTX)).toBeNull();
    expect(activeProfile({ default_permissions: "missing" }, CTX)).toBeNull();
  });

  it("globs: ** spans folders, * and ? stay in one", () => {
    const env = globToRegExp("/p/**/*.env");
    expect(["/p/a.env", "/p/src/deep.env", "/p/a/b/c.env"].every((path) => env.test(path))).toBe(true);
    expect(env.test("/p/a.env.bak")).toBe(false);
    expect(globToRegExp("/p/*.pem").test("/p/sub/key.pem")).toBe(false);
    expect(globToRegExp("/p/secret?.txt").test("/p/secret1.txt")).toBe(true);
    expect(globToRegExp("/p/[ab].txt").test("/p/b.txt")).toBe(true);
    expect(globToRegExp("/p/a.b").test("/p/aXb")).toBe(false);
  });

  it("the entry that decides a path: a matching deny glob, else the most specific, the stricter on a tie", () => {
    const rules =
      activeProfile(
        profileWith({
          ":root": "read",
          ":minimal": "read",
          "~/.ssh": "read",
          "~/.ssh/id_rsa": "none",
          ":workspace_roots": { ".": "write", "**/*.env": "none" },
        }),
        CTX,
      )?.rules ?? [];
    const decides = (path: string) => governingRule(path, rules)?.text;
    expect(decides("/home/alice/.ssh/id_rsa")).toBe('"~/.ssh/id_rsa" = "none"');
    expect(decides("/home/alice/.ssh/id_ed25519")).toBe('"~/.ssh" = "read"');
    expect(decides("/etc/passwd")).toBe('":minimal" = "read"');
    expect(decides("/var/log/syslog")).toBe('":root" = "read"');
    expect(decides("/home/alice/work/proj/src/x.env")).toBe('":workspace_roots" "**/*.env" = "none"');
    expect(decides("/home/alice/work/proj/src/x.ts")).toBe('":workspace_roots" "." = "write"');
    expect(
      governingRule(
        "/srv/x",
        rules.filter((r) => r.text !== '":root" = "read"'),
      ),
    ).toBeNull();
  });
});

describe("on a real tree", () => {
  let root: string;
  let home: string;
  it("applies workspace-root entries in every --add-dir folder too (a deny glob stays the project's)", () => {
    const profile = activeProfile(
      profileWith({ ":workspace_roots": { ".": "write", "codex-auto": "read", "**/*.env": "none" } }),
      { ...CTX, workspaceRoots: ["/home/alice/work/proj", "/srv/shared"] },
    );
    expect(profile?.rules.map((r) => [r.text, r.paths])).toEqual([
      ['":workspace_roots" "." = "write"', ["/home/alice/work/proj", "/srv/shared"]],
      [
        '":workspace_roots" "codex-auto" = "read"',
        ["/home/alice/work/proj/codex-auto", "/srv/shared/codex-auto"],
      ],
      ['":workspace_roots" "**/*.env" = "none"', ["/home/alice/work/proj/**/*.env"]],
    ]);
    expect(governingRule("/srv/shared/codex-auto", profile?.rules ?? [])?.text).toBe(
      '":workspace_roots" "codex-auto" = "read"',
    );
  });

  let project: string;
  beforeEach(() => {
    const cache = join(homedir(), ".cache", "codex-smoke");
    mkdirSync(cache, { recursive: true });
    root = mkdtempSync(join(cache, "rules-test-"));
    home = join(root, "home");
    project = join(root, "proj");
    for (const dir of [
      home,
      project,
      join(root, "shared"),
      join(root, "cache"),
      join(project, "src"),
      join(project, ".codex"),
    ])
      mkdirSync(dir, { recursive: true });
  });
  afterEach(() => {
    chmodSync(join(root, "cache"), 0o755);
    rmSync(root, { recursive: true, force: true });
  });

  const plan = (filesystem: Record<string, unknown>, nonce = "0123456789ab") => {
    const profile = activeProfile(profileWith(filesystem), {
      home,
      workspaceRoots: [project],
      tmpdir: undefined,
    });
    if (!profile) throw new Error("no profile");
    return planRuleProbes(profile, { project, nonce });
  };

  it("picks governed, non-executable samples; a folder without files gets a file to create", () => {
    writeFileSync(join(root, "shared", "notes.txt"), "n\n");
    writeFileSync(join(root, "shared", "tool.sh"), "#!/bin/sh\n");
    chmodSync(join(root, "shared", "tool.sh"), 0o755);
    writeFileSync(join(root, "shared", "secret.key"), "k\n");
    const [shared, secret, empty, missing] = plan({
      [join(root, "shared")]: "read",
      [join(root, "shared", "secret.key")]: "none",
      [join(root, "cache")]: "read",
      [join(root, "nowhere")]: "read",
    });
    expect(shared?.probe).toEqual({
      read: [join(root, "shared", "notes.txt")],
      append: join(root, "shared", "notes.txt"),
      create: null,
    });
    expect(secret?.probe?.read).toEqual([join(root, "shared", "secret.key")]);
    expect(empty?.probe).toEqual({
      read: [],
      append: null,
      create: join(root, "cache", ".codex-smoke-rule-0123456789ab-2"),
    });
    expect([missing?.probe, missing?.note]).toEqual([
      null,
      "nothing to test: the path does not exist on the host",
    ]);
  });

  it("a read entry on an --add-dir folder samples what it governs, not a file a workspace-root entry makes read-only there", () => {
    // Codex mounts the profile's `:workspace_roots` subpaths read-only in the --add-dir folder too: its codex-auto
    // is read-only whatever the entry on the folder says, so probing it would prove nothing about that entry.
    writeFileSync(join(root, "shared", "codex-auto"), "");
    writeFileSync(join(root, "shared", "notes.txt"), "n\n");
    const profile = activeProfile(
      profileWith({
        [join(root, "shared")]: "read",
        ":workspace_roots": { ".": "write", "codex-auto": "read" },
      }),
      { home, workspaceRoots: [project, join(root, "shared")], tmpdir: undefined },
    );
    if (!profile) throw new Error("no profile");
    const [shared] = planRuleProbes(profile, { project, nonce: "0123456789ab" });
    expect(shared?.probe).toEqual({
      read: [join(root, "shared", "notes.txt")],
      append: join(root, "shared", "notes.txt"),
      create: null,
    });
  });

  it("an entry naming an executable file (the launcher) says why it is not probed here instead of calling it absent", () => {
    writeFileSync(join(root, "codex-auto"), "#!/bin/sh\n", { mode: 0o755 });
    const [launcher] = plan({ [join(root, "codex-auto")]: "read" });
    expect([launcher?.probe, launcher?.note]).toEqual([
      null,
      "not tested here: only executable files (one may be running); launcher.integrity probes the launcher's files",
    ]);
  });

  it("never samples through a symlinked read or deny entry, and says so", () => {
    writeFileSync(join(root, "shared", "notes.txt"), "n\n");
    symlinkSync(join(root, "shared"), join(root, "link"));
    for (const access of ["read", "none"]) {
      const [link] = plan({ [join(root, "link")]: access });
      expect([link?.probe, link?.note], access).toEqual([
        null,
        "not tested: the path is a symbolic link on the host (the host never follows links)",
      ]);
    }
  });

  it("never follows a symlinked entry, and says so", () => {
    symlinkSync(join(root, "shared"), join(root, "link"));
    const [link] = plan({ [join(root, "link")]: "write" });
    expect(link?.note).toBe(
      "not tested: the path is a symbolic link on the host (the host never follows links)",
    );
  });

  it("a deny glob: the matches on the host, and a new matching file where the project is writable", () => {
    writeFileSync(join(project, "old.env"), "X=1\n");
    writeFileSync(join(project, "src", "deep.env"), "Y=1\n");
    const rules = plan({ ":workspace_roots": { ".": "write", "**/*.env": "none" } });
    const glob = rules[1];
    expect(glob?.probe).toEqual({
      read: [join(project, "old.env"), join(project, "src", "deep.env")],
      append: null,
      create: join(project, "codex-smoke-0123456789ab.env"),
    });
    expect(glob?.createdAfterLaunch).toBe(true);
    expect(plannedWrites(rules)).toEqual([
      join(project, ".codex-smoke-rule-0123456789ab-0"),
      join(project, "codex-smoke-0123456789ab.env"),
    ]);
  });

  it("a deny glob outside any writable root gets no new file", () => {
    const [, glob] = plan({ ":workspace_roots": { ".": "read", "secrets/**": "none" } });
    expect([glob?.probe, glob?.note]).toEqual([
      null,
      "nothing to test: no matching file on the host and no writable folder to make one in",
    ]);
  });

  it("lists credential files by name: SSH keys but not public keys, Codex's files but not its public CA bundle", () => {
    mkdirSync(join(home, ".ssh"));
    for (const name of ["id_ed25519", "id_ed25519.pub", "known_hosts", "config"])
      writeFileSync(join(home, ".ssh", name), "x");
    mkdirSync(join(home, ".aws"));
    writeFileSync(join(home, ".aws", "credentials"), "x");
    writeFileSync(join(home, ".npmrc"), "x");
    const codexHome = join(home, ".codex");
    mkdirSync(join(codexHome, "proxy"), { recursive: true });
    mkdirSync(join(codexHome, "sessions", "2026", "12", "06"), { recursive: true });
    for (const name of [
      "auth.json",
      "config.toml",
      "p.config.toml",
      "history.jsonl",
      "state_5.sqlite",
      "installation_id",
    ])
      writeFileSync(join(codexHome, name), "x");
    writeFileSync(join(codexHome, "proxy", "ca-abc.pem"), "x");
    writeFileSync(join(codexHome, "proxy", "ca-bundle-abc.pem"), "x");
    writeFileSync(join(codexHome, "sessions", "2026", "12", "06", "rollout-1.jsonl"), "x");
    expect(listCredentialFiles(home, codexHome).map((f) => [f.kind, f.path.slice(home.length)])).toEqual([
      ["SSH private key", "/.ssh/id_ed25519"],
      ["AWS credentials", "/.aws/credentials"],
      ["npm registry token", "/.npmrc"],
      ["Codex config", "/.codex/config.toml"],
      ["Codex history", "/.codex/history.jsonl"],
      ["Codex profile", "/.codex/p.config.toml"],
      ["Codex database", "/.codex/state_5.sqlite"],
      ["Codex session transcript", "/.codex/sessions/2026/12/06/rollout-1.jsonl"],
      ["Codex proxy CA", "/.codex/proxy/ca-abc.pem"],
    ]);
    expect(listCredentialFiles(join(root, "nobody"), join(root, "nobody", ".codex"))).toEqual([]);
  });

  it("the runner opens, appends and creates only what the host chose; restore finds and removes what landed", () => {
    writeFileSync(join(root, "shared", "notes.txt"), "n\n");
    const nonce = "0123456789ab";
    const created = join(root, "cache", ".codex-smoke-rule-0123456789ab-1");
    const input = {
      nonce,
      credentialFiles: [join(root, "shared", "notes.txt"), join(root, "absent")],
      rules: [
        {
          read: [join(root, "shared", "notes.txt")],
          append: join(root, "shared", "notes.txt"),
          create: null,
        },
        { read: [], append: null, create: created },
      ],
    } as unknown as RunnerInput;
    expect(
      probeCredentialFiles(input)?.map((c) => [c.path.slice(root.length), c.open.ok, c.open.code]),
    ).toEqual([
      ["/shared/notes.txt", true, undefined],
      ["/absent", false, "ENOENT"],
    ]);
    const [read, write] = probeRules(input);
    expect([read?.read[0]?.open.ok, read?.append?.open.ok]).toEqual([true, true]);
    expect(readFileSync(join(root, "shared", "notes.txt"), "utf8")).toBe("n\n");
    expect(write?.create).toEqual({ path: created, write: { ok: true }, readBack: { ok: true } });
    expect(readFileSync(created, "utf8")).toBe(markerContent(nonce));
    // A second run never overwrites what is there ("wx").
    expect(probeRules(input)[1]?.create?.write.code).toBe("EEXIST");
    // The host's record is taken at staging, before the runner ran.
    const record = recordRuleWrites([created, join(root, "shared", ".codex-smoke-rule-0123456789ab-9")]);
    const restored = restoreRuleWrites(record, nonce);
    expect(restored.outcomes).toEqual([
      { path: created, landed: true },
      { path: join(root, "shared", ".codex-smoke-rule-0123456789ab-9"), landed: false },
    ]);
    expect(existsSync(created)).toBe(false);
  });

  it("restore leaves a path alone whose folder was swapped for a symlink, and a file with other content did not land", () => {
    const nonce = "0123456789ab";
    mkdirSync(join(root, "swapped"));
    mkdirSync(join(root, "replaced"));
    const record = recordRuleWrites([
      join(root, "cache", ".codex-smoke-rule-0123456789ab-1"),
      join(root, "swapped", ".codex-smoke-rule-0123456789ab-2"),
      join(root, "replaced", ".codex-smoke-rule-0123456789ab-3"),
    ]);
    // Another folder under the same name is not the one the host recorded (the old one is kept: no inode reuse).
    renameSync(join(root, "replaced"), join(root, "replaced-before"));
    mkdirSync(join(root, "replaced"));
    writeFileSync(join(root, "replaced", ".codex-smoke-rule-0123456789ab-3"), markerContent(nonce));
    // During the launch: someone else's file at the probe's name, and the folder swapped for a link elsewhere.
    writeFileSync(join(root, "cache", ".codex-smoke-rule-0123456789ab-1"), "someone else's\n");
    rmSync(join(root, "swapped"), { recursive: true });
    symlinkSync(join(root, "shared"), join(root, "swapped"));
    writeFileSync(join(root, "shared", ".codex-smoke-rule-0123456789ab-2"), markerContent(nonce));
    const restored = restoreRuleWrites(record, nonce);
    expect(restored.outcomes.map((o) => o.landed)).toEqual([false, false, false]);
    expect(restored.leftAlone).toEqual([
      `${join(root, "cache", ".codex-smoke-rule-0123456789ab-1")} is not the probe's file: left as it is`,
      `${join(root, "swapped", ".codex-smoke-rule-0123456789ab-2")}: its folder changed during the audit; left as it is`,
      `${join(root, "replaced", ".codex-smoke-rule-0123456789ab-3")}: its folder changed during the audit; left as it is`,
    ]);
    expect(existsSync(join(root, "replaced", ".codex-smoke-rule-0123456789ab-3"))).toBe(true);
    expect(existsSync(join(root, "shared", ".codex-smoke-rule-0123456789ab-2"))).toBe(true);
    expect(readFileSync(join(root, "cache", ".codex-smoke-rule-0123456789ab-1"), "utf8")).toBe(
      "someone else's\n",
    );
  });

  it("a domain probe without Codex's proxy sends nothing and says so; results accumulate in one report", async () => {
    const reports = { local: join(root, "l.json"), net: join(root, "n.json"), domains: join(root, "d.json") };
    const input = {
      nonce: "0123456789ab",
      reports,
      networkTimeoutMs: 1000,
      domains: [
        { host: "codex-smoke-denied.localhost", url: "https://codex-smoke-denied.localhost/" },
        { host: "x.invalid", url: "https://x.invalid/" },
      ],
    } as unknown as RunnerInput;
    const previous = process.env.CODEX_NETWORK_PROXY_ACTIVE;
    delete process.env.CODEX_NETWORK_PROXY_ACTIVE;
    try {
      await runDomainProbe(input, 1);
      const { report, writeError } = await runDomainProbe(input, 0);
      expect(writeError).toBeNull();
      expect(report.results.map((r) => [r.index, r.host, r.proxyActive, r.attempt])).toEqual([
        [1, "x.invalid", false, null],
        [0, "codex-smoke-denied.localhost", false, null],
      ]);
      expect(JSON.parse(readFileSync(reports.domains, "utf8")).results).toHaveLength(2);
    } finally {
      if (previous !== undefined) process.env.CODEX_NETWORK_PROXY_ACTIVE = previous;
    }
  });
});

describe("the domain probes the host plans", () => {
  const config = (
    network: Record<string, unknown>,
    features: Record<string, unknown> = { network_proxy: true },
  ) => ({
    default_permissions: "p",
    features,
    permissions: { p: { network } },
  });

  it("denied (wildcards through a nonce subdomain), one unlisted, allowed (the registry's URL for its host)", () => {
    const plan = planDomainProbes(
      config({
        enabled: true,
        domains: {
          "evil.example": "deny",
          "*.evil.localhost": "deny",
          "127.0.0.1": "allow",
          "*.corp": "allow",
        },
      }),
      { nonce: "0123456789ab", registryUrl: "http://127.0.0.1:4873/astro" },
    );
    expect(plan.probes).toEqual([
      {
        rule: '"evil.example" = "deny"',
        host: "evil.example",
        url: "https://evil.example/",
        expect: "blocked",
      },
      {
        rule: '"*.evil.localhost" = "deny"',
        host: "codex-smoke-0123456789ab.evil.localhost",
        url: "https://codex-smoke-0123456789ab.evil.localhost/",
        expect: "blocked",
      },
      {
        rule: "a domain on no allowlist",
        host: "codex-smoke-0123456789ab.invalid",
        url: "https://codex-smoke-0123456789ab.invalid/",
        expect: "blocked",
      },
      {
        rule: '"127.0.0.1" = "allow"',
        host: "127.0.0.1",
        url: "http://127.0.0.1:4873/astro",
        expect: "allowed",
      },
    ]);
    expect(plan.untested).toEqual(['"*.corp" = "allow": a wildcard, no one host to try']);
  });

  it("nothing without the proxy and without domains, or with the network off; domains alone are probed", () => {
    const none = { nonce: "n", registryUrl: null };
    expect(planDomainProbes(config({ enabled: true }, {}), none).probes).toEqual([]);
    expect(planDomainProbes(config({ enabled: false, domains: { a: "deny" } }), none).probes).toEqual([]);
    expect(planDomainProbes(config({ enabled: true, domains: { a: "deny" } }, {}), none).probes).toHaveLength(
      2,
    );
  });

  it("at most eight probes, the rest named", () => {
    const domains = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`d${i}.example`, "deny"]));
    const plan = planDomainProbes(config({ enabled: true, domains }), { nonce: "n", registryUrl: null });
    expect(plan.probes).toHaveLength(8);
    expect(plan.untested).toEqual([
      '"d8.example" = "deny": not probed (at most 8)',
      '"d9.example" = "deny": not probed (at most 8)',
      "a domain on no allowlist: not probed (at most 8)",
    ]);
  });
});
