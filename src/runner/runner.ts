// The in-sandbox runner. It runs inside the Codex sandbox, where only the runtime, the Codex package and the
// project are readable, so it imports nothing but Node builtins (the type import below is erased).
// It attempts each operation the README makes a claim about and records what happened: failures are data.
// It never reads a protected file (auth.json, canaries are only opened) and never reports file contents.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Attestation, HttpProbe, ProbeResult, RunnerInput, RunnerReport } from "./report-types.js";

const DEFAULT_NETWORK_TIMEOUT_MS = 5_000;
// git runs locally; the bound only keeps a wedged process from outliving exec_command's 30 s yield.
const GIT_TIMEOUT_MS = 8_000;
const DETAIL_MAX = 200;
const REPORT_LINE_PREFIX = "CODEX_SMOKE_REPORT ";
const SECRET_NAME = /(TOKEN|SECRET|PASSW|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH)/i;
// Codes that mean "the sandbox refused", as opposed to a missing identity, a bad argument or a timeout.
const DENIED = ["EROFS", "EACCES", "EPERM"];
const CERT_REJECTED = [
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
];

// --- small helpers --------------------------------------------------------------------------------------------

function firstLine(text: string): string {
  return (text.split("\n").find((line) => line.trim() !== "") ?? "").trim().slice(0, DETAIL_MAX);
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown };
  return typeof e?.code === "string" ? e.code : typeof e?.name === "string" ? e.name : "ERROR";
}

function failed(error: unknown): ProbeResult {
  return { ok: false, code: errorCode(error), detail: firstLine(String((error as Error)?.message ?? error)) };
}

function attempt(operation: () => void): ProbeResult {
  try {
    operation();
    return { ok: true };
  } catch (error) {
    return failed(error);
  }
}

interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not start (ENOENT) or was killed at the deadline (TIMEOUT). */
  error?: string;
}

/**
 * Async spawn with stdin ignored: spawnSync's piped stdin fails with EPERM under the network-off seccomp filter.
 * The child is killed at the deadline.
 */
function runProcess(command: string, args: string[], cwd: string, timeoutMs: number): Promise<ProcessResult> {
  return new Promise((done) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      done({ exitCode: null, stdout, stderr, error: errorCode(error) });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ exitCode: code, stdout, stderr, ...(timedOut ? { error: "TIMEOUT" } : {}) });
    });
  });
}

// --- attestation ----------------------------------------------------------------------------------------------

function statusField(status: string, field: string): string | null {
  const match = status.match(new RegExp(`^${field}:\\s*(\\S+)`, "m"));
  return match?.[1] ?? null;
}

function attest(): Attestation {
  let status = "";
  let pid1: string | null = null;
  try {
    status = readFileSync("/proc/self/status", "utf8");
  } catch {
    // no /proc: every signal stays null and the run is not attested
  }
  try {
    pid1 = readFileSync("/proc/1/cmdline", "utf8").split("\0")[0] || null;
  } catch {
    // pid 1 of another namespace may be unreadable
  }
  const seccomp = statusField(status, "Seccomp");
  const noNewPrivs = statusField(status, "NoNewPrivs");
  const capEff = statusField(status, "CapEff");
  const sandboxed = seccomp === "2" && noNewPrivs === "1" && capEff !== null && /^0+$/.test(capEff);
  return { seccomp, noNewPrivs, capEff, pid1, sandboxed };
}

// --- filesystem -----------------------------------------------------------------------------------------------

function markerContent(nonce: string): string {
  return `codex-smoke ${nonce}\n`;
}

function readBack(path: string, nonce: string): ProbeResult {
  try {
    const same = readFileSync(path, "utf8") === markerContent(nonce);
    return same ? { ok: true } : { ok: false, code: "MISMATCH", detail: "read back different content" };
  } catch (error) {
    return failed(error);
  }
}

/** Opens and closes at once: proves readability without reading a byte. */
function openOnly(path: string): ProbeResult {
  return attempt(() => closeSync(openSync(path, "r")));
}

function writeIntoReadonly(
  project: string,
  relative: string,
  nonce: string,
): RunnerReport["readonlyPaths"][number] {
  const dir = join(project, relative);
  const marker = join(dir, `codex-smoke-${nonce}`);
  const existed = existsSync(dir);
  // Non-recursive: a recursive mkdir on a read-only tree reports ENOENT instead of EROFS.
  const write = existed
    ? attempt(() => writeFileSync(marker, markerContent(nonce)))
    : attempt(() => {
        mkdirSync(dir);
        writeFileSync(marker, markerContent(nonce));
      });
  return { path: relative, existed, write, marker };
}

function writeHome(home: string, nonce: string): RunnerReport["home"] {
  const marker = join(home, `.codex-smoke-${nonce}`);
  let write = attempt(() => writeFileSync(marker, markerContent(nonce)));
  // Under a :minimal profile $HOME exists only if something under it is bound; the tmpfs root lets us make it.
  if (write.code === "ENOENT") {
    write = attempt(() => {
      mkdirSync(home, { recursive: true });
      writeFileSync(marker, markerContent(nonce));
    });
  }
  return {
    path: home,
    write,
    readBack: write.ok ? readBack(marker, nonce) : { ok: false, code: "SKIPPED" },
    marker,
  };
}

// --- git ------------------------------------------------------------------------------------------------------

/** A git command that writes: only a permission or read-only error counts as blocked. */
function gitWriteResult(result: ProcessResult): ProbeResult {
  if (result.error) return { ok: false, code: result.error, detail: firstLine(result.stderr) };
  if (result.exitCode === 0) return { ok: true };
  const detail = firstLine(result.stderr);
  const code = /Read-only file system/i.test(result.stderr)
    ? "EROFS"
    : /Permission denied/i.test(result.stderr)
      ? "EACCES"
      : /Operation not permitted/i.test(result.stderr)
        ? "EPERM"
        : `exit:${result.exitCode}`;
  return { ok: false, code, detail };
}

function gitReadResult(result: ProcessResult): ProbeResult {
  if (result.exitCode === 0 && !result.error) return { ok: true };
  return { ok: false, code: result.error ?? `exit:${result.exitCode}`, detail: firstLine(result.stderr) };
}

async function probeGit(input: RunnerInput, projectMarkerName: string): Promise<RunnerReport["git"]> {
  const git = (...args: string[]) => runProcess("git", args, input.project, GIT_TIMEOUT_MS);
  const writeDir = attempt(() =>
    writeFileSync(join(input.project, ".git", `codex-smoke-${input.nonce}`), markerContent(input.nonce)),
  );
  const add = gitWriteResult(await git("add", "--", projectMarkerName));
  const commit = gitWriteResult(
    await git(
      "-c",
      "user.name=codex-smoke",
      "-c",
      "user.email=codex-smoke@invalid",
      "commit",
      "--no-verify",
      "--allow-empty",
      "-m",
      `codex-smoke probe ${input.nonce}`,
    ),
  );
  const [status, diff, log] = await Promise.all([
    git("status", "--porcelain"),
    git("diff", "--stat"),
    git("log", "-1", "--oneline"),
  ]);
  return {
    isRepo: existsSync(join(input.project, ".git")),
    writeDir,
    add,
    commit,
    status: gitReadResult(status),
    diff: gitReadResult(diff),
    log: gitReadResult(log),
  };
}

// --- network --------------------------------------------------------------------------------------------------

async function curlProbe(url: string, timeoutMs: number, cwd: string): Promise<HttpProbe> {
  const args = [
    "-fsS",
    "-o",
    "/dev/null",
    "--max-time",
    String(timeoutMs / 1000),
    "-w",
    "%{http_code} %{ssl_verify_result}",
  ];
  // The extra second lets curl report its own timeout (exit 28) before we kill it.
  const result = await runProcess("curl", [...args, url], cwd, timeoutMs + 1_000);
  if (result.error === "ENOENT")
    return { ok: false, code: "ENOENT", detail: "curl not found", exitCode: null };
  const [status = "000", verify = ""] = result.stdout.trim().split(" ");
  const httpStatus = status === "000" ? null : Number(status);
  const verifyResult = verify === "" ? null : Number(verify);
  // ssl_verify_result is 0 also when no handshake happened: only meaningful once TLS was reached.
  const sslVerifyResult =
    url.startsWith("https:") && (httpStatus !== null || (verifyResult ?? 0) !== 0) ? verifyResult : null;
  const exitCode = result.exitCode;
  if (exitCode === 0) return { ok: true, code: `http:${httpStatus}`, exitCode, httpStatus, sslVerifyResult };
  return {
    ok: false,
    code: result.error ?? `exit:${exitCode}`,
    detail: firstLine(result.stderr),
    exitCode,
    httpStatus,
    sslVerifyResult,
  };
}

async function fetchProbe(url: string, timeoutMs: number): Promise<HttpProbe> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    const code = `http:${response.status}`;
    return { ok: response.ok, code, exitCode: null, httpStatus: response.status, sslVerifyResult: null };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const reason = errorCode(error) === "TimeoutError" || cause === undefined ? error : cause;
    return { ...failed(reason), exitCode: null, httpStatus: null, sslVerifyResult: null };
  }
}

function curlrcIsInsecure(home: string): boolean {
  try {
    // ~/.curlrc is configuration, not a secret: reading it is fine.
    const text = readFileSync(join(home, ".curlrc"), "utf8");
    return /^\s*(--?insecure|-k)\b/m.test(text);
  } catch {
    return false;
  }
}

/** Variables (and ~/.curlrc) that switch TLS verification off, only when they do. */
function insecureSwitches(home: string): Record<string, string> {
  const env = process.env;
  const found: Record<string, string> = {};
  const off = (name: string, disables: (value: string) => boolean) => {
    const value = env[name];
    if (value !== undefined && disables(value)) found[name] = value;
  };
  off("NODE_TLS_REJECT_UNAUTHORIZED", (v) => v === "0");
  off("GIT_SSL_NO_VERIFY", (v) => v !== "" && v.toLowerCase() !== "false");
  off("npm_config_strict_ssl", (v) => v.toLowerCase() === "false");
  off("NPM_CONFIG_STRICT_SSL", (v) => v.toLowerCase() === "false");
  off("PYTHONHTTPSVERIFY", (v) => v === "0");
  off("CURL_INSECURE", (v) => v !== "" && v !== "0" && v.toLowerCase() !== "false");
  if (curlrcIsInsecure(home)) found.curlrc = "insecure";
  return found;
}

// --- the run --------------------------------------------------------------------------------------------------

export async function runProbes(input: RunnerInput): Promise<RunnerReport> {
  const started = Date.now();
  const timeoutMs = input.networkTimeoutMs || DEFAULT_NETWORK_TIMEOUT_MS;
  const { nonce, project } = input;

  // The network probes run in the background while the filesystem probes run.
  const registry = input.registryUrl;
  const tlsUrl = input.untrustedTlsUrl;
  const network = Promise.all([
    registry ? curlProbe(registry, timeoutMs, project) : null,
    registry ? fetchProbe(registry, timeoutMs) : null,
    tlsUrl ? curlProbe(tlsUrl, timeoutMs, project) : null,
    tlsUrl ? fetchProbe(tlsUrl, timeoutMs) : null,
  ]);

  const attestation = attest();
  const authJson = {
    path: input.authJsonPath,
    exists: existsSync(input.authJsonPath),
    open: openOnly(input.authJsonPath),
  };

  const projectMarkerName = `codex-smoke-${nonce}.txt`;
  const projectMarker = join(project, projectMarkerName);
  const projectWrite = attempt(() => writeFileSync(projectMarker, markerContent(nonce)));
  const projectReadBack = projectWrite.ok ? readBack(projectMarker, nonce) : { ok: false, code: "SKIPPED" };

  const git = await probeGit(input, projectMarkerName);
  const readonlyPaths = input.readonlyPaths.map((relative) => writeIntoReadonly(project, relative, nonce));
  const home = writeHome(input.home, nonce);
  const outside = {
    writes: input.outsideWriteDirs.map((dir) => {
      const marker = join(dir, `.codex-smoke-${nonce}`);
      return { dir, write: attempt(() => writeFileSync(marker, markerContent(nonce))), marker };
    }),
    reads: input.outsideReadFiles.map((path) => ({ path, open: openOnly(path) })),
  };

  const [registryCurl, registryFetch, tlsCurl, tlsFetch] = await network;
  const projectRemove = projectWrite.ok
    ? attempt(() => unlinkSync(projectMarker))
    : { ok: false, code: "SKIPPED" };

  return {
    schema: 1,
    tool: "codex-smoke-runner",
    nonce,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    node: process.version,
    uid: process.getuid?.() ?? -1,
    cwd: process.cwd(),
    attestation,
    authJson,
    git,
    project: { write: projectWrite, readBack: projectReadBack, remove: projectRemove, marker: projectMarker },
    readonlyPaths,
    home,
    outside,
    network: { registryUrl: registry, curl: registryCurl, fetch: registryFetch },
    tls: { url: tlsUrl, curl: tlsCurl, fetch: tlsFetch, insecureSwitches: insecureSwitches(input.home) },
    env: {
      secretNames: Object.keys(process.env)
        .filter((name) => SECRET_NAME.test(name))
        .sort(),
    },
  };
}

// --- output ---------------------------------------------------------------------------------------------------

function outcome(result: ProbeResult | null): string {
  if (!result) return "-";
  const text = result.ok ? `ok ${result.code ?? ""}` : `ERR ${result.code ?? ""} ${result.detail ?? ""}`;
  return text.trim();
}

/** One line per probe: `name outcome`. */
function probeLines(report: RunnerReport): Array<[string, string]> {
  const a = report.attestation;
  return [
    [
      "attestation",
      `${a.sandboxed ? "sandboxed" : "NOT sandboxed"} seccomp=${a.seccomp} nnp=${a.noNewPrivs} capeff=${a.capEff} pid1=${a.pid1}`,
    ],
    ["auth.json open", outcome(report.authJson.open)],
    ["git .git write", outcome(report.git.writeDir)],
    ["git add", outcome(report.git.add)],
    ["git commit", outcome(report.git.commit)],
    ["git status", outcome(report.git.status)],
    ["git diff", outcome(report.git.diff)],
    ["git log", outcome(report.git.log)],
    ["project write", outcome(report.project.write)],
    ["project read back", outcome(report.project.readBack)],
    ["project remove", outcome(report.project.remove)],
    ...report.readonlyPaths.map((r): [string, string] => [`readonly ${r.path} write`, outcome(r.write)]),
    ["home write", outcome(report.home.write)],
    ["home read back", outcome(report.home.readBack)],
    ...report.outside.writes.map((w): [string, string] => [`outside ${w.dir} write`, outcome(w.write)]),
    ...report.outside.reads.map((r): [string, string] => [`outside ${r.path} open`, outcome(r.open)]),
    ["registry curl", outcome(report.network.curl)],
    ["registry fetch", outcome(report.network.fetch)],
    ["tls curl", outcome(report.tls.curl)],
    ["tls fetch", outcome(report.tls.fetch)],
    ["tls switches", Object.keys(report.tls.insecureSwitches).join(",") || "none"],
    ["env secret names", report.env.secretNames.join(",") || "none"],
  ];
}

function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, text]) => `${name.padEnd(width)}  ${text}`).join("\n");
}

/** Writes to a temp name in the same directory, then renames: a reader never sees half a report. */
function writeReport(path: string, report: RunnerReport): string | null {
  const temporary = `${path}.${report.nonce}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(report, null, 2)}\n`);
    renameSync(temporary, path);
    return null;
  } catch (error) {
    return errorCode(error);
  }
}

function withDefaults(
  input: Partial<RunnerInput> & Pick<RunnerInput, "nonce" | "reportPath" | "project">,
): RunnerInput {
  const home = input.home ?? process.env.HOME ?? "/";
  return {
    home,
    authJsonPath: join(home, ".codex", "auth.json"),
    readonlyPaths: [],
    outsideWriteDirs: [],
    outsideReadFiles: [],
    registryUrl: null,
    untrustedTlsUrl: null,
    ...input,
    networkTimeoutMs: input.networkTimeoutMs || DEFAULT_NETWORK_TIMEOUT_MS,
  };
}

/** `node runner.js <input.json>`: the door `run` uses. Exits 0 whenever it could run: failures are data. */
export async function main(argv: string[]): Promise<number> {
  const inputPath = argv[0];
  if (!inputPath) {
    process.stderr.write("usage: node runner.js <input.json>\n");
    return 2;
  }
  let input: RunnerInput;
  try {
    input = withDefaults(JSON.parse(readFileSync(resolve(inputPath), "utf8")));
  } catch (error) {
    process.stdout.write(`CODEX_SMOKE_RUNNER nonce=unknown report=failed:INPUT_${errorCode(error)}\n`);
    return 2;
  }
  const report = await runProbes(input);
  const writeError = writeReport(input.reportPath, report);
  // The first line is short and early: the model channel may truncate long command output.
  const status = writeError ? `failed:${writeError}` : "written";
  process.stdout.write(`CODEX_SMOKE_RUNNER nonce=${report.nonce} report=${status}\n`);
  process.stdout.write(`${table(probeLines(report))}\n`);
  if (writeError) process.stdout.write(`${REPORT_LINE_PREFIX}${JSON.stringify(report)}\n`);
  return 0;
}

// --- `codex-smoke probe`: the door for an agent inside a live session -----------------------------------------

type Verdict = "PASS" | "FAIL" | "WARN" | "INFO";

const blocked = (result: ProbeResult, codes: string[]) => !result.ok && codes.includes(result.code ?? "");
const judge = (pass: boolean): Verdict => (pass ? "PASS" : "FAIL");

function httpOk(curl: HttpProbe | null, fetched: HttpProbe | null): boolean {
  return Boolean(curl?.ok && fetched?.ok);
}

function certRejected(curl: HttpProbe | null, fetched: HttpProbe | null): boolean {
  return curl?.code === "exit:60" && CERT_REJECTED.includes(fetched?.code ?? "");
}

/** The README's claims as seen from inside: what should succeed and what the sandbox should refuse. */
function verdicts(report: RunnerReport): Array<[Verdict, string, string]> {
  const rows: Array<[Verdict, string, string]> = [];
  const add = (verdict: Verdict, name: string, observed: string) => rows.push([verdict, name, observed]);
  const { git, project, network, tls } = report;
  add(
    judge(blocked(report.authJson.open, [...DENIED, "ENOENT"])),
    "auth.json cannot be opened",
    outcome(report.authJson.open),
  );
  add(judge(blocked(git.writeDir, DENIED)), ".git is read-only", outcome(git.writeDir));
  add(judge(blocked(git.add, DENIED)), "git add is blocked", outcome(git.add));
  add(judge(blocked(git.commit, DENIED)), "git commit is blocked", outcome(git.commit));
  for (const [label, result] of [
    ["status", git.status],
    ["diff", git.diff],
    ["log", git.log],
  ] as const) {
    add(judge(result.ok), `git ${label} works`, outcome(result));
  }
  add(
    judge(project.write.ok && project.readBack.ok && project.remove.ok),
    "project is writable",
    outcome(project.write),
  );
  for (const r of report.readonlyPaths) {
    add(judge(blocked(r.write, DENIED)), `${r.path} is read-only`, outcome(r.write));
  }
  add(judge(report.home.write.ok), "$HOME writes appear to succeed", outcome(report.home.write));
  for (const w of report.outside.writes) {
    // Inside, a write into the sandbox's tmpfs root also succeeds; only the host can tell whether it persisted.
    add("INFO", `write into ${w.dir}`, outcome(w.write));
  }
  for (const r of report.outside.reads) add(judge(!r.open.ok), `${r.path} cannot be opened`, outcome(r.open));
  if (network.registryUrl) {
    add(
      judge(httpOk(network.curl, network.fetch)),
      `registry ${network.registryUrl}`,
      `curl ${outcome(network.curl)}; fetch ${outcome(network.fetch)}`,
    );
  } else {
    add("INFO", "registry", "no registry URL known");
  }
  if (tls.url) {
    add(
      judge(certRejected(tls.curl, tls.fetch)),
      "untrusted certificate is rejected",
      `curl ${outcome(tls.curl)}; fetch ${outcome(tls.fetch)}`,
    );
  }
  const switches = Object.entries(tls.insecureSwitches).map(([name, value]) => `${name}=${value}`);
  add(judge(switches.length === 0), "nothing disables TLS verification", switches.join(" ") || "none");
  const secrets = report.env.secretNames;
  add(secrets.length === 0 ? "PASS" : "WARN", "no secret-looking variables", secrets.join(",") || "none");
  return rows;
}

function outsideDefaults(project: string, home: string): string[] {
  return [...new Set([dirname(project), home, "/tmp", "/var/tmp"])];
}

function stagedInput(cwd: string): Partial<RunnerInput> {
  const path = join(cwd, ".codex-smoke", "input.json");
  if (!existsSync(path)) return {};
  return JSON.parse(readFileSync(path, "utf8")) as Partial<RunnerInput>;
}

/**
 * Run outside any sandbox (someone ran `probe` in their own shell), the probes really wrote into $HOME, /tmp,
 * the read-only folders and the repository, where no host step will clean up: undo that here. Inside a sandbox
 * the markers stay, for `run --probe-report` to judge what persisted and restore it (decisions §8).
 */
async function undoUnsandboxedRun(report: RunnerReport, input: RunnerInput): Promise<string[]> {
  const undone: string[] = [];
  const remove = (path: string, recursive = false) => {
    if (!existsSync(path)) return;
    rmSync(path, { recursive, force: true });
    undone.push(`removed ${path}`);
  };
  for (const write of report.outside.writes) if (write.write.ok) remove(write.marker);
  if (report.home.write.ok) remove(report.home.marker);
  for (const r of report.readonlyPaths) {
    if (r.write.ok) remove(r.existed ? r.marker : dirname(r.marker), !r.existed);
  }
  if (report.git.writeDir.ok) remove(join(input.project, ".git", `codex-smoke-${input.nonce}`));
  const git = (...args: string[]) => runProcess("git", args, input.project, GIT_TIMEOUT_MS);
  const subject = (await git("log", "-1", "--format=%s")).stdout.trim();
  if (report.git.commit.ok && subject === `codex-smoke probe ${input.nonce}`) {
    // The probe commit holds what was staged before it: a soft reset gives that index back unchanged.
    const parent = await git("rev-parse", "--verify", "-q", "HEAD~1");
    await (parent.exitCode === 0 ? git("reset", "-q", "--soft", "HEAD~1") : git("update-ref", "-d", "HEAD"));
    undone.push("undid the probe commit");
  }
  if (report.git.add.ok) {
    await git("rm", "-q", "--cached", "--ignore-unmatch", "--", basename(report.project.marker));
    undone.push("unstaged the project marker");
  }
  return undone;
}

/** `codex-smoke probe [--out <file>]`: exit 0 when every claim holds inside this session, else 1. */
export async function probeCommand(args: string[]): Promise<number> {
  const outIndex = args.indexOf("--out");
  const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
  if (outIndex >= 0 && !out) {
    process.stderr.write("usage: codex-smoke probe [--out <file>]\n");
    return 2;
  }
  const cwd = process.cwd();
  const home = process.env.HOME ?? "/";
  const registry = process.env.npm_config_registry;
  const staged = stagedInput(cwd);
  const input = withDefaults({
    nonce: randomBytes(8).toString("hex"),
    project: cwd,
    home,
    authJsonPath: join(home, ".codex", "auth.json"),
    readonlyPaths: [".codex", "www.azinstitute4autism.com"],
    outsideWriteDirs: outsideDefaults(cwd, home),
    registryUrl: registry ? `${registry.replace(/\/?$/, "/")}astro` : null,
    ...staged,
    reportPath: resolve(out ?? staged.reportPath ?? join(cwd, ".codex-smoke-report.json")),
  });

  const report = await runProbes(input);
  const writeError = writeReport(input.reportPath, report);
  const lines: string[] = [];
  if (!report.attestation.sandboxed) {
    lines.push("NOT SANDBOXED — results below do not describe the sandbox");
    lines.push(...(await undoUnsandboxedRun(report, input)).map((line) => `(${line})`));
  }
  const rows = verdicts(report);
  lines.push(table(rows.map(([verdict, name, observed]) => [`${verdict}  ${name}`, observed])));
  const anyFail = rows.some(([verdict]) => verdict === "FAIL");
  const passed = report.attestation.sandboxed && !anyFail;
  lines.push(writeError ? `report not written (${writeError})` : `report: ${input.reportPath}`);
  lines.push(`overall: ${report.attestation.sandboxed ? (passed ? "PASS" : "FAIL") : "NOT SANDBOXED"}`);
  process.stdout.write(`${lines.join("\n")}\n`);
  return passed ? 0 : 1;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  // process.exit, not a natural end: a DNS lookup the timeout abandoned would keep the process alive.
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stdout.write(`CODEX_SMOKE_RUNNER nonce=unknown report=failed:${errorCode(error)}\n`);
      process.exit(1);
    },
  );
}
