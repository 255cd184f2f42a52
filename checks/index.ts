// The check registry, in the contract's catalogue order; the README table, `list` and `--help` come from it.
import type { CheckDefinition } from "../src/core/model.js";
import bannerApproval from "./banner/approval.js";
import bannerSandbox from "./banner/sandbox.js";
import configLayers from "./config/layers.js";
import configMcpApprovalTables from "./config/mcp_approval_tables.js";
import configProfile from "./config/profile.js";
import configProjectOverride from "./config/project_override.js";
import envSecrets from "./env/secrets.js";
import fsAuthJson from "./fs/auth_json.js";
import fsCredentials from "./fs/credentials.js";
import fsGitRead from "./fs/git_read.js";
import fsGitWrite from "./fs/git_write.js";
import fsHomeEphemeral from "./fs/home_ephemeral.js";
import fsOutsideRoots from "./fs/outside_roots.js";
import fsProfileRules from "./fs/profile_rules.js";
import fsProjectWrite from "./fs/project_write.js";
import fsReadonlyPaths from "./fs/readonly_paths.js";
import hostSandbox from "./host/sandbox.js";
import launcherFlags from "./launcher/flags.js";
import launcherIntegrity from "./launcher/integrity.js";
import mcpApproval from "./mcp/approval.js";
import mcpRuntime from "./mcp/runtime.js";
import mcpServers from "./mcp/servers.js";
import netProfileRules from "./net/profile_rules.js";
import netRegistry from "./net/registry.js";
import netTlsVerify from "./net/tls_verify.js";
import runnerReport from "./runner/report.js";
import tuiPermissions from "./tui/permissions.js";

export const checks = [
  launcherFlags,
  launcherIntegrity,
  configProfile,
  configMcpApprovalTables,
  configProjectOverride,
  configLayers,
  bannerApproval,
  bannerSandbox,
  tuiPermissions,
  mcpServers,
  mcpApproval,
  mcpRuntime,
  runnerReport,
  fsAuthJson,
  fsCredentials,
  fsGitWrite,
  fsGitRead,
  fsProjectWrite,
  fsReadonlyPaths,
  fsHomeEphemeral,
  fsOutsideRoots,
  fsProfileRules,
  netRegistry,
  netTlsVerify,
  netProfileRules,
  envSecrets,
  hostSandbox,
] as const satisfies readonly CheckDefinition[];

/** The area of a check id: `fs.auth_json` → `fs`. */
export function areaOf(id: string): string {
  return id.slice(0, id.indexOf(".") < 0 ? id.length : id.indexOf("."));
}
