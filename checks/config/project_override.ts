import { defineCheck, outcome } from "../../src/core/define-check.js";
import { fileLineColumn, tomlValue } from "../_shared.js";

/** Settings with which a trusted project's own config replaces the profile's sandbox or approval. */
const OVERRIDING_KEYS = [
  "sandbox_mode",
  "approval_policy",
  "default_permissions",
  "permissions",
  "sandbox_workspace_write",
];
const SHOW_VALUE = new Set(["sandbox_mode", "approval_policy", "default_permissions"]);

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
    const overriding = OVERRIDING_KEYS.filter((key) => data[key] !== undefined).map((key) =>
      SHOW_VALUE.has(key) ? `${key} = ${tomlValue(data[key])}` : key,
    );
    if (overriding.length > 0) {
      return outcome("fail", expected, `${file.path} sets ${overriding.join(", ")}`, [
        ...overriding.map((setting) => `${file.path}: ${setting}`),
        "once the project is trusted, its .codex/config.toml replaces the profile's settings",
      ]);
    }
    const keys = Object.keys(data);
    return outcome("warn", expected, `${file.path} exists (${keys.join(", ") || "empty"})`, [
      `${file.path}: ${keys.join(", ") || "no settings"}`,
      "it applies once the project is trusted; it is inside the workspace the agent works in",
    ]);
  },
  remediation:
    "Remove the project's `.codex/config.toml` (or at least its sandbox_mode, approval_policy and permissions settings) and keep the settings in the profile file outside the workspace.",
});
