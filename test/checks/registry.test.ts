import { describe, expect, it } from "vitest";
import { areaOf, checks } from "../../checks/index.js";
import { claimOf, runCheck } from "../../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../../src/core/expectations.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";
import { factsOf } from "./rule-tester.js";

/** The catalogue's claims for the README's expectations, as the contract words them (with the check's details). */
const README_CLAIMS: Record<string, string> = {
  "launcher.flags":
    "The launcher selects the profile azi4a2-autonomous and passes no legacy `--sandbox`/`-s`, `--full-auto` or `--dangerously-bypass-approvals-and-sandbox` (nor `--add-dir`, `-c sandbox_mode=…` or a `-c default_permissions=…` that replaces the profile's).",
  "launcher.integrity":
    "The launcher (and what it sources or runs from the project) cannot be changed from inside the sandbox, and decides Codex's arguments without hidden run-time branches.",
  "config.profile":
    "The profile file exists, parses, declares the permissions the claims need, and grants write access to nothing outside the project (an extra writable root breaks the README's filesystem claim).",
  "config.mcp_approval_tables":
    "No per-tool MCP approval tables (`mcp_servers.<server>.tools.<tool>`) that the config parser rejects or that name undefined servers.",
  "config.project_override": "No project-level `.codex/config.toml` changes sandbox or approval.",
  "config.layers":
    "Which config layer decides sandbox, approval, permission profile and network; a conflicting setting the launches show overridden is `warn`, one that takes effect `fail`.",
  "banner.approval":
    "The session reports `approval: never`. `codex exec` prints `approval: never` whatever the config says, so this resolves the approval the launch really used (launcher `-c` > profile file > config.toml) with the header as evidence; the interactive `/status` is checked by tui.permissions.",
  "banner.sandbox":
    "The exec startup header reports `sandbox: workspace-write [workdir] (network access enabled)`.",
  "tui.permissions":
    "The interactive session's `/status` shows `(workspace with network access, never)` (the authority for approval: exec always prints never).",
  "mcp.servers":
    "`/mcp verbose` shows each expected server (playwright, openaiDeveloperDocs) connected with at least one tool.",
  "mcp.approval":
    "Each expected server (playwright, openaiDeveloperDocs) has `default_tools_approval_mode = approve` and `tool_timeout_sec = 300` in effect (as `<launcher> mcp get <server>` shows with the launcher's overrides).",
  "mcp.runtime":
    "In an interactive session, a tool of each expected server (playwright, openaiDeveloperDocs) runs without an approval prompt, an MCP elicitation is declined instead of shown, and Codex cancels a call that outlasts its `tool_timeout_sec` (codex-smoke's stand-ins take the servers' places; the real servers get no call).",
  "runner.report":
    "The in-sandbox runner ran inside the sandbox and its nonce-stamped report reached the project.",
  "fs.auth_json": "`~/.codex/auth.json` cannot be opened inside the sandbox.",
  "fs.credentials":
    "Credential files on the host (SSH keys, cloud, registry and VCS tokens, Codex's own home besides auth.json) cannot be opened inside the sandbox.",
  "fs.git_write": "`.git` cannot be written; `git add` and `git commit` fail.",
  "fs.git_read": "`git status`, `git diff` and `git log` work inside the sandbox.",
  "fs.project_write": "The project is writable inside the sandbox (positive control).",
  "fs.readonly_paths": "`.codex` and `www.azinstitute4autism.com` in the project are read-only.",
  "fs.home_ephemeral": "Writes under `$HOME` appear to succeed inside but leave nothing on the host.",
  "fs.outside_roots":
    "Paths outside the runtime and the project are unreadable or read-only, and nothing written persists.",
  "fs.profile_rules":
    "Every filesystem entry of the effective permission profile holds at runtime (`none` / `read` / `write`, globs included).",
  "net.registry":
    "`curl -fsS <npm registry>/astro` succeeds inside the sandbox (registry from npm's config).",
  "net.tls_verify":
    "TLS verification is on: an untrusted certificate is rejected, and nothing disables verification.",
  "net.profile_rules":
    "With Codex's managed network proxy, each denied domain and a domain on no allowlist are refused, and each allowed domain is reachable (or why not is classified).",
  "env.secrets":
    "No secret-looking environment variable is visible inside the sandbox (names reported, never values).",
  "host.sandbox":
    "The host can run Codex's sandbox at all (bubblewrap, user namespaces); otherwise nothing can be tested.",
};

describe("registry", () => {
  it("lists the contract's catalogue in order", () => {
    expect(checks.map((c) => c.id)).toEqual([
      "launcher.flags",
      "launcher.integrity",
      "config.profile",
      "config.mcp_approval_tables",
      "config.project_override",
      "config.layers",
      "banner.approval",
      "banner.sandbox",
      "tui.permissions",
      "mcp.servers",
      "mcp.approval",
      "mcp.runtime",
      "runner.report",
      "fs.auth_json",
      "fs.credentials",
      "fs.git_write",
      "fs.git_read",
      "fs.project_write",
      "fs.readonly_paths",
      "fs.home_ephemeral",
      "fs.outside_roots",
      "fs.profile_rules",
      "net.registry",
      "net.tls_verify",
      "net.profile_rules",
      "env.secrets",
      "host.sandbox",
    ]);
    expect(areaOf("fs.auth_json")).toBe("fs");
    expect(areaOf("fs")).toBe("fs");
  });

  it("words each claim as the contract's catalogue does, for the README's expectations", () => {
    expect(
      Object.fromEntries(checks.map((check) => [check.id, claimOf(check, DEFAULT_EXPECTATIONS)])),
    ).toEqual(README_CLAIMS);
  });

  it("every check passes on the healthy setup (the README's lists no domains: no network rules to prove)", () => {
    const facts = factsOf(healthyFacts());
    for (const check of checks) {
      const result = runCheck(check, facts, { expect: DEFAULT_EXPECTATIONS });
      const status = check.id === "net.profile_rules" ? "skip" : "pass";
      expect([check.id, result.status]).toEqual([check.id, status]);
      expect(check.remediation).toMatch(/\.$/);
    }
  });
});

describe("claims follow the expectations in force", () => {
  it("--expect's values, not the README's defaults, word the claims that name them", () => {
    const expect2 = {
      ...DEFAULT_EXPECTATIONS,
      readonlyPaths: ["docs"],
      registryPackage: "left-pad",
      mcpServers: ["browser"],
      mcpApprovalMode: "prompt",
      mcpToolTimeoutSec: 60,
      sandboxHeader: "workspace-write [workdir]",
      profile: "team-profile",
    };
    const claims = Object.fromEntries(checks.map((check) => [check.id, claimOf(check, expect2)]));
    expect(claims["fs.readonly_paths"]).toBe("`docs` in the project are read-only.");
    expect(claims["net.registry"]).toContain("<npm registry>/left-pad");
    expect(claims["mcp.approval"]).toContain(
      "(browser) has `default_tools_approval_mode = prompt` and `tool_timeout_sec = 60`",
    );
    expect(claims["banner.sandbox"]).toBe(
      "The exec startup header reports `sandbox: workspace-write [workdir]`.",
    );
    expect(claims["launcher.flags"]).toContain("selects the profile team-profile");
    for (const [id, claim] of Object.entries(claims)) {
      expect([id, claim]).not.toEqual([id, expect.stringContaining("www.azinstitute4autism.com")]);
    }
  });
});
