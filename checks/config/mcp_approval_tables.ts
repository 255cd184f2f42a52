import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { ConfigFacts, ConfigFile } from "../../src/core/model.js";
import { CONFIG_LAUNCHES, fileLineColumn, firstLines, isTable, tomlValue } from "../_shared.js";

const APPROVAL_MODES = new Set(["auto", "prompt", "writes", "approve"]);
const UNDEFINED_SERVER_FIX =
  "Codex refuses a server that no loaded config layer defines (invalid transport): define each server the launcher's `-c mcp_servers.<server>.…` overrides name (`command` or `url`) in the profile, or drop those overrides.";

export default defineCheck({
  id: "config.mcp_approval_tables",
  title: "No rejected per-tool MCP approval tables",
  claim:
    "No per-tool MCP approval tables (`mcp_servers.<server>.tools.<tool>`) that the config parser rejects or that name undefined servers.",
  needs: ["config", "exec"],
  run({ config, exec }, _ctx) {
    const expected = "no mcp_servers.<server>.tools.<tool> tables (the README says not to persist them)";
    const problems: string[] = [];
    const valid: string[] = [];
    for (const file of [config.base, config.profile, config.projectOverride]) {
      for (const [server, definition] of Object.entries(serversOf(file))) {
        if (!isTable(definition) || definition.tools === undefined) continue;
        const where = `${file.path}: mcp_servers.${server}.tools`;
        if (!isTable(definition.tools)) {
          problems.push(`${where} = ${tomlValue(definition.tools)} is not a table`);
          continue;
        }
        for (const [tool, table] of Object.entries(definition.tools)) {
          const at = `${where}.${tool}`;
          if (!isTable(table)) {
            problems.push(
              `${at} = ${tomlValue(table)} is not a table (Codex: expected struct McpServerToolConfig)`,
            );
          } else if (
            table.approval_mode !== undefined &&
            !APPROVAL_MODES.has(table.approval_mode as string)
          ) {
            problems.push(
              `${at}.approval_mode = ${tomlValue(table.approval_mode)} is not auto|prompt|writes|approve`,
            );
          } else if (!isDefined(config, server)) {
            problems.push(
              `${at} names server ${server}, which no layer defines (command or url): invalid transport`,
            );
          } else {
            valid.push(
              `${at}${table.approval_mode === undefined ? "" : ` approval_mode = ${tomlValue(table.approval_mode)}`}`,
            );
          }
        }
      }
    }
    // Codex refusing to start over an undefined server is the finding itself (decisions §10).
    const refusal =
      exec.refused && /invalid transport/i.test(exec.refused) ? firstLines(exec.refused, 4) : [];
    if (problems.length > 0 || refusal.length > 0) {
      const observed = problems[0] ?? `Codex refused to start: ${refusal.join(" ")}`;
      const failed = outcome("fail", expected, observed, [
        ...problems,
        ...refusal.map((line) => `exec: ${line}`),
      ]);
      // No table to delete: what names the undefined server is a launcher `-c mcp_servers.<server>.…` override.
      return problems.length > 0
        ? { ...failed, explains: CONFIG_LAUNCHES }
        : { ...failed, remediation: UNDEFINED_SERVER_FIX, explains: CONFIG_LAUNCHES };
    }
    const unreadable = [config.base, config.profile, config.projectOverride]
      .map(fileLineColumn)
      .filter((e) => e !== null);
    if (unreadable.length > 0) {
      return outcome("error", expected, `could not test: ${unreadable[0]}`, unreadable);
    }
    if (valid.length > 0) {
      return outcome("warn", expected, `${valid.length} per-tool table(s) for defined servers`, [
        ...valid,
        "an older Codex (0.133.0) rejects per-tool tables; the README says not to persist them",
      ]);
    }
    return outcome("pass", expected, "no per-tool approval tables", []);
  },
  remediation:
    "Delete the `[mcp_servers.<server>.tools.<tool>]` tables from the config files and keep approval at server level through the launcher's `default_tools_approval_mode` overrides.",
});

function serversOf(file: ConfigFile): Record<string, unknown> {
  const servers = file.data?.mcp_servers;
  return isTable(servers) ? servers : {};
}

/** A server counts as defined when some loaded layer gives it a transport (`command` or `url`). */
function isDefined(config: ConfigFacts, server: string): boolean {
  const candidates = [config.effective.mcp_servers, config.projectOverride.data?.mcp_servers];
  return candidates.some((servers) => {
    const definition = isTable(servers) ? servers[server] : undefined;
    return isTable(definition) && (definition.command !== undefined || definition.url !== undefined);
  });
}
