// Probes for the setup's own rules: the credential files the host listed (opened, never read), each filesystem
// entry of the permission profile (read, append-open without writing, create where the host chose), and one domain
// rule of the managed proxy per command (a blocked request makes Codex kill the whole command, decisions §8b).
import { closeSync, constants, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { attempt, errorCode, failed, SKIPPED } from "./kit.js";
import { markerContent } from "./markers.js";
import { curlAttempt } from "./net.js";
import type {
  DomainResult,
  DomainsReport,
  LocalReport,
  ProbeResult,
  RuleOutcome,
  RunnerInput,
} from "./types.js";

/** The errno alone: the message only repeats the path, and the report must stay small (the model channel). */
const bare = (result: ProbeResult): ProbeResult => (result.ok ? result : { ok: false, code: result.code });

/** Opens and closes at once: proves readability without reading a byte. */
const openOnly = (path: string): ProbeResult => bare(attempt(() => closeSync(openSync(path, "r"))));

/** Opens for append and closes without writing: proves writability and changes nothing (decisions §23). */
const appendOnly = (path: string): ProbeResult =>
  bare(attempt(() => closeSync(openSync(path, constants.O_WRONLY | constants.O_APPEND))));

function create(path: string, nonce: string): RuleOutcome["create"] {
  // "wx": never an existing file, never through a link planted at that name.
  const write = bare(attempt(() => writeFileSync(path, markerContent(nonce), { flag: "wx" })));
  if (!write.ok) return { path, write, readBack: SKIPPED };
  try {
    const same = readFileSync(path, "utf8") === markerContent(nonce);
    return { path, write, readBack: same ? { ok: true } : { ok: false, code: "MISMATCH" } };
  } catch (error) {
    return { path, write, readBack: bare(failed(error)) };
  }
}

export function probeCredentialFiles(input: RunnerInput): LocalReport["credentialFiles"] {
  return (input.credentialFiles ?? []).map((path) => ({ path, open: openOnly(path) }));
}

export function probeRules(input: RunnerInput): RuleOutcome[] {
  return (input.rules ?? []).map((rule) => ({
    read: rule.read.map((path) => ({ path, open: openOnly(path) })),
    append: rule.append === null ? null : { path: rule.append, open: appendOnly(rule.append) },
    create: rule.create === null ? null : create(rule.create, input.nonce),
  }));
}

/** The domains report so far (earlier commands' results), when it is this run's; else a new one. */
function domainsSoFar(path: string, nonce: string): DomainsReport {
  try {
    const report = JSON.parse(readFileSync(path, "utf8")) as DomainsReport;
    if (report.part === "domains" && report.nonce === nonce && Array.isArray(report.results)) return report;
  } catch {
    // none yet
  }
  return {
    schema: 2,
    tool: "codex-smoke-runner",
    part: "domains",
    nonce,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    results: [],
  };
}

/**
 * One domain probe: curl through Codex's proxy. Without the proxy no domain rule applies and nothing is sent (a
 * denied domain would otherwise really be contacted). Returns the report with this result added.
 */
export async function runDomainProbe(
  input: RunnerInput,
  index: number,
): Promise<{ report: DomainsReport; writeError: string | null }> {
  const started = Date.now();
  const probe = input.domains?.[index];
  const report = domainsSoFar(input.reports.domains, input.nonce);
  if (!probe) return { report, writeError: "NO_SUCH_PROBE" };
  const proxyActive = process.env.CODEX_NETWORK_PROXY_ACTIVE === "1";
  const result: DomainResult = {
    index,
    host: probe.host,
    proxyActive,
    attempt: proxyActive ? await curlAttempt(probe.url, { timeoutMs: input.networkTimeoutMs }) : null,
  };
  report.results = [...report.results.filter((r) => r.index !== index), result];
  report.durationMs += Date.now() - started;
  const temporary = `${input.reports.domains}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(report, null, 2)}\n`);
    renameSync(temporary, input.reports.domains);
    return { report, writeError: null };
  } catch (error) {
    return { report, writeError: errorCode(error) };
  }
}
