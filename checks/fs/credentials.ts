import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { ProbeResult } from "../../src/runner/types.js";
import { allowedBy, denyKey } from "../_profile.js";
import { describeProbe } from "../_shared.js";

/** Refused by the sandbox (a mode-000 placeholder), or hidden: not mounted inside at all. */
const UNREADABLE = new Set<string | undefined>(["EACCES", "EPERM", "ENOENT"]);

export default defineCheck({
  id: "fs.credentials",
  title: "Credential files unreadable inside",
  claim:
    "Credential files on the host (SSH keys, cloud, registry and VCS tokens, Codex's own home besides auth.json) cannot be opened inside the sandbox.",
  needs: ["runner", "credentialFiles"],
  // The config names the profile entry that let a file through.
  uses: ["config"],
  run({ runner, credentialFiles, config }, _ctx) {
    const expected =
      "every credential file that exists on the host fails to open inside (EACCES/EPERM, or ENOENT: not mounted)";
    if (credentialFiles.length === 0) {
      return outcome(
        "skip",
        expected,
        "no credential file exists on this host: nothing that could leak (checked ~/.ssh, ~/.aws, ~/.config/gcloud, ~/.azure, ~/.kube, ~/.docker, ~/.npmrc, ~/.yarnrc.yml, ~/.pypirc, ~/.netrc, ~/.git-credentials, ~/.config/gh and $CODEX_HOME)",
      );
    }
    const opened = runner.credentialFiles;
    if (!opened)
      return outcome("error", expected, "could not test: the runner did not try the credential files");
    const evidence: string[] = [];
    const leaks: string[] = [];
    const untested: string[] = [];
    for (const file of credentialFiles) {
      const open: ProbeResult | undefined = opened.find((entry) => entry.path === file.path)?.open;
      evidence.push(
        `${file.kind} ${file.path}: ${open ? (open.ok ? "opened" : (open.code ?? "failed")) : "not tried"}`,
      );
      if (!open) untested.push(`${file.path} was not tried`);
      else if (open.ok)
        leaks.push(`${file.path} (${file.kind}) opened inside: ${allowedBy(file.path, config)}`);
      else if (!UNREADABLE.has(open.code))
        untested.push(`${file.path}: open failed for another reason (${describeProbe(open)})`);
    }
    if (leaks.length > 0) {
      const home = config.ok ? config.value.home : null;
      const leaked = credentialFiles.filter((file) => opened.find((e) => e.path === file.path)?.open.ok);
      const denies = [...new Set(leaked.map((f) => `"${home ? denyKey(f.path, home) : f.path}" = "none"`))];
      return {
        ...outcome("fail", expected, leaks[0] as string, [...leaks, ...evidence]),
        remediation: `Remove the entry that lets them be read (named above), or deny them in the profile's filesystem table: ${denies.join(", ")}.`,
      };
    }
    if (untested.length > 0)
      return outcome("error", expected, `could not test: ${untested[0]}`, [...untested, ...evidence]);
    return outcome(
      "pass",
      expected,
      `none of the ${credentialFiles.length} credential files on the host opened inside`,
      evidence,
    );
  },
  remediation:
    'Keep the profile to `":minimal" = "read"`, the project and the paths the tools need; never grant `~/.ssh`, `~/.aws`, `~/.config`, `~/.codex` or `$HOME` itself, and deny a folder you must keep under a readable one (`"~/.codex" = "none"`).',
});
