import { describe, expect, it } from "vitest";
import { areaOf, checks } from "../../checks/index.js";
import { claimOf, runCheck } from "../../src/engine.js";
import { DEFAULT_EXPECTATIONS } from "../../src/expectations.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";
import { factsOf } from "./rule-tester.js";

describe("registry", () => {
  it("lists the contract's catalogue in order", () => {
    expect(checks.map((c) => c.id)).toEqual([
      "launcher.flags",
      "config.profile",
      "config.mcp_approval_tables",
      "config.project_override",
      "banner.approval",
      "banner.sandbox",
      "tui.permissions",
      "mcp.servers",
      "mcp.approval",
      "runner.report",
      "fs.auth_json",
      "fs.git_write",
      "fs.git_read",
      "fs.project_write",
      "fs.readonly_paths",
      "fs.home_ephemeral",
      "fs.outside_roots",
      "net.registry",
      "net.tls_verify",
      "env.secrets",
      "host.sandbox",
    ]);
    expect(areaOf("fs.auth_json")).toBe("fs");
  });

  it("every check passes on the healthy setup", () => {
    const facts = factsOf(healthyFacts());
    for (const check of checks) {
      const result = runCheck(check, facts, { expect: DEFAULT_EXPECTATIONS });
      expect([check.id, result.status]).toEqual([check.id, "pass"]);
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
