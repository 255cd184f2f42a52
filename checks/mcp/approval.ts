import { defineCheck, outcome } from "../../src/core/define-check.js";
import { expectedMcpServers } from "../../src/core/model.js";
import { firstLines } from "../_shared.js";

export default defineCheck({
  id: "mcp.approval",
  title: "MCP approval and timeout in effect",
  claim: (expect) =>
    `Each expected server (${expectedMcpServers(expect).join(", ")}) has \`default_tools_approval_mode = ${expect.mcpApprovalMode}\` and \`tool_timeout_sec = ${expect.mcpToolTimeoutSec}\` in effect (as \`<launcher> mcp get <server>\` shows with the launcher's overrides).`,
  needs: ["mcpGet"],
  run({ mcpGet }, { expect }) {
    const expected = `default_tools_approval_mode: ${expect.mcpApprovalMode}, tool_timeout_sec: ${expect.mcpToolTimeoutSec}`;
    const problems: string[] = [];
    /** The launcher `-c`s that would put the expected values in effect, for the settings that differ. */
    const overrides: string[] = [];
    const seen: string[] = [];
    const missing: string[] = [];
    // Optional servers too: one that may fail to connect still runs its tools with these settings when it does.
    for (const name of expectedMcpServers(expect)) {
      const get = mcpGet[name];
      if (!get) {
        missing.push(name);
        continue;
      }
      if (get.exitCode !== 0) {
        problems.push(
          `mcp get ${name}: exit ${get.exitCode ?? "none"}: ${firstLines(get.output, 1)[0] ?? "no output"}`,
        );
        continue;
      }
      const mode = get.fields.default_tools_approval_mode;
      const timeout = get.fields.tool_timeout_sec;
      seen.push(`${name}: default_tools_approval_mode: ${mode ?? "-"}, tool_timeout_sec: ${timeout ?? "-"}`);
      const disabled = /\(disabled\)/.test(firstLines(get.output, 1)[0] ?? "") ? " (server disabled)" : "";
      if (mode !== expect.mcpApprovalMode) {
        problems.push(
          `${name}: default_tools_approval_mode ${mode === undefined ? "not set" : mode}${disabled}`,
        );
        overrides.push(`-c mcp_servers.${name}.default_tools_approval_mode="${expect.mcpApprovalMode}"`);
      }
      // `mcp get` prints the number as Codex formats it ("300"); compare numerically (an absent one is NaN).
      if (Number(timeout) !== expect.mcpToolTimeoutSec) {
        problems.push(`${name}: tool_timeout_sec ${timeout === undefined ? "not set" : timeout}${disabled}`);
        overrides.push(`-c mcp_servers.${name}.tool_timeout_sec=${expect.mcpToolTimeoutSec}`);
      }
    }
    if (problems.length > 0) {
      const failed = outcome("fail", expected, problems[0] as string, [...problems, ...seen]);
      if (overrides.length === 0) return failed;
      const list = overrides.map((override) => `\`${override}\``).join(", ");
      return {
        ...failed,
        remediation: `Make the launcher pass ${list} (a server's own table may set them too).`,
      };
    }
    if (missing.length > 0) {
      return outcome("error", expected, `could not test: mcp get not run for ${missing.join(", ")}`, seen);
    }
    return outcome("pass", expected, `in effect for ${expectedMcpServers(expect).join(", ")}`, seen);
  },
  remediation:
    'Give every server `default_tools_approval_mode = "approve"` and `tool_timeout_sec = 300`, as the README\'s launcher does with `-c mcp_servers.<server>.…` overrides.',
});
