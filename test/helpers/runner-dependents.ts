/** The checks that read the runner's reports: what a runner that never ran leaves untested (written out, not
 * derived from the registry, so a check that stops depending on the runner shows up as a test change). */
export const RUNNER_DEPENDENTS = [
  "launcher.integrity",
  "fs.auth_json",
  "fs.credentials",
  "fs.git_write",
  "fs.git_read",
  "fs.project_write",
  "fs.readonly_paths",
  "fs.home_ephemeral",
  "fs.outside_roots",
  "fs.profile_rules",
  "net.registry",
  "net.tls_verify",
  "env.secrets",
];
