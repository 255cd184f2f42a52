// The check registry, in the contract's catalogue order; the README table, `list` and `--help` come from it.
import type { CheckDefinition } from "../src/core/model.js";
import bannerApproval from "./banner/approval.js";
import bannerSandbox from "./banner/sandbox.js";
import configMcpApprovalTables from "./config/mcp_approval_tables.js";
import configProfile from "./config/profile.js";
import configProjectOverride from "./config/project_override.js";
import envSecrets from "./env/secrets.js";
import fsAuthJson from "./fs/auth_json.js";
import fsGitRead from "./fs/git_read.js";
import fsGitWrite from "./fs/git_write.js";
import fsHomeEphemeral from "./fs/home_ephemeral.js";
import fsOutsideRoots from "./fs/outside_roots.js";
import fsProjectWrite from "./fs/project_write.js";
import fsReadonlyPaths from "./fs/readonly_paths.js";
import hostSandbox from "./host/sandbox.js";
import launcherFlags from "./launcher/flags.js";
import launcherIntegrity from "./launcher/integrity.js";
import mcpApproval from "./mcp/approval.js";
import mcpServers from "./mcp/servers.js";
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
  bannerApproval,
  bannerSandbox,
  tuiPermissions,
  mcpServers,
  mcpApproval,
  runnerReport,
  fsAuthJson,
  fsGitWrite,
  fsGitRead,
  fsProjectWrite,
  fsReadonlyPaths,
  fsHomeEphemeral,
  fsOutsideRoots,
  netRegistry,
  netTlsVerify,
  envSecrets,
  hostSandbox,
] as const satisfies readonly CheckDefinition[];

/** The area of a check id: `fs.auth_json` → `fs`. */
export function areaOf(id: string): string {
  return id.slice(0, id.indexOf(".") < 0 ? id.length : id.indexOf("."));
}
