import { defineCheck, outcome } from "../../src/define-check.js";
import { NOTE_PREFIX } from "../../src/model.js";
import { refusedToStart } from "../_shared.js";

export default defineCheck({
  id: "mcp.servers",
  title: "MCP servers connected",
  claim: "`/mcp verbose` shows each expected server connected with at least one tool.",
  needs: ["tui"],
  run({ tui }, { expect }) {
    const expected = `${expect.mcpServers.join(", ")}: connected, ≥ 1 tool each`;
    if (tui.refused) return refusedToStart(expected, tui.refused);
    if (Object.keys(tui.mcp).length === 0 && tui.mcpScreen.trim() === "") {
      return outcome("error", expected, "could not test: /mcp verbose showed nothing", []);
    }
    const problems: string[] = [];
    const listed: string[] = [];
    for (const name of expect.mcpServers) {
      const server = tui.mcp[name];
      if (!server) {
        problems.push(`${name}: not listed by /mcp verbose`);
        continue;
      }
      listed.push(`${name}: ${server.status} (${server.tools} tools)`);
      if (server.status !== "connected" || server.tools < 1) {
        const reason = tui.warnings.find((warning) => warning.includes(name));
        problems.push(`${name}: ${server.status} (${server.tools} tools)${reason ? `: ${reason}` : ""}`);
      }
    }
    if (problems.length > 0)
      return outcome("fail", expected, problems[0] as string, [...problems, ...listed]);
    // The README pre-approves these tools; they run in the server's process, outside the shell sandbox.
    const tools = expect.mcpServers
      .map((name) => `${name}: ${tui.mcp[name]?.toolNames.join(", ") || "(names not shown)"}`)
      .join("; ");
    return outcome("pass", expected, listed.join(", "), [
      ...listed,
      `${NOTE_PREFIX}auto-approved MCP tools run outside the shell sandbox: ${tools}`,
    ]);
  },
  remediation:
    "Fix the failing server's definition (`command`/`url`) in the profile file until `/mcp verbose` lists it connected; the warning (F2) names the reason.",
});
