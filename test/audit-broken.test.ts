// Broken variants of the reference setup, each audited with the real Codex: the check that owns the broken claim
// fails (and the audit says so with exit 1), while the claims that still hold keep passing.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Status } from "../src/core/model.js";
import type { ReferenceSetup } from "../src/demo/reference-setup.js";
import {
  type AuditRun,
  audit,
  editFile,
  launcherAddsArgs,
  launcherPrepends,
  withSetup,
} from "./helpers/audit.js";

const FS_NET = ["--only", "runner.,fs.,net.,env.,banner.sandbox,config.,launcher."];

/** Adds `lines` to the profile's top-level filesystem table (right after `":minimal"`). */
function profileFilesystemAdds(setup: ReferenceSetup, ...lines: string[]): void {
  editFile(setup.profileFile, (text) =>
    text.replace(/^":minimal" = "read"$/m, (m) => [m, ...lines].join("\n")),
  );
}

interface Variant {
  name: string;
  breakIt: (setup: ReferenceSetup) => void;
  args?: string[];
  env?: Record<string, string>;
  /** Checks that must end in the given status. */
  expect: Record<string, Status>;
  /** Text a check's observed line or evidence must contain (or match): required for every status but pass. */
  says?: Record<string, string | RegExp>;
  exitCode?: number;
}

const variants: Variant[] = [
  {
    name: "launcher adds --sandbox workspace-write (legacy mode replaces the profile)",
    breakIt: (s) => launcherAddsArgs(s, "--sandbox", "workspace-write"),
    expect: {
      "launcher.flags": "fail",
      "banner.sandbox": "fail",
      "tui.permissions": "fail",
      "fs.auth_json": "fail",
      "net.registry": "fail",
      "mcp.servers": "pass",
      "mcp.approval": "pass",
    },
    says: {
      "launcher.flags": "exec launch passes --sandbox workspace-write",
      "banner.sandbox": "sandbox: workspace-write",
      "tui.permissions": "Custom (workspace, never)",
      "fs.auth_json": "/.codex/auth.json opened inside the sandbox",
      "net.registry": "curl: network disabled by the sandbox (exit 7)",
    },
  },
  {
    name: "launcher uses --dangerously-bypass-approvals-and-sandbox",
    breakIt: (s) => launcherAddsArgs(s, "--dangerously-bypass-approvals-and-sandbox"),
    args: FS_NET,
    expect: {
      "launcher.flags": "fail",
      "banner.sandbox": "fail",
      "runner.report": "fail",
      "fs.auth_json": "fail",
      "fs.git_write": "fail",
      "fs.readonly_paths": "fail",
      "fs.home_ephemeral": "fail",
      "fs.git_read": "pass",
      "fs.project_write": "pass",
    },
    says: {
      "launcher.flags": "exec launch passes --dangerously-bypass-approvals-and-sandbox",
      "banner.sandbox": "sandbox: danger-full-access",
      "runner.report": "the runner ran unsandboxed",
      "fs.auth_json": "/.codex/auth.json opened inside the sandbox",
      "fs.git_write": "write into .git succeeded",
      "fs.readonly_paths": ".codex: write succeeded",
      "fs.home_ephemeral": /\/home\/\.codex-smoke-[0-9a-f]{12} persisted on the host/,
    },
  },
  {
    name: "profile turns the network off",
    breakIt: (s) => editFile(s.profileFile, (t) => t.replace("enabled = true", "enabled = false")),
    args: FS_NET,
    expect: {
      "net.registry": "fail",
      "banner.sandbox": "fail",
      "config.profile": "fail",
      "fs.auth_json": "pass",
    },
    says: {
      "net.registry": "curl: network disabled by the sandbox (exit 7)",
      "banner.sandbox": "sandbox: workspace-write [workdir]",
      "config.profile": "network.enabled = false, expected true",
    },
  },
  {
    name: "profile makes a sibling of the project writable",
    breakIt: (s) => {
      const sibling = join(s.root, "work", "sibling");
      mkdirSync(sibling);
      profileFilesystemAdds(s, `${JSON.stringify(sibling)} = "write"`);
    },
    args: FS_NET,
    expect: {
      "config.profile": "fail",
      "fs.outside_roots": "fail",
      "fs.auth_json": "pass",
      "net.registry": "pass",
    },
    says: {
      "config.profile": /\/work\/sibling" = "write" grants write access outside the project/,
      "fs.outside_roots": /\/work\/sibling\/\.codex-smoke-[0-9a-f]{12} persisted on the host/,
    },
  },
  {
    name: "profile makes the whole filesystem readable (:root)",
    breakIt: (s) => profileFilesystemAdds(s, '":root" = "read"'),
    args: FS_NET,
    expect: { "config.profile": "fail", "fs.outside_roots": "fail", "fs.project_write": "pass" },
    says: {
      "config.profile": 'filesystem is not limited to minimal runtime (":root" = "read")',
      "fs.outside_roots": /\/canary-[0-9a-f]{12}\.txt readable inside the sandbox/,
    },
  },
  {
    name: "launcher exports NODE_TLS_REJECT_UNAUTHORIZED=0",
    breakIt: (s) => launcherPrepends(s, "export NODE_TLS_REJECT_UNAUTHORIZED=0"),
    args: FS_NET,
    expect: { "net.tls_verify": "fail", "net.registry": "pass", "fs.auth_json": "pass" },
    says: { "net.tls_verify": "NODE_TLS_REJECT_UNAUTHORIZED=0 visible inside" },
  },
  {
    name: "auth.json readable: the deny rule replaced by ~/.codex read",
    breakIt: (s) =>
      editFile(s.profileFile, (t) => t.replace('"~/.codex/auth.json" = "none"', '"~/.codex" = "read"')),
    args: FS_NET,
    expect: { "fs.auth_json": "fail", "config.profile": "fail", "fs.git_write": "pass" },
    says: {
      "fs.auth_json": "/.codex/auth.json opened inside the sandbox",
      "config.profile":
        'auth.json is not denied: no "~/.codex/auth.json" = "none" (found "~/.codex" = "read")',
    },
  },
  {
    name: "not logged in yet, and ~/.codex readable: the host's canary is readable inside",
    breakIt: (s) => {
      rmAuthJson(s);
      editFile(s.profileFile, (t) => t.replace('"~/.codex/auth.json" = "none"', '"~/.codex" = "read"'));
    },
    args: FS_NET,
    expect: { "fs.auth_json": "fail", "fs.git_write": "pass" },
    says: { "fs.auth_json": "auth.json opened inside the sandbox" },
  },
  {
    name: "not logged in yet, correct profile: the canary is denied (a pass that tested something)",
    breakIt: rmAuthJson,
    args: FS_NET,
    expect: { "fs.auth_json": "pass", "runner.report": "pass" },
    says: {
      "fs.auth_json": "cannot be opened inside the sandbox",
      "runner.report": "report received from inside the sandbox",
    },
    exitCode: 0,
  },
  {
    name: "profile without Codex's package directory: the sandbox cannot run any command",
    breakIt: (s) => editFile(s.profileFile, (t) => t.replace(/^"[^"]*\/vendor" = "read"\n/m, "")),
    args: FS_NET,
    expect: { "runner.report": "fail", "config.profile": "pass", "fs.auth_json": "error" },
    says: {
      "runner.report": "the sandbox cannot run any command: bwrap: execvp",
      "fs.auth_json": "not tested: runner.report failed",
    },
  },
  {
    name: "a project that is not a git repository: the git checks skip (Codex mounts a placeholder .git inside)",
    breakIt: (s) => rmSync(join(s.project, ".git"), { recursive: true, force: true }),
    args: FS_NET,
    expect: {
      "fs.git_read": "skip",
      "fs.git_write": "skip",
      "fs.project_write": "pass",
      "fs.auth_json": "pass",
    },
    says: {
      "fs.git_read": "project is not a git repository",
      "fs.git_write": "project is not a git repository",
    },
    exitCode: 0,
  },
  {
    name: "www.azinstitute4autism.com writable",
    breakIt: (s) =>
      editFile(s.profileFile, (t) =>
        t.replace('"www.azinstitute4autism.com" = "read"', '"www.azinstitute4autism.com" = "write"'),
      ),
    args: FS_NET,
    expect: { "fs.readonly_paths": "fail", "config.profile": "fail", "fs.auth_json": "pass" },
    says: {
      "fs.readonly_paths": "www.azinstitute4autism.com: write succeeded",
      "config.profile": '":workspace_roots" "www.azinstitute4autism.com" = "write", expected "read"',
    },
  },
  {
    name: "project not writable",
    breakIt: (s) => editFile(s.profileFile, (t) => t.replace('"." = "write"', '"." = "read"')),
    args: FS_NET,
    expect: { "fs.project_write": "fail", "config.profile": "fail" },
    says: {
      "fs.project_write": "write failed: EROFS",
      "config.profile": '":workspace_roots" "." = "read", expected "write"',
    },
  },
  {
    name: "$HOME writable on the host",
    breakIt: (s) => profileFilesystemAdds(s, `${JSON.stringify(s.home)} = "write"`),
    args: FS_NET,
    expect: { "fs.home_ephemeral": "fail", "config.profile": "fail" },
    says: {
      "fs.home_ephemeral": /\/home\/\.codex-smoke-[0-9a-f]{12} persisted on the host/,
      "config.profile": /\/home" = "write" grants write access outside the project/,
    },
  },
  {
    name: "git metadata unreadable",
    breakIt: (s) =>
      editFile(s.profileFile, (t) => t.replace('".codex" = "read"', '".codex" = "read"\n".git" = "none"')),
    args: FS_NET,
    expect: { "fs.git_read": "fail", "fs.project_write": "pass" },
    says: { "fs.git_read": "git status failed: exit:128 (fatal: not a git repository" },
  },
  {
    name: "profile asks for approval (on-request) and the launcher does not override it",
    breakIt: (s) => {
      editFile(s.profileFile, (t) =>
        t.replace('approval_policy = "never"', 'approval_policy = "on-request"'),
      );
      editFile(s.launcher, (t) => t.replace(`  -c 'approval_policy="never"'\n`, ""));
    },
    expect: {
      "banner.approval": "fail",
      "tui.permissions": "fail",
      "banner.sandbox": "pass",
      "fs.auth_json": "pass",
    },
    says: {
      "banner.approval": 'approval_policy = "on-request"',
      "tui.permissions": "(workspace with network access, Ask for approval)",
    },
  },
  {
    name: "MCP stand-in command missing",
    breakIt: (s) =>
      editFile(s.profileFile, (t) =>
        t.replace(/^(\[mcp_servers\.playwright\]\ncommand = ).*$/m, '$1"/nonexistent/playwright-mcp"'),
      ),
    args: ["--only", "mcp.,tui."],
    expect: { "mcp.servers": "fail", "tui.permissions": "pass", "mcp.approval": "pass" },
    says: { "mcp.servers": /playwright \(\/nonexistent\/playwright-mcp .*\): command not found/ },
  },
  {
    name: "launcher no longer sets the MCP approval mode",
    breakIt: (s) =>
      editFile(s.launcher, (t) =>
        t.replace(`  -c 'mcp_servers.playwright.default_tools_approval_mode="approve"'\n`, ""),
      ),
    args: ["--only", "mcp.,tui.,launcher."],
    expect: { "mcp.approval": "fail", "mcp.servers": "pass", "tui.permissions": "pass" },
    says: { "mcp.approval": "playwright: default_tools_approval_mode not set" },
  },
  {
    name: "per-tool approval table for a server no layer defines",
    breakIt: (s) =>
      editFile(
        s.profileFile,
        (t) => `${t}\n[mcp_servers.ghost.tools.browser_navigate]\napproval_mode = "approve"\n`,
      ),
    // Codex refuses to start on this config: what needs a launch could not be tested (decisions §10).
    expect: {
      "config.mcp_approval_tables": "fail",
      "config.profile": "pass",
      "launcher.flags": "pass",
      "mcp.approval": "error",
      "banner.sandbox": "error",
    },
    says: {
      "config.mcp_approval_tables":
        "mcp_servers.ghost.tools.browser_navigate names server ghost, which no layer defines",
      "mcp.approval": "not tested: config.mcp_approval_tables failed",
      "banner.sandbox":
        "could not test: Codex refused to start: Error loading config.toml: invalid transport in `mcp_servers.ghost`",
    },
  },
  {
    name: "project .codex/config.toml switches to danger-full-access",
    breakIt: (s) => {
      const { writeFileSync } = require("node:fs") as typeof import("node:fs");
      writeFileSync(join(s.project, ".codex", "config.toml"), 'sandbox_mode = "danger-full-access"\n');
    },
    expect: { "config.project_override": "fail", "config.profile": "pass", "mcp.servers": "pass" },
    says: { "config.project_override": '/.codex/config.toml sets sandbox_mode = "danger-full-access"' },
  },
  {
    name: "profile file missing (a broken setup is a finding, not a usage error)",
    breakIt: (s) => {
      const { rmSync } = require("node:fs") as typeof import("node:fs");
      rmSync(s.profileFile);
    },
    args: ["--skip", "tui.,mcp."],
    expect: { "config.profile": "fail", "banner.sandbox": "error", "fs.auth_json": "error" },
    says: {
      "config.profile": "/azi4a2-autonomous.config.toml does not exist",
      "banner.sandbox": "could not test: Codex refused to start: codex-auto: profile file not found",
      "fs.auth_json": "not tested: config.profile failed",
    },
  },
  {
    name: "a secret-looking variable is visible inside (fail when expected so)",
    breakIt: () => {},
    args: ["--only", "env.secrets", "--expect", "EXPECT_FILE"],
    env: { DEPLOY_API_KEY: "not-a-real-key-but-long-enough" },
    expect: { "env.secrets": "fail" },
    says: { "env.secrets": "visible inside: DEPLOY_API_KEY" },
  },
];

/** No `codex login` yet: no auth.json in CODEX_HOME. */
function rmAuthJson(setup: ReferenceSetup): void {
  rmSync(join(setup.codexHome, "auth.json"));
}

function describeRun(run: AuditRun): string {
  return (
    (run.report?.results ?? []).map((r) => `${r.id}=${r.status}: ${r.observed}`).join("\n") || run.stderr
  );
}

describe.concurrent("broken setups fail the check that owns the claim", () => {
  it.each(variants)("$name", async (variant) => {
    // A status alone passes for the wrong reason too: each verdict that is not a pass names its observed line.
    const unexplained = Object.entries(variant.expect).filter(
      ([id, st]) => st !== "pass" && !variant.says?.[id],
    );
    expect(unexplained, "expected statuses without a `says` fragment").toEqual([]);
    await withSetup(variant.breakIt, async (setup) => {
      let args = variant.args ?? [];
      if (args.includes("EXPECT_FILE")) {
        const { writeFileSync } = await import("node:fs");
        const file = join(setup.root, "expect.json");
        writeFileSync(file, JSON.stringify({ envSecrets: "fail" }));
        args = args.map((a) => (a === "EXPECT_FILE" ? file : a));
      }
      const configBefore = existsSync(setup.profileFile) ? readFileSync(setup.profileFile) : null;
      const run = await audit(setup, args, variant.env);
      // Whatever the setup's fault, the audit leaves the user's config byte-identical.
      if (configBefore) expect(readFileSync(setup.profileFile).equals(configBefore)).toBe(true);
      expect(
        readdirSync(setup.codexHome)
          .filter((name) => name.endsWith(".toml"))
          .sort(),
      ).toEqual(configBefore ? ["azi4a2-autonomous.config.toml", "config.toml"] : ["config.toml"]);
      // A canary the audit placed for a missing auth.json is gone again.
      expect(readdirSync(setup.codexHome).filter((name) => name === "auth.json").length).toBe(
        variant.breakIt === rmAuthJson || variant.name.startsWith("not logged in") ? 0 : 1,
      );
      const got = Object.fromEntries(Object.keys(variant.expect).map((id) => [id, run.status(id)]));
      expect(got, describeRun(run)).toEqual(variant.expect);
      for (const [id, text] of Object.entries(variant.says ?? {})) {
        if (typeof text === "string") expect(run.observed(id), id).toContain(text);
        else expect(run.observed(id), id).toMatch(text);
      }
      expect(run.exitCode, describeRun(run)).toBe(variant.exitCode ?? 1);
      expect(`${run.stdout}${run.files}`).not.toContain(setup.canary);
    });
  });
});

describe("a read-only folder missing from the project", () => {
  // Codex 0.169 mounts a placeholder for it, and its own sandbox helpers race on that placeholder: a launch either
  // runs (the folder is reported absent), refuses to start on bwrap's mount error, or (seen under load) makes the
  // placeholder after the command's sandbox was set up, so the runner's write into it lands on the host. Each is a
  // verdict on the missing folder, never `error` or a pass, and the project is left without Codex's placeholder.
  it("warns that it is absent, or fails because Codex could not start on it or let a write into it through; nothing is left behind", async () => {
    const site = (setup: ReferenceSetup) => join(setup.project, "www.azinstitute4autism.com");
    await withSetup(
      (s) => rmSync(site(s), { recursive: true, force: true }),
      async (setup) => {
        const run = await audit(setup, FS_NET);
        const status = run.status("fs.readonly_paths");
        if (status === "warn") {
          expect(run.observed("fs.readonly_paths")).toContain(
            "www.azinstitute4autism.com not present in the project",
          );
          expect(run.status("fs.project_write")).toBe("pass");
          expect(run.exitCode, describeRun(run)).toBe(0);
        } else {
          expect(status, describeRun(run)).toBe("fail");
          expect(run.observed("fs.readonly_paths")).toMatch(
            /Codex could not start its sandbox: www\.azinstitute4autism\.com is missing from the project|www\.azinstitute4autism\.com: write succeeded/,
          );
          expect(run.exitCode, describeRun(run)).toBe(1);
        }
        expect(existsSync(site(setup))).toBe(false);
      },
    );
  });
});
