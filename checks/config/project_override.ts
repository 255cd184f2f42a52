import { defineCheck, outcome } from "../../src/core/define-check.js";
import { fileLineColumn, isTable, tomlValue } from "../_shared.js";

/** Settings with which a trusted project's own config replaces the profile's sandbox or approval. */
const OVERRIDING_KEYS = [
  "sandbox_mode",
  "approval_policy",
  "default_permissions",
  "permissions",
  "sandbox_workspace_write",
];
const SHOW_VALUE = new Set(["sandbox_mode", "approval_policy", "default_permissions"]);
/** Settings that start programs on the host, outside the sandbox, once the project is trusted. */
const HOST_COMMAND_KEYS = ["mcp_servers", "notify"];
const TRUSTED = "it applies once the project is trusted";

/** A key as the fix names it: tables in brackets. */
const asWritten = (key: string, data: Record<string, unknown>) =>
  isTable(data[key]) ? `[${key}]` : `\`${key}\``;

export default defineCheck({
  id: "config.project_override",
  title: "No project config that changes sandbox or approval",
  claim: "No project-level `.codex/config.toml` changes sandbox or approval.",
  needs: ["config"],
  run({ config }, _ctx) {
    const file = config.projectOverride;
    const expected = `${file.path} absent, or without sandbox and approval settings`;
    if (!file.exists) return outcome("pass", expected, `${file.path} does not exist`);
    const parseError = fileLineColumn(file);
    if (parseError) return outcome("fail", expected, parseError, [parseError]);
    const data = file.data ?? {};
    const present = (keys: string[]) => keys.filter((key) => data[key] !== undefined);
    const overriding = present(OVERRIDING_KEYS);
    if (overriding.length > 0) {
      const settings = overriding.map((key) =>
        SHOW_VALUE.has(key) ? `${key} = ${tomlValue(data[key])}` : key,
      );
      const named = overriding.map((key) => asWritten(key, data)).join(", ");
      return {
        ...outcome("fail", expected, `${file.path} sets ${settings.join(", ")}`, [
          ...settings.map((setting) => `${file.path}: ${setting}`),
          "once the project is trusted, its .codex/config.toml replaces the profile's settings",
        ]),
        remediation: `Remove ${named} from ${file.path} and keep sandbox and approval settings in the profile file outside the workspace.`,
      };
    }
    const keys = Object.keys(data);
    const listed = `${file.path}: ${keys.join(", ") || "no settings"}`;
    const hostCommands = present(HOST_COMMAND_KEYS);
    if (hostCommands.length > 0) {
      const named = hostCommands.map((key) => asWritten(key, data)).join(", ");
      return {
        ...outcome("warn", expected, `${file.path} sets ${hostCommands.join(", ")}: programs on the host`, [
          listed,
          `${TRUSTED}: ${hostCommands.join(", ")} start programs on the host, outside the sandbox`,
        ]),
        remediation: `Move ${named} from ${file.path} into the profile file outside the workspace: from the project, they start programs on the host as soon as the project is trusted.`,
      };
    }
    return outcome(
      "pass",
      expected,
      `${file.path} sets neither sandbox nor approval (${keys.join(", ") || "empty"})`,
      [listed, TRUSTED],
    );
  },
  remediation:
    "Remove the sandbox and approval settings the finding names from the project's `.codex/config.toml` and keep them in the profile file outside the workspace.",
});
