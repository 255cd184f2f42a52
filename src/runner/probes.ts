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
import { attempt } from "./kit.js";
import { curlAttempt, fetchAttempt, serveUntrustedTls } from "./net-interim.js";
import type { LocalReport, NetReport, RunnerInput } from "./types.js";

export async function runLocalProbes(input: RunnerInput): Promise<LocalReport> {
  const started = Date.now();
  const attestation = attest(input.hostNamespaces);
  const authJson = probeAuthJson(input);
  const written = writeProjectMarker(input);
  const git = await probeGit(input);
  const readonlyPaths = probeReadonlyPaths(input);
  const home = probeHome(input);
  const outside = probeOutside(input);
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
  };
}

/**
 * Probes that bypass any proxy go first, the registry through the environment's proxy last; `record` is called
 * after each, so what ran before Codex killed the command is kept.
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
    registry: [],
    tlsControl: null,
  };
  const save = () => record(structuredClone({ ...report, durationMs: Date.now() - started }));
  save();
  const timeout = input.networkTimeoutMs;
  if (input.tlsControl) {
    let server: { url: string; close(): void } | null = null;
    const tls = input.tlsControl;
    const serve = await serveUntrustedTls(tls).then(
      (s) => {
        server = s;
        return attempt(() => undefined);
      },
      (error: unknown) =>
        attempt(() => {
          throw error;
        }),
    );
    report.tlsControl = { serve, attempts: [] };
    const url = (server as { url: string } | null)?.url;
    if (url) {
      report.tlsControl.attempts.push(await curlAttempt(url, timeout, { noProxy: true }));
      save();
      report.tlsControl.attempts.push(await fetchAttempt(url, timeout));
      save();
    }
    (server as { close(): void } | null)?.close();
  }
  if (input.registryUrl) {
    report.registry.push(await fetchAttempt(input.registryUrl, timeout));
    save();
    report.registry.push(await curlAttempt(input.registryUrl, timeout));
    save();
  }
  report.complete = true;
  save();
  return { ...report, durationMs: Date.now() - started };
}
