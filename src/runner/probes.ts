// The two parts of a runner run. `local` (attestation, filesystem, git, environment) and `net` (registry and the
// TLS control) are separate commands: Codex kills a whole command when its network proxy blocks a request, and a
// blocked registry must cost only the network findings (decisions §8b).
import { attest } from "./attest.js";
import { environmentFacts } from "./env.js";
import {
  probeAuthJson,
  probeHome,
  probeOutside,
  probeReadonlyPaths,
  removeProjectMarker,
  writeProjectMarker,
} from "./fs.js";
import { probeGit } from "./git.js";
import { probeLauncherFiles } from "./integrity.js";
import { curlAttempt, fetchAttempt, netEnvironment, proxyAnswerAttempt, tlsNegativeControl } from "./net.js";
import { probeCredentialFiles, probeRules } from "./rules.js";
import type { LocalReport, NetReport, RunnerInput } from "./types.js";

export async function runLocalProbes(input: RunnerInput): Promise<LocalReport> {
  const started = Date.now();
  const attestation = attest(input.hostNamespaces);
  // Before any write: the probe of the launcher's files changes nothing, whatever the other probes do.
  const launcherFiles = probeLauncherFiles(input.launcherFiles);
  const authJson = probeAuthJson(input);
  const written = writeProjectMarker(input);
  const git = await probeGit(input);
  const readonlyPaths = probeReadonlyPaths(input);
  const home = probeHome(input);
  const outside = probeOutside(input);
  const credentialFiles = probeCredentialFiles(input);
  const rules = probeRules(input);
  const remove = removeProjectMarker(input, written.write.ok);
  return {
    schema: 2,
    tool: "codex-smoke-runner",
    part: "local",
    nonce: input.nonce,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    node: process.version,
    uid: process.getuid?.() ?? -1,
    cwd: process.cwd(),
    attestation,
    authJson,
    git,
    project: { ...written, remove },
    readonlyPaths,
    home,
    outside,
    env: environmentFacts(process.env, input.home),
    launcherFiles,
    permissionProfile: process.env.CODEX_PERMISSION_PROFILE ?? null,
    credentialFiles,
    rules,
  };
}

/**
 * Probes that cannot be blocked go first (the environment, the TLS control reached around any proxy), the
 * registry through the environment's proxy last: curl (the README's claim), the proxy's own answer when curl
 * failed, then Node's fetch. `record` is called after each, so what ran before Codex killed the command is kept.
 */
export async function runNetProbes(
  input: RunnerInput,
  record: (report: NetReport) => void,
): Promise<NetReport> {
  const started = Date.now();
  const report: NetReport = {
    schema: 2,
    tool: "codex-smoke-runner",
    part: "net",
    nonce: input.nonce,
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    complete: false,
    environment: null,
    tlsControl: null,
    registry: [],
  };
  const save = () => record(structuredClone({ ...report, durationMs: Date.now() - started }));
  const opts = { timeoutMs: input.networkTimeoutMs };
  save();
  report.environment = await netEnvironment(opts);
  save();
  if (input.tlsControl) {
    report.tlsControl = await tlsNegativeControl(input.tlsControl, opts);
    save();
  }
  if (input.registryUrl) {
    const curl = await curlAttempt(input.registryUrl, opts);
    report.registry.push(curl);
    save();
    const proxyAnswer = curl.curlExit === 0 ? null : proxyAnswerAttempt(input.registryUrl, opts);
    if (proxyAnswer) {
      report.registry.push(await proxyAnswer);
      save();
    }
    report.registry.push(await fetchAttempt(input.registryUrl, opts));
    save();
  }
  report.complete = true;
  save();
  return { ...report, durationMs: Date.now() - started };
}
