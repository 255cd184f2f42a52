// What the runner found, as lines a person can read inside the session: facts, never verdicts (those come from
// checks/ on the host, or from `codex-smoke probe`).
import type { HttpAttempt } from "./net-types.js";
import type { LocalReport, NetReport, ProbeResult, RuleOutcome } from "./types.js";

function describeResult(result: ProbeResult | null | undefined): string {
  if (!result) return "-";
  const text = result.ok ? `ok ${result.code ?? ""}` : `failed ${result.code ?? ""} ${result.detail ?? ""}`;
  return text.trim();
}

/** What the client reported, unjudged: status, exit or error code, its words. */
function describeAttempt(attempt: HttpAttempt): string {
  const parts = [
    attempt.httpStatus === null ? null : `http ${attempt.httpStatus}`,
    attempt.connectStatus === null ? null : `CONNECT ${attempt.connectStatus}`,
    attempt.curlExit === null ? null : `exit ${attempt.curlExit}`,
    attempt.errorCode,
    attempt.proxyError,
    attempt.timedOut ? "timed out" : null,
    attempt.message,
  ];
  return parts.filter((part) => part !== null).join(", ") || "no answer";
}

export function localRows(report: LocalReport): Array<[string, string]> {
  const a = report.attestation;
  const ns = (kind: keyof typeof a.namespaces) => a.namespaces[kind] ?? "?";
  return [
    ["pid 1", a.pid1 ?? "?"],
    ["namespaces", `${ns("user")} ${ns("mnt")} ${ns("pid")} ${ns("net")}`],
    [
      "capabilities",
      `CapEff=${a.capEff ?? "?"} NoNewPrivs=${a.noNewPrivs ?? "?"} Seccomp=${a.seccomp ?? "?"}`,
    ],
    ["root mount", a.rootMount ?? "?"],
    ...report.authJson.map((entry): [string, string] => [`open ${entry.label}`, describeResult(entry.open)]),
    ["write into .git", describeResult(report.git.writeDir)],
    ["git add", describeResult(report.git.add)],
    ["git commit", describeResult(report.git.commit)],
    ["git status", describeResult(report.git.status)],
    ["git diff", describeResult(report.git.diff)],
    ["git log", describeResult(report.git.log)],
    ["project write", describeResult(report.project.write)],
    ["project read back", describeResult(report.project.readBack)],
    ["project remove", describeResult(report.project.remove)],
    ...report.readonlyPaths.map((r): [string, string] => [`write into ${r.path}`, describeResult(r.write)]),
    ["write into $HOME", describeResult(report.home.write)],
    ...report.outside.writes.map((w): [string, string] => [`write into ${w.dir}`, describeResult(w.write)]),
    ...report.outside.reads.map((r): [string, string] => [`open ${r.path}`, describeResult(r.open)]),
    ...report.launcherFiles.map((f): [string, string] => [
      `append to ${f.path}`,
      `${describeResult(f.append)}; folder writable: ${describeResult(f.folderWritable)}; mount: ${f.mount ?? "none"}`,
    ]),
    ...(report.credentialFiles ?? []).map((c): [string, string] => [
      `open ${c.path}`,
      describeResult(c.open),
    ]),
    ...(report.rules ?? []).map((rule, index): [string, string] => [
      `profile rule ${index}`,
      describeRule(rule),
    ]),
    ["permission profile", report.permissionProfile ?? "not set"],
    ["TLS switches", Object.keys(report.env.insecureSwitches).join(", ") || "none"],
    ["secret variables", report.env.secretNames.join(", ") || "none"],
  ];
}

function describeRule(rule: RuleOutcome): string {
  const parts = [
    ...rule.read.map((r) => `open ${r.path}: ${describeResult(r.open)}`),
    rule.append ? `append ${rule.append.path}: ${describeResult(rule.append.open)}` : null,
    rule.create
      ? `create ${rule.create.path}: ${describeResult(rule.create.write)}, open: ${describeResult(rule.create.readBack)}`
      : null,
  ];
  return parts.filter((part) => part !== null).join("; ") || "nothing to test";
}

export function netRows(report: NetReport): Array<[string, string]> {
  const env = report.environment;
  const proxy = env?.proxyVariables.HTTPS_PROXY ?? env?.proxyVariables.https_proxy;
  return [
    [
      "network proxy",
      env?.codexProxyActive ? `Codex's managed proxy ${proxy ?? ""}`.trim() : (proxy ?? "none"),
    ],
    ...(report.tlsControl?.listenError
      ? [["untrusted TLS", `cannot listen: ${report.tlsControl.listenError}`] as [string, string]]
      : []),
    ...(report.tlsControl?.attempts ?? []).map((a): [string, string] => [
      `untrusted TLS ${a.client}`,
      describeAttempt(a),
    ]),
    ...report.registry.map((a): [string, string] => [`registry ${a.client}`, describeAttempt(a)]),
  ];
}

export function table(rows: Array<[string, string]>): string {
  const width = Math.max(0, ...rows.map(([name]) => name.length));
  return rows.map(([name, text]) => `${name.padEnd(width)}  ${text}`).join("\n");
}
