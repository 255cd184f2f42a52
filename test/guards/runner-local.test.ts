// The runner's local part on the host, where it can run without Codex: its command line (main.ts), the report it
// writes (or prints when it cannot), the lines a person reads (describe.ts), the environment's TLS switches
// (env.ts), the filesystem and git probes where they fail (fs.ts, git.ts) and the attestation (attest.ts).
// Outside a sandbox most probes succeed; the failures here are real ones (missing paths, a broken repository).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { attest, ownNamespaces } from "../../src/runner/attest.js";
import { localRows, netRows, table } from "../../src/runner/describe.js";
import { environmentFacts } from "../../src/runner/env.js";
import {
  probeHome,
  probeOutside,
  probeReadonlyPaths,
  removeProjectMarker,
  writeProjectMarker,
} from "../../src/runner/fs.js";
import { probeGit } from "../../src/runner/git.js";
import { errorCode, failed, firstLine, runProcess } from "../../src/runner/kit.js";
import { main, REPORT_LINE_PREFIX, runPart, STATUS_LINE_PREFIX, writeReport } from "../../src/runner/main.js";
import { markerContent, PROBE_COMMIT, PROBE_MARKERS } from "../../src/runner/markers.js";
import type { LocalReport, RunnerInput } from "../../src/runner/types.js";
import { healthyFacts, attempt as httpAttempt } from "../fixtures/facts/healthy.js";
import { pinGitNowhere } from "../helpers/git-nowhere.js";
import { tempDirs } from "../helpers/temp-dirs.js";

// git run by the code under test never reaches this checkout (test/helpers/git-nowhere.ts).
pinGitNowhere();

afterEach(() => vi.restoreAllMocks());
const { tempDir } = tempDirs("test-guard-runner-");

/** A project (a git repository unless told), a HOME, and the input the host would stage for them. */
function setup(opts: { repo?: boolean } = {}): RunnerInput {
  const root = tempDir();
  const project = join(root, "project");
  const home = join(root, "home");
  mkdirSync(join(project, ".codex"), { recursive: true });
  mkdirSync(home);
  if (opts.repo !== false) {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: project });
    git("init", "-q");
    git("-c", "user.name=t", "-c", "user.email=t@invalid", "commit", "-q", "--allow-empty", "-m", "init");
  }
  const nonce = randomBytes(6).toString("hex");
  const staging = join(project, `.codex-smoke-${nonce}`);
  mkdirSync(staging);
  return {
    schema: 2,
    nonce,
    project,
    home,
    reports: {
      local: join(staging, "report.local.json"),
      net: join(staging, "report.net.json"),
      domains: join(staging, "report.domains.json"),
    },
    hostNamespaces: ownNamespaces(),
    isRepo: opts.repo !== false,
    authJson: [],
    readonlyPaths: [".codex"],
    outsideWriteDirs: [],
    outsideReadFiles: [],
    registryUrl: null,
    tlsControl: null,
    networkTimeoutMs: 2_000,
    launcherFiles: [],
  };
}

/** What main() printed, line by line. */
function captureStdout(): () => string[] {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return () => chunks.join("").split("\n");
}

describe("the runner's command line", () => {
  it("without an input or with an unknown part: usage, exit 2", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(await main([])).toBe(2);
    expect(await main(["input.json", "both"])).toBe(2);
    expect(await main(["input.json", "local", "extra"])).toBe(2);
    expect(stderr).toHaveBeenCalledTimes(3);
    expect(stderr).toHaveBeenCalledWith(
      "usage: node runner.mjs <input.json> local|net|domains <index> [--force]\n",
    );
  });

  it("on the host (outside a sandbox) without --force: refused, exit 3, nothing written", async () => {
    const input = setup();
    writeFileSync(join(input.project, "input.json"), JSON.stringify(input));
    const lines = captureStdout();
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(await main([join(input.project, "input.json"), "local"])).toBe(3);
    expect(lines()).toEqual([`${STATUS_LINE_PREFIX}nonce=${input.nonce} part=local report=refused`, ""]);
    expect(String(stderr.mock.calls[0]?.[0])).toContain("runner: not inside a Codex sandbox (");
    expect(existsSync(input.reports.local)).toBe(false);
    expect(execFileSync("git", ["log", "--format=%s"], { cwd: input.project, encoding: "utf8" })).toBe(
      "init\n",
    );
  });

  it("an input it cannot read or that is not a runner input: one status line, exit 2", async () => {
    const dir = tempDir();
    const lines = captureStdout();
    expect(await main([join(dir, "missing.json"), "local"])).toBe(2);
    writeFileSync(join(dir, "other.json"), JSON.stringify({ schema: 1, nonce: "x" }));
    expect(await main([join(dir, "other.json"), "net"])).toBe(2);
    writeFileSync(join(dir, "nononce.json"), JSON.stringify({ schema: 2 }));
    expect(await main([join(dir, "nononce.json"), "net"])).toBe(2);
    expect(lines()).toEqual([
      `${STATUS_LINE_PREFIX}nonce=unknown part=local report=failed:INPUT_ENOENT`,
      `${STATUS_LINE_PREFIX}nonce=unknown part=net report=failed:INPUT_Error`,
      `${STATUS_LINE_PREFIX}nonce=unknown part=net report=failed:INPUT_Error`,
      "",
    ]);
  });

  it("local: the report written, the status line first, the facts, and the host's command", async () => {
    const input = setup();
    writeFileSync(join(input.project, "input.json"), JSON.stringify(input));
    const lines = captureStdout();
    expect(await main([join(input.project, "input.json"), "local", "--force"])).toBe(0);
    const report = JSON.parse(readFileSync(input.reports.local, "utf8")) as LocalReport;
    expect(report).toMatchObject({ part: "local", nonce: input.nonce });
    expect(existsSync(`${input.reports.local}.tmp`)).toBe(false);
    const printed = lines();
    expect(printed[0]).toBe(`${STATUS_LINE_PREFIX}nonce=${input.nonce} part=local report=written`);
    expect(printed.slice(1, -2)).toEqual(table(localRows(report)).split("\n"));
    expect(printed.at(-2)).toBe(
      `Facts only. Verdicts on the host: codex-smoke run --probe-report ${input.reports.local}`,
    );
  });

  it("a report it cannot write is printed whole on one line (the model channel), still exit 0", async () => {
    const input = setup();
    const reports = {
      local: join(input.project, "gone", "r.local.json"),
      net: join(input.project, "gone", "r.net.json"),
    };
    writeFileSync(join(input.project, "input.json"), JSON.stringify({ ...input, reports }));
    const lines = captureStdout();
    expect(await main(["--force", join(input.project, "input.json"), "net"])).toBe(0);
    const printed = lines();
    expect(printed[0]).toBe(`${STATUS_LINE_PREFIX}nonce=${input.nonce} part=net report=failed:ENOENT`);
    const reportLine = printed.find((line) => line.startsWith(REPORT_LINE_PREFIX)) ?? "";
    const payload = gunzipSync(Buffer.from(reportLine.slice(REPORT_LINE_PREFIX.length), "base64")).toString(
      "utf8",
    );
    expect(JSON.parse(payload)).toMatchObject({
      part: "net",
      nonce: input.nonce,
      complete: true,
    });
    expect(printed.some((line) => line.startsWith("Facts only."))).toBe(false);
  });

  it("writeReport: through a temporary file and a rename; the errno when it cannot", () => {
    const dir = tempDir();
    const report = healthyFacts().runner;
    expect(writeReport(join(dir, "r.json"), report)).toBeNull();
    expect(readFileSync(join(dir, "r.json"), "utf8")).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(existsSync(join(dir, "r.json.tmp"))).toBe(false);
    expect(writeReport(join(dir, "none", "r.json"), report)).toBe("ENOENT");
  });

  it("runPart net: the partial report is rewritten after each probe, the last one complete", async () => {
    const input = setup();
    const { report, writeError } = await runPart(input, "net");
    expect(writeError).toBeNull();
    expect(JSON.parse(readFileSync(input.reports.net, "utf8"))).toMatchObject({ complete: true });
    expect(report.part).toBe("net");
  });
});

describe("the lines a person reads", () => {
  it("local: every probe as ok or failed with its code and detail, unknowns as ?", () => {
    const report = structuredClone(healthyFacts().runner);
    report.attestation = {
      ...report.attestation,
      pid1: null,
      capEff: null,
      namespaces: { user: "user:[1]", mnt: null, pid: "pid:[3]", net: "net:[4]" },
      rootMount: null,
    };
    report.env = {
      secretNames: ["A_TOKEN", "B_SECRET"],
      insecureSwitches: { NODE_TLS_REJECT_UNAUTHORIZED: "0" },
    };
    const rows = Object.fromEntries(localRows(report));
    expect(rows["pid 1"]).toBe("?");
    expect(rows.namespaces).toBe("user:[1] ? pid:[3] net:[4]");
    expect(rows.capabilities).toBe("CapEff=? NoNewPrivs=1 Seccomp=2");
    expect(rows["root mount"]).toBe("?");
    expect(rows["open $CODEX_HOME/auth.json"]).toBe("failed EACCES");
    expect(rows["git add"]).toMatch(/^failed EROFS fatal: Unable to create/);
    expect(rows["git status"]).toBe("ok");
    expect(rows["write into .codex"]).toBe("failed EROFS");
    expect(rows["write into /tmp"]).toBe("ok");
    expect(rows["TLS switches"]).toBe("NODE_TLS_REJECT_UNAUTHORIZED");
    expect(rows["secret variables"]).toBe("A_TOKEN, B_SECRET");
    const healthy = Object.fromEntries(localRows(healthyFacts().runner));
    expect([healthy["TLS switches"], healthy["secret variables"], healthy["pid 1"]]).toEqual([
      "none",
      "none",
      "codex-linux-sandbox",
    ]);
  });

  it("net: the proxy, the TLS control and each registry attempt, as the client reported it", () => {
    const report = structuredClone(healthyFacts().network.report);
    const rows = netRows(report);
    expect(rows[0]).toEqual(["network proxy", "none"]);
    expect(rows.map(([name]) => name)).toEqual([
      "network proxy",
      ...(report.tlsControl?.attempts ?? []).map((a) => `untrusted TLS ${a.client}`),
      ...report.registry.map((a) => `registry ${a.client}`),
    ]);
    report.environment = {
      proxyVariables: { HTTPS_PROXY: "http://127.0.0.1:3128" },
      caVariables: {},
      codexProxyActive: true,
      allowLocalBinding: null,
      inetSocket: "ok",
    };
    report.tlsControl = { url: null, listenError: "EPERM", attempts: [] };
    report.registry = [
      httpAttempt("curl", "https://r.invalid/", {
        httpStatus: 403,
        connectStatus: 403,
        curlExit: 56,
        errorCode: "E",
        proxyError: "blocked-by-allowlist",
        timedOut: true,
        message: "said no",
      }),
      httpAttempt("fetch", "https://r.invalid/", {}),
    ];
    expect(netRows(report)).toEqual([
      ["network proxy", "Codex's managed proxy http://127.0.0.1:3128"],
      ["untrusted TLS", "cannot listen: EPERM"],
      ["registry curl", "http 403, CONNECT 403, exit 56, E, blocked-by-allowlist, timed out, said no"],
      ["registry fetch", "no answer"],
    ]);
    report.environment.proxyVariables = { https_proxy: "http://p:1" };
    report.environment.codexProxyActive = false;
    expect(netRows(report)[0]).toEqual(["network proxy", "http://p:1"]);
    report.environment.proxyVariables = {};
    report.environment.codexProxyActive = true;
    expect(netRows(report)[0]).toEqual(["network proxy", "Codex's managed proxy"]);
    report.environment = null;
    expect(netRows(report)[0]).toEqual(["network proxy", "none"]);
  });

  it("table: names padded to the widest", () => {
    expect(
      table([
        ["a", "x"],
        ["long name", "y"],
      ]),
    ).toBe("a          x\nlong name  y");
    expect(table([])).toBe("");
  });
});

describe("the environment's TLS switches", () => {
  it("each variable only when it switches verification off; ~/.curlrc's insecure", () => {
    const home = tempDir();
    const off = {
      NODE_TLS_REJECT_UNAUTHORIZED: "0",
      GIT_SSL_NO_VERIFY: "true",
      npm_config_strict_ssl: "FALSE",
      NPM_CONFIG_STRICT_SSL: "false",
      PYTHONHTTPSVERIFY: "0",
      CURL_INSECURE: "1",
    };
    writeFileSync(join(home, ".curlrc"), "# mine\n  --insecure\n");
    expect(environmentFacts({ ...off, MY_API_KEY: "x", PATH: "/bin" }, home)).toEqual({
      secretNames: ["MY_API_KEY"],
      insecureSwitches: { ...off, curlrc: "insecure" },
    });
    const on = {
      NODE_TLS_REJECT_UNAUTHORIZED: "1",
      GIT_SSL_NO_VERIFY: "0",
      npm_config_strict_ssl: "true",
      NPM_CONFIG_STRICT_SSL: "true",
      PYTHONHTTPSVERIFY: "1",
      CURL_INSECURE: "false",
    };
    writeFileSync(join(home, ".curlrc"), "silent\n# -k\n");
    expect(environmentFacts(on, home).insecureSwitches).toEqual({});
    expect(
      environmentFacts({ GIT_SSL_NO_VERIFY: "", CURL_INSECURE: "FALSE" }, home).insecureSwitches,
    ).toEqual({});
    writeFileSync(join(home, ".curlrc"), "-k\n");
    expect(environmentFacts({}, home).insecureSwitches).toEqual({ curlrc: "insecure" });
    writeFileSync(join(home, ".curlrc"), "-insecure\n");
    expect(environmentFacts({}, home).insecureSwitches).toEqual({ curlrc: "insecure" });
    expect(environmentFacts({}, join(home, "none")).insecureSwitches).toEqual({});
  });
});

describe("the filesystem and git probes where they fail", () => {
  it("a project that is gone: the write fails with its errno, nothing is read back or removed", () => {
    const input = setup({ repo: false });
    const gone = { ...input, project: join(input.project, "gone") };
    const written = writeProjectMarker(gone);
    expect(written).toEqual({
      write: { ok: false, code: "ENOENT", detail: expect.stringContaining("no such file or directory") },
      readBack: { ok: false, code: "SKIPPED" },
    });
    expect(removeProjectMarker(gone, false)).toEqual({ ok: false, code: "SKIPPED" });
    expect(removeProjectMarker(gone, true).code).toBe("ENOENT");
  });

  it("a marker that does not read back what was written is a mismatch", () => {
    const input = setup({ repo: false });
    symlinkSync("/dev/null", join(input.project, `codex-smoke-${input.nonce}.txt`));
    expect(writeProjectMarker(input).readBack).toEqual({
      ok: false,
      code: "MISMATCH",
      detail: "read back different content",
    });
    symlinkSync("/dev/null", join(input.home, `.codex-smoke-${input.nonce}`));
    expect(probeHome(input).readBack.code).toBe("MISMATCH");
  });

  it("read-only folders: created when absent (non-recursively), an errno where that fails", () => {
    const input = setup({ repo: false });
    writeFileSync(join(input.project, "file"), "");
    const results = probeReadonlyPaths({
      ...input,
      readonlyPaths: [".codex", "absent", "file/below", "a/b"],
    });
    expect(results.map((r) => [r.path, r.existed, r.write.ok ? "ok" : r.write.code])).toEqual([
      [".codex", true, "ok"],
      ["absent", false, "ok"],
      ["file/below", false, "ENOTDIR"],
      ["a/b", false, "ENOENT"],
    ]);
  });

  it("a HOME that does not exist is made, as under a :minimal profile's in-memory root", () => {
    const input = setup({ repo: false });
    const home = join(input.home, "not", "yet");
    expect(probeHome({ ...input, home })).toEqual({ write: { ok: true }, readBack: { ok: true } });
    expect(readFileSync(join(home, `.codex-smoke-${input.nonce}`), "utf8")).toBe(
      `codex-smoke ${input.nonce}\n`,
    );
    writeFileSync(join(input.home, "plain"), "");
    expect(probeHome({ ...input, home: join(input.home, "plain", "home") }).write.code).toBe("ENOTDIR");
  });

  it("outside: each write really lands as the hidden marker; each read opens the file, a missing one is ENOENT", () => {
    const input = setup();
    const dir = tempDir();
    const readable = join(dir, "canary.txt");
    writeFileSync(readable, "x");
    const report = probeOutside({
      ...input,
      outsideWriteDirs: [dir, join(dir, "missing")],
      outsideReadFiles: [readable, join(dir, "absent.txt")],
    });
    expect(report.writes.map((w) => [w.dir, w.write.ok, w.write.code])).toEqual([
      [dir, true, undefined],
      [join(dir, "missing"), false, "ENOENT"],
    ]);
    expect(readFileSync(join(dir, PROBE_MARKERS.hidden(input.nonce)), "utf8")).toBe(
      markerContent(input.nonce),
    );
    expect(report.reads.map((r) => [r.open.ok, r.open.code])).toEqual([
      [true, undefined],
      [false, "ENOENT"],
    ]);
  });

  it("git: skipped outside a repository; a commit with the probe's identity and nonce; a broken repository fails", async () => {
    const plain = setup({ repo: false });
    const skipped = await probeGit(plain);
    expect(skipped).toEqual({
      isRepo: false,
      writeDir: { ok: false, code: "SKIPPED" },
      add: { ok: false, code: "SKIPPED" },
      commit: { ok: false, code: "SKIPPED" },
      status: { ok: false, code: "SKIPPED" },
      diff: { ok: false, code: "SKIPPED" },
      log: { ok: false, code: "SKIPPED" },
    });

    const input = setup();
    writeProjectMarker(input);
    expect(await probeGit(input)).toMatchObject({
      isRepo: true,
      writeDir: { ok: true },
      add: { ok: true },
      commit: { ok: true },
    });
    // The write into .git really happened (its result is not only claimed).
    expect(readFileSync(join(input.project, ".git", PROBE_MARKERS.git(input.nonce)), "utf8")).toBe(
      markerContent(input.nonce),
    );
    const head = execFileSync("git", ["log", "-1", "--format=%an <%ae>%n%s"], {
      cwd: input.project,
      encoding: "utf8",
    });
    expect(head.trim().split("\n")).toEqual([
      `${PROBE_COMMIT.name} <${PROBE_COMMIT.email}>`,
      PROBE_COMMIT.subject(input.nonce),
    ]);
    expect(
      execFileSync("git", ["show", "--name-only", "--format="], {
        cwd: input.project,
        encoding: "utf8",
      }).trim(),
    ).toBe(`codex-smoke-${input.nonce}.txt`);

    const broken = setup({ repo: false });
    mkdirSync(join(broken.project, ".git"));
    const result = await probeGit({ ...broken, isRepo: true });
    expect(result.writeDir).toEqual({ ok: true });
    expect(result.add).toMatchObject({
      ok: false,
      code: "exit:128",
      detail: expect.stringMatching(/^fatal: /),
    });
    expect(result.status).toMatchObject({
      ok: false,
      code: "exit:128",
      detail: expect.stringMatching(/^fatal: /),
    });
  });
});

describe("kit", () => {
  it("errno, name or ERROR; the first non-empty line, trimmed and capped", () => {
    expect(errorCode(Object.assign(new Error("x"), { code: "EPERM" }))).toBe("EPERM");
    expect(errorCode(new TypeError("x"))).toBe("TypeError");
    expect(errorCode(null)).toBe("ERROR");
    expect(errorCode({ code: 5, name: 7 })).toBe("ERROR");
    expect(firstLine("\n  \n  first  \nsecond")).toBe("first");
    expect(firstLine("x".repeat(300))).toHaveLength(200);
    expect(firstLine("")).toBe("");
    expect(failed("plain text")).toEqual({ ok: false, code: "ERROR", detail: "plain text" });
  });

  it("runProcess: output, exit code, a missing command, and the deadline", async () => {
    const cwd = tempDir();
    expect(
      await runProcess("sh", ["-c", "echo out; echo err >&2; exit 3"], { cwd, timeoutMs: 5_000 }),
    ).toEqual({
      exitCode: 3,
      stdout: "out\n",
      stderr: "err\n",
    });
    expect(await runProcess("/nonexistent/tool", [], { cwd, timeoutMs: 5_000 })).toEqual({
      exitCode: null,
      stdout: "",
      stderr: "",
      error: "ENOENT",
    });
    const started = Date.now();
    const slow = await runProcess("sleep", ["10"], { cwd, timeoutMs: 200 });
    expect(slow).toMatchObject({ exitCode: null, error: "TIMEOUT" });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(
      await runProcess("sh", ["-c", 'printf %s "$X"'], { cwd, timeoutMs: 5_000, env: { X: "given" } }),
    ).toMatchObject({ stdout: "given" });
  });
});

describe("the attestation on the host", () => {
  it("this process's namespaces, pid 1, capability and seccomp fields, and its root mount", () => {
    const status = readFileSync("/proc/self/status", "utf8");
    const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)`, "m").exec(status)?.[1] ?? null;
    const host = ownNamespaces();
    expect(host).toEqual({
      user: readlinkSync("/proc/self/ns/user"),
      mnt: readlinkSync("/proc/self/ns/mnt"),
      pid: readlinkSync("/proc/self/ns/pid"),
      net: readlinkSync("/proc/self/ns/net"),
    });
    const a = attest(host);
    expect(a).toMatchObject({
      namespaces: host,
      hostNamespaces: host,
      capEff: field("CapEff"),
      noNewPrivs: field("NoNewPrivs"),
      seccomp: field("Seccomp"),
    });
    expect(a.capEff).toMatch(/^[0-9a-f]{16}$/);
    expect(a.pid1).toBe(readFileSync("/proc/1/cmdline", "utf8").split("\0")[0] || null);
    const root = readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .map((line) => line.split(" - "))
      .filter(([left]) => left?.split(" ")[4] === "/")
      .at(-1);
    const [left = "", right = ""] = root ?? [];
    const access = left.split(" ")[5]?.split(",").includes("ro") ? "ro" : "rw";
    expect(a.rootMount).toBe(`${right.split(" ")[0]} ${access}`);
    expect(attest(null).hostNamespaces).toBeNull();
  });
});
