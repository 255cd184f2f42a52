import { describe, expect, it } from "vitest";
import { areaOf, checks } from "../../checks/index.js";
import { runCheck } from "../../src/engine.js";
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
