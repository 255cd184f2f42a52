// readLauncherStatic on the launcher the bundled reference setup writes (built in a temp dir: slower than the
// parser's unit tests in launcher-static.test.ts, so mutation testing leaves it out).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { buildReferenceSetup } from "../src/demo/reference-setup.js";
import { readLauncherStatic } from "../src/gather/launcher-static.js";

it("reads the launcher the reference setup writes", async () => {
  const setup = await buildReferenceSetup();
  try {
    const result = readLauncherStatic(setup.launcher, readFileSync(setup.launcher, "utf8"));
    expect(result.profile).toBe("azi4a2-autonomous");
    expect(result.overrides.map((o) => o.raw)).toEqual([
      'approval_policy="never"',
      'mcp_servers.playwright.default_tools_approval_mode="approve"',
      "mcp_servers.playwright.tool_timeout_sec=300",
      'mcp_servers.openaiDeveloperDocs.default_tools_approval_mode="approve"',
      "mcp_servers.openaiDeveloperDocs.tool_timeout_sec=300",
    ]);
    expect(result.findings).toEqual([]);
  } finally {
    await setup.dispose();
  }
});
