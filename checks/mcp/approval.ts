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
      }
      // `mcp get` prints the number as Codex formats it ("300"); compare numerically.
      if (timeout === undefined || Number(timeout) !== expect.mcpToolTimeoutSec) {
        problems.push(`${name}: tool_timeout_sec ${timeout === undefined ? "not set" : timeout}${disabled}`);
      }
    }
    if (problems.length > 0) return outcome("fail", expected, problems[0] as string, [...problems, ...seen]);
    if (missing.length > 0) {
      return outcome("error", expected, `could not test: mcp get not run for ${missing.join(", ")}`, seen);
    }
    return outcome("pass", expected, `in effect for ${expectedMcpServers(expect).join(", ")}`, seen);
  },
  remediation:
    'Keep the launcher\'s `-c mcp_servers.<server>.default_tools_approval_mode="approve"` and `-c mcp_servers.<server>.tool_timeout_sec=300` overrides for every server.',
});
