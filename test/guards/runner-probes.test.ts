// The runner's probes one by one, on real files and folders, where a one-token bug would change what the host's
// checks see: whether the runner thinks it is inside a sandbox, and what it says about the launcher's files.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ownNamespaces, rootMount, sandboxVerdict } from "../../src/runner/attest.js";
import { localRows } from "../../src/runner/describe.js";
import { environmentFacts } from "../../src/runner/env.js";
import { probeHome } from "../../src/runner/fs.js";
import { probeGit, writeResult } from "../../src/runner/git.js";
import { mountAccess, probeLauncherFiles } from "../../src/runner/integrity.js";
import { runProcess } from "../../src/runner/kit.js";
import { main } from "../../src/runner/main.js";
import { runLocalProbes, runNetProbes } from "../../src/runner/probes.js";
import { probeCredentialFiles, probeRules, runDomainProbe } from "../../src/runner/rules.js";
import type { Attestation, Namespaces, NetReport, RunnerInput } from "../../src/runner/types.js";
import { listenOnLoopback } from "../../src/util/loopback.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";
import { tempDirs } from "../helpers/temp-dirs.js";

afterEach(() => vi.restoreAllMocks());
const { tempDir } = tempDirs("test-guard-runner-probes-");

const HOST: Namespaces = { user: "user:[1]", mnt: "mnt:[2]", pid: "pid:[3]", net: "net:[4]" };
const SANDBOXED: Namespaces = { user: "user:[11]", mnt: "mnt:[12]", pid: "pid:[13]", net: "net:[14]" };

function attestation(
  namespaces: Namespaces,
  hostNamespaces: Namespaces | null,
  pid1: string | null,
): Attestation {
  return {
    namespaces,
    hostNamespaces,
    pid1,
    capEff: null,
    noNewPrivs: null,
    seccomp: null,
    rootMount: null,
  };
}

describe("inside or outside a sandbox, before any probe writes", () => {
  it("with the host's namespaces: inside only when the user, mount and pid namespaces all differ", () => {
    expect(sandboxVerdict(attestation(SANDBOXED, HOST, null))).toEqual({
      inside: true,
      why: "shares the host's  namespaces",
    });
    // The network namespace is not asked: Codex shares it when the network is on.
    expect(sandboxVerdict(attestation({ ...SANDBOXED, net: HOST.net }, HOST, null)).inside).toBe(true);
    expect(sandboxVerdict(attestation({ ...SANDBOXED, user: HOST.user }, HOST, null))).toEqual({
      inside: false,
      why: "shares the host's user namespaces",
    });
    expect(sandboxVerdict(attestation({ ...HOST }, HOST, "/usr/bin/bwrap"))).toEqual({
      inside: false,
      why: "shares the host's user, mnt, pid namespaces",
    });
    expect(sandboxVerdict(attestation({ ...SANDBOXED, pid: HOST.pid }, HOST, null)).why).toBe(
      "shares the host's pid namespaces",
    );
  });

  it("a namespace it cannot read counts as the host's", () => {
    expect(sandboxVerdict(attestation({ ...SANDBOXED, mnt: null }, HOST, null))).toEqual({
      inside: false,
      why: "shares the host's mnt namespaces",
    });
  });

  it("without the host's namespaces: inside only under Codex's sandbox init as pid 1", () => {
    const verdict = (pid1: string | null) => sandboxVerdict(attestation(SANDBOXED, null, pid1));
    expect(verdict("codex-linux-sandbox")).toEqual({ inside: true, why: "pid 1 is codex-linux-sandbox" });
    expect(verdict("/usr/bin/bwrap").inside).toBe(true);
    expect(verdict("bwrap").inside).toBe(true);
    expect(verdict("/sbin/init")).toEqual({ inside: false, why: "pid 1 is /sbin/init" });
    expect(verdict("/usr/bin/bwrap-helper").inside).toBe(false);
    expect(verdict("/opt/not-bwrap").inside).toBe(false);
    expect(verdict(null)).toEqual({ inside: false, why: "pid 1 is unknown" });
  });
});

describe("the launcher's files: appendable, replaceable, mounted", () => {
  it("a writable file: append and folder ok, nothing written, not a mount point", () => {
    const dir = tempDir();
    const file = join(dir, "codex-auto");
    writeFileSync(file, "#!/bin/sh\n");
    const before = statSync(file);
    expect(probeLauncherFiles([file])).toEqual([
      { path: file, append: { ok: true }, folderWritable: { ok: true }, mount: null },
    ]);
    expect(readFileSync(file, "utf8")).toBe("#!/bin/sh\n");
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
  });

  it("a missing file is not created; a folder that is gone is not writable", () => {
    const dir = tempDir();
    const [missing, gone] = probeLauncherFiles([join(dir, "absent"), join(dir, "gone", "launcher")]);
    expect(missing).toMatchObject({ append: { ok: false, code: "ENOENT" }, folderWritable: { ok: true } });
    expect(() => statSync(join(dir, "absent"))).toThrow();
    expect(gone?.folderWritable).toMatchObject({ ok: false, code: "ENOENT" });
    expect(gone?.append).toMatchObject({ ok: false, code: "ENOENT" });
  });

  it("a symlink swapped in for the file is refused, not followed", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "real"), "x");
    symlinkSync(join(dir, "real"), join(dir, "link"));
    const [link] = probeLauncherFiles([join(dir, "link")]);
    expect(link?.append).toMatchObject({ ok: false, code: "ELOOP" });
  });

  it("a mount point of this namespace is named with its access, as /proc/self/mountinfo says last", () => {
    const lines = readFileSync("/proc/self/mountinfo", "utf8").split("\n");
    const last = lines.filter((line) => line.split(" ")[4] === "/proc").at(-1) ?? "";
    const access = last.split(" ")[5]?.split(",").includes("ro") ? "ro" : "rw";
    expect(probeLauncherFiles(["/proc"])[0]?.mount).toBe(access);
  });

  it("mountinfo: ro or rw from the mount options, octal escapes undone, the last mount on a path wins", () => {
    const mountinfo = [
      "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw",
      "30 22 0:25 / /work/ro\\040folder\\011tab\\134 ro,relatime - ext4 /dev/sda1 rw",
      "31 22 0:26 /launcher /work/p/codex-auto rw,relatime - ext4 /dev/sda1 rw",
      "32 31 0:26 /launcher /work/p/codex-auto ro,nosuid,relatime - ext4 /dev/sda1 rw",
      "33 22 0:27 / /work/errors rw,errors=ro - ext4 /dev/sda1 ro",
      "",
    ].join("\n");
    expect([...mountAccess(mountinfo)]).toEqual([
      ["/proc", "rw"],
      ["/work/ro folder\ttab\\", "ro"],
      ["/work/p/codex-auto", "ro"],
      ["/work/errors", "rw"],
    ]);
    expect(mountAccess("short line\n1 2 0:1 / /only-a-point\n").size).toBe(0);
  });
});

/** A staged input in a fresh folder: no repository, nothing to probe but what a test adds. */
function stagedInput(extra: Partial<RunnerInput> = {}): RunnerInput {
  const root = tempDir();
  const nonce = randomBytes(6).toString("hex");
  return {
    schema: 2,
    nonce,
    project: root,
    home: root,
    reports: {
      local: join(root, "report.local.json"),
      net: join(root, "report.net.json"),
      domains: join(root, "report.domains.json"),
    },
    hostNamespaces: null,
    isRepo: false,
    authJson: [],
    readonlyPaths: [],
    outsideWriteDirs: [],
    outsideReadFiles: [],
    registryUrl: null,
    tlsControl: null,
    networkTimeoutMs: 300,
    launcherFiles: [],
    ...extra,
  };
}

/** Runs `body` with CODEX_NETWORK_PROXY_ACTIVE set as given (unset for undefined), then restores it. */
async function withProxyActive<T>(value: string | undefined, body: () => Promise<T>): Promise<T> {
  const previous = process.env.CODEX_NETWORK_PROXY_ACTIVE;
  if (value === undefined) delete process.env.CODEX_NETWORK_PROXY_ACTIVE;
  else process.env.CODEX_NETWORK_PROXY_ACTIVE = value;
  try {
    return await body();
  } finally {
    if (previous === undefined) delete process.env.CODEX_NETWORK_PROXY_ACTIVE;
    else process.env.CODEX_NETWORK_PROXY_ACTIVE = previous;
  }
}

describe("the profile's rules and the credential files: opened, appended, created, each errno bare", () => {
  it("errors carry the errno alone; a failed create is not read back; nothing to test is an empty list", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "notes"), "n\n");
    const input = stagedInput({
      credentialFiles: [join(dir, "absent")],
      rules: [
        {
          read: [join(dir, "absent"), join(dir, "notes")],
          append: dir,
          create: join(dir, "gone", ".codex-smoke-rule"),
        },
        { read: [], append: join(dir, "absent"), create: null },
      ],
    });
    expect(probeCredentialFiles(input)).toEqual([
      { path: join(dir, "absent"), open: { ok: false, code: "ENOENT" } },
    ]);
    expect(probeRules(input)).toEqual([
      {
        read: [
          { path: join(dir, "absent"), open: { ok: false, code: "ENOENT" } },
          { path: join(dir, "notes"), open: { ok: true } },
        ],
        append: { path: dir, open: { ok: false, code: "EISDIR" } },
        create: {
          path: join(dir, "gone", ".codex-smoke-rule"),
          write: { ok: false, code: "ENOENT" },
          readBack: { ok: false, code: "SKIPPED" },
        },
      },
      { read: [], append: { path: join(dir, "absent"), open: { ok: false, code: "ENOENT" } }, create: null },
    ]);
    expect(existsSync(join(dir, "absent"))).toBe(false);
    const none = stagedInput();
    expect([probeCredentialFiles(none), probeRules(none)]).toEqual([[], []]);
  });
});

describe("one domain probe per command", () => {
  it("through Codex's proxy: curl is sent, within the run's network deadline", async () => {
    const server = createNetServer(() => {});
    const port = await listenOnLoopback(server);
    try {
      const input = stagedInput({
        domains: [{ host: "127.0.0.1", url: `http://127.0.0.1:${port}/` }],
      });
      const { report, writeError } = await withProxyActive("1", () => runDomainProbe(input, 0));
      expect(writeError).toBeNull();
      const [result] = report.results;
      expect(result).toMatchObject({ index: 0, host: "127.0.0.1", proxyActive: true });
      expect(result?.attempt).toMatchObject({
        client: "curl",
        url: `http://127.0.0.1:${port}/`,
        timedOut: true,
      });
      expect(result?.attempt?.message).toMatch(/after [2-9]\d\d milliseconds/);
      expect(report.durationMs).toBeGreaterThanOrEqual(250);
    } finally {
      server.close();
    }
  });

  it("only CODEX_NETWORK_PROXY_ACTIVE=1 is Codex's proxy", async () => {
    const input = stagedInput({ domains: [{ host: "x.invalid", url: "https://x.invalid/" }] });
    const { report } = await withProxyActive("true", () => runDomainProbe(input, 0));
    expect(report.results).toEqual([{ index: 0, host: "x.invalid", proxyActive: false, attempt: null }]);
  });

  it("a new report for this run; an earlier command's result kept, the same probe's replaced", async () => {
    const input = stagedInput({
      domains: [
        { host: "a.invalid", url: "https://a.invalid/" },
        { host: "b.invalid", url: "https://b.invalid/" },
      ],
    });
    const before = Date.now();
    const first = await withProxyActive(undefined, () => runDomainProbe(input, 0));
    expect(first.report).toEqual({
      schema: 2,
      tool: "codex-smoke-runner",
      part: "domains",
      nonce: input.nonce,
      startedAt: expect.any(String),
      durationMs: expect.any(Number),
      results: [{ index: 0, host: "a.invalid", proxyActive: false, attempt: null }],
    });
    expect(Date.parse(first.report.startedAt)).toBeGreaterThanOrEqual(before - 1);
    await withProxyActive(undefined, () => runDomainProbe(input, 1));
    const again = await withProxyActive(undefined, () => runDomainProbe(input, 0));
    expect(again.report.startedAt).toBe(first.report.startedAt);
    expect(again.report.results.map((r) => r.index)).toEqual([1, 0]);
    expect(JSON.parse(readFileSync(input.reports.domains, "utf8"))).toEqual(again.report);
    expect(existsSync(`${input.reports.domains}.tmp`)).toBe(false);
  });

  it("another run's report, another part's or a broken one is not added to: a new report", async () => {
    const input = stagedInput({ domains: [{ host: "a.invalid", url: "https://a.invalid/" }] });
    const earlier = {
      part: "domains",
      nonce: input.nonce,
      results: [{ index: 7 }],
      startedAt: "then",
      durationMs: 5,
    };
    for (const other of [
      { ...earlier, nonce: "another-run" },
      { ...earlier, part: "local" },
      { ...earlier, results: "none" },
    ]) {
      writeFileSync(input.reports.domains, JSON.stringify(other));
      const { report } = await withProxyActive(undefined, () => runDomainProbe(input, 0));
      expect(report.results.map((r) => r.index)).toEqual([0]);
      expect(report.startedAt).not.toBe("then");
    }
    writeFileSync(input.reports.domains, JSON.stringify(earlier));
    const { report } = await withProxyActive(undefined, () => runDomainProbe(input, 0));
    expect(report).toMatchObject({ startedAt: "then", results: [{ index: 7 }, { index: 0 }] });
    expect(report.durationMs).toBeGreaterThanOrEqual(5);
  });

  it("an index the host did not plan: nothing probed or written; a report it cannot write: the errno", async () => {
    const input = stagedInput({ domains: [{ host: "a.invalid", url: "https://a.invalid/" }] });
    expect(await runDomainProbe(input, 1)).toMatchObject({
      writeError: "NO_SUCH_PROBE",
      report: { results: [] },
    });
    expect(existsSync(input.reports.domains)).toBe(false);
    const unwritable = {
      ...input,
      reports: { ...input.reports, domains: join(input.project, "gone", "d.json") },
    };
    const { writeError } = await withProxyActive(undefined, () => runDomainProbe(unwritable, 0));
    expect(writeError).toBe("ENOENT");
  });
});

/** What the runner printed on stdout and stderr, in order. */
function capturedOutput(): () => string {
  const chunks: string[] = [];
  const keep = (chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(keep);
  vi.spyOn(process.stderr, "write").mockImplementation(keep);
  return () => chunks.join("");
}

function writeInput(input: RunnerInput): string {
  const file = join(input.project, "input.json");
  writeFileSync(file, JSON.stringify(input));
  return file;
}

const USAGE = "usage: node runner.mjs <input.json> local|net|domains <index> [--force]\n";

describe("the runner's command line: the domains part", () => {
  it("domains <index>: one short status line with the index, exit 0, the result in the domains report", async () => {
    const input = stagedInput({ domains: [{ host: "a.invalid", url: "https://a.invalid/" }] });
    const file = writeInput(input);
    const out = capturedOutput();
    const code = await withProxyActive(undefined, () => main([file, "domains", "0", "--force"]));
    expect(code).toBe(0);
    expect(out()).toBe(`CODEX_SMOKE_RUNNER nonce=${input.nonce} part=domains 0 report=written\n`);
    expect(JSON.parse(readFileSync(input.reports.domains, "utf8")).results).toHaveLength(1);
  });

  it("domains with an index the host did not plan: the reason in the status line, still exit 0", async () => {
    const input = stagedInput({ domains: [] });
    const out = capturedOutput();
    expect(await main([writeInput(input), "domains", "3", "--force"])).toBe(0);
    expect(out()).toBe(
      `CODEX_SMOKE_RUNNER nonce=${input.nonce} part=domains 3 report=failed:NO_SUCH_PROBE\n`,
    );
  });

  it("domains needs exactly one index of digits; local and net take none", async () => {
    const out = capturedOutput();
    for (const argv of [
      ["in.json", "domains"],
      ["in.json", "domains", "x1"],
      ["in.json", "domains", "1x"],
      ["in.json", "domains", "1", "2"],
      ["in.json", "net", "1"],
    ])
      expect(await main(argv)).toBe(2);
    expect(out()).toBe(USAGE.repeat(5));
  });

  it("domains on the host without --force: refused, nothing written", async () => {
    const input = stagedInput({
      hostNamespaces: ownNamespaces(),
      domains: [{ host: "a.invalid", url: "https://a.invalid/" }],
    });
    const out = capturedOutput();
    expect(await main([writeInput(input), "domains", "0"])).toBe(3);
    expect(out()).toMatch(
      new RegExp(
        `^CODEX_SMOKE_RUNNER nonce=${input.nonce} part=domains report=refused\\nrunner: not inside a Codex sandbox \\(shares the host's user, mnt, pid namespaces\\); nothing was written`,
      ),
    );
    expect(existsSync(input.reports.domains)).toBe(false);
  });
});

describe("the runner run as a script", () => {
  /** Imports main.ts afresh as `node main.ts <args>` would run it; resolves with the code it exits with. */
  async function runAsScript(args: string[]): Promise<number | undefined> {
    const script = fileURLToPath(new URL("../../src/runner/main.ts", import.meta.url));
    const argv = process.argv;
    process.argv = [argv[0] ?? "node", script, ...args];
    try {
      const exited = new Promise<number | undefined>((resolve) => {
        vi.spyOn(process, "exit").mockImplementation(((code?: number) => resolve(code)) as never);
      });
      vi.resetModules();
      await import("../../src/runner/main.js");
      return await exited;
    } finally {
      process.argv = argv;
    }
  }

  it("exits with main's code", async () => {
    const out = capturedOutput();
    expect(await runAsScript(["in.json"])).toBe(2);
    expect(out()).toBe(USAGE);
  });

  it("a crash is one status line with the error's name, exit 1", async () => {
    const input = stagedInput();
    const file = join(input.project, "input.json");
    writeFileSync(file, JSON.stringify({ ...input, reports: undefined }));
    const out = capturedOutput();
    expect(await runAsScript([file, "local", "--force"])).toBe(1);
    expect(out()).toBe("CODEX_SMOKE_RUNNER nonce=unknown report=failed:TypeError\n");
  });
});

describe("git's answers as probe results", () => {
  it("only a permission or read-only refusal becomes that errno; any other failure keeps git's exit code", () => {
    const refused = (stderr: string) => writeResult({ exitCode: 128, stdout: "", stderr });
    expect(refused("\nerror: unable to write: Read-only file system\nfatal: x\n")).toEqual({
      ok: false,
      code: "EROFS",
      detail: "error: unable to write: Read-only file system",
    });
    expect(refused("fatal: Unable to create '.git/index.lock': permission denied").code).toBe("EACCES");
    expect(refused("error: insufficient permission: Operation not permitted").code).toBe("EPERM");
    expect(refused("fatal: not a git repository")).toEqual({
      ok: false,
      code: "exit:128",
      detail: "fatal: not a git repository",
    });
    expect(writeResult({ exitCode: 0, stdout: "", stderr: "warning: LF will be replaced" })).toEqual({
      ok: true,
    });
    expect(
      writeResult({ exitCode: null, stdout: "", stderr: "Permission denied", error: "TIMEOUT" }),
    ).toEqual({
      ok: false,
      code: "TIMEOUT",
      detail: "Permission denied",
    });
  });

  it("a git that cannot start: every git probe says ENOENT, the write into .git still tried", async () => {
    const input = stagedInput({ isRepo: true });
    mkdirSync(join(input.project, ".git"));
    const path = process.env.PATH;
    process.env.PATH = tempDir();
    let git: Awaited<ReturnType<typeof probeGit>>;
    try {
      git = await probeGit(input);
    } finally {
      process.env.PATH = path;
    }
    const missing = { ok: false, code: "ENOENT", detail: "" };
    expect(git).toEqual({
      isRepo: true,
      writeDir: { ok: true },
      add: missing,
      commit: missing,
      status: missing,
      diff: missing,
      log: missing,
    });
  });
});

describe("~/.curlrc's insecure", () => {
  it("a long option without its dashes is curl's option too; a comment, another option or a word is not", () => {
    const home = tempDir();
    const insecure = (curlrc: string) => {
      writeFileSync(join(home, ".curlrc"), curlrc);
      return environmentFacts({}, home).insecureSwitches.curlrc === "insecure";
    };
    expect(insecure("silent\n  insecure\n")).toBe(true);
    expect(insecure("--insecure\n")).toBe(true);
    expect(insecure("\t-k\n")).toBe(true);
    expect(insecure("# insecure\n")).toBe(false);
    expect(insecure("insecure_ish\n")).toBe(false);
    expect(insecure("--no-insecure\n")).toBe(false);
  });
});

/** Runs `body` with the variables set as given (unset for undefined), then restores them. */
async function withEnv<T>(vars: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  try {
    return await body();
  } finally {
    apply(saved);
  }
}

const NO_PROXIES = {
  http_proxy: undefined,
  HTTP_PROXY: undefined,
  https_proxy: undefined,
  HTTPS_PROXY: undefined,
  all_proxy: undefined,
  ALL_PROXY: undefined,
  no_proxy: undefined,
  NO_PROXY: undefined,
};

describe("the parts' reports", () => {
  it("local: the permission profile Codex names in the environment, else null", async () => {
    const named = await withEnv({ CODEX_PERMISSION_PROFILE: "azi4a2-autonomous" }, () =>
      runLocalProbes(stagedInput()),
    );
    expect(named.permissionProfile).toBe("azi4a2-autonomous");
    const unnamed = await withEnv({ CODEX_PERMISSION_PROFILE: undefined }, () =>
      runLocalProbes(stagedInput()),
    );
    expect(unnamed.permissionProfile).toBeNull();
  });

  it("net: every probe within the input's deadline; each saved report's duration is this run's", async () => {
    const silent = createNetServer(() => {});
    const port = await listenOnLoopback(silent);
    const saved: NetReport[] = [];
    try {
      const started = Date.now();
      const report = await withEnv(NO_PROXIES, () =>
        runNetProbes(stagedInput({ registryUrl: `http://127.0.0.1:${port}/astro` }), (r) => saved.push(r)),
      );
      const [curl, fetched] = report.registry;
      expect(curl?.message).toMatch(/^curl: \(28\) Operation timed out after [2-9]\d\d milliseconds/);
      expect(fetched).toMatchObject({ client: "fetch", timedOut: true });
      expect(fetched?.durationMs).toBeLessThan(1_500);
      for (const partial of saved) {
        expect(partial.durationMs).toBeGreaterThanOrEqual(0);
        expect(partial.durationMs).toBeLessThanOrEqual(Date.now() - started);
      }
    } finally {
      silent.close();
    }
  });

  it("net: curl got through the proxy, so the proxy is not asked for its answer", async () => {
    const server = createNetServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () =>
        socket.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"),
      );
    });
    const url = `http://127.0.0.1:${await listenOnLoopback(server)}`;
    try {
      const report = await withEnv({ ...NO_PROXIES, http_proxy: url, NO_PROXY: "" }, () =>
        runNetProbes(stagedInput({ registryUrl: `${url}/astro`, networkTimeoutMs: 2_000 }), () => {}),
      );
      expect(report.registry.map((a) => [a.client, a.proxy, a.httpStatus])).toEqual([
        ["curl", url, 200],
        ["fetch", url, 200],
      ]);
    } finally {
      server.close();
    }
  });
});

describe("the root mount in the attestation", () => {
  it("the filesystem type and ro or rw of the mount at /, the last one listed (on top); other mount points skipped", () => {
    const mountinfo = [
      "22 1 0:21 / /proc rw,relatime - proc proc rw",
      "23 1 0:22 / /rootfs ro,relatime - ext4 /dev/sda1 rw",
      "24 1 0:23 / / rw,relatime shared:1 - overlay overlay rw,lowerdir=/l",
      "25 24 0:24 / / ro,nosuid - tmpfs tmpfs rw",
      "",
    ].join("\n");
    expect(rootMount(mountinfo)).toBe("tmpfs ro");
    expect(rootMount(mountinfo.split("\n").reverse().join("\n"))).toBe("overlay rw");
    expect(rootMount("26 1 0:25 / / ro,relatime\n")).toBeNull();
    expect(rootMount("22 1 0:21 / /proc rw - proc proc rw\n")).toBeNull();
  });
});

describe("the local table's texts", () => {
  it("namespaces, launcher files, credential files, profile rules, the profile, the switches, as the report says", () => {
    const report = structuredClone(healthyFacts().runner);
    report.attestation.namespaces = { user: "user:[1]", mnt: null, pid: "pid:[3]", net: "net:[4]" };
    report.launcherFiles = [
      {
        path: "/p/codex-auto",
        append: { ok: true },
        folderWritable: { ok: false, code: "EROFS" },
        mount: null,
      },
      { path: "/p/env.sh", append: { ok: false, code: "EROFS" }, folderWritable: { ok: true }, mount: "ro" },
    ];
    report.credentialFiles = [{ path: "/h/.ssh/id_ed25519", open: { ok: false, code: "EACCES" } }];
    report.rules = [
      {
        read: [
          { path: "/h/a", open: { ok: true } },
          { path: "/h/b", open: { ok: false, code: "ENOENT" } },
        ],
        append: { path: "/h/a", open: { ok: false, code: "EROFS" } },
        create: {
          path: "/h/.codex-smoke-rule-n-0",
          write: { ok: true },
          readBack: { ok: false, code: "SKIPPED" },
        },
      },
      { read: [], append: null, create: null },
    ];
    report.permissionProfile = null;
    report.env = {
      secretNames: [],
      insecureSwitches: { NODE_TLS_REJECT_UNAUTHORIZED: "0", curlrc: "insecure" },
    };
    const rows = Object.fromEntries(localRows(report));
    expect(rows.namespaces).toBe("user:[1] ? pid:[3] net:[4]");
    expect(rows["append to /p/codex-auto"]).toBe("ok; folder writable: failed EROFS; mount: none");
    expect(rows["append to /p/env.sh"]).toBe("failed EROFS; folder writable: ok; mount: ro");
    expect(rows["open /h/.ssh/id_ed25519"]).toBe("failed EACCES");
    expect(rows["profile rule 0"]).toBe(
      "open /h/a: ok; open /h/b: failed ENOENT; append /h/a: failed EROFS; create /h/.codex-smoke-rule-n-0: ok, open: failed SKIPPED",
    );
    expect(rows["profile rule 1"]).toBe("nothing to test");
    expect(rows["permission profile"]).toBe("not set");
    expect(rows["TLS switches"]).toBe("NODE_TLS_REJECT_UNAUTHORIZED, curlrc");
    expect(rows["secret variables"]).toBe("none");
    report.permissionProfile = "azi4a2-autonomous";
    report.env.insecureSwitches = {};
    report.rules = [{ read: [{ path: "/h/a", open: { ok: true } }], append: null, create: null }];
    const again = Object.fromEntries(localRows(report));
    expect([again["permission profile"], again["TLS switches"], again["profile rule 0"]]).toEqual([
      "azi4a2-autonomous",
      "none",
      "open /h/a: ok",
    ]);
  });
});

describe("odd corners", () => {
  it("a domains index of several digits is an index", async () => {
    const input = stagedInput({ domains: [] });
    const out = capturedOutput();
    expect(await main([writeInput(input), "domains", "12", "--force"])).toBe(0);
    expect(out()).toBe(
      `CODEX_SMOKE_RUNNER nonce=${input.nonce} part=domains 12 report=failed:NO_SUCH_PROBE\n`,
    );
  });

  it("an input without domains has no domain probe; durations stay this run's", async () => {
    const input = stagedInput();
    expect(await runDomainProbe(input, 0)).toMatchObject({ writeError: "NO_SUCH_PROBE" });
    const planned = stagedInput({ domains: [{ host: "a.invalid", url: "https://a.invalid/" }] });
    const { report } = await withProxyActive(undefined, () => runDomainProbe(planned, 0));
    expect(report.durationMs).toBeLessThan(60_000);
  });

  it("a rule without append or create probes neither", () => {
    expect(probeRules(stagedInput({ rules: [{ read: [], append: null, create: null }] }))).toEqual([
      { read: [], append: null, create: null },
    ]);
  });

  it("imported as a module, the runner runs nothing", async () => {
    const argv = process.argv;
    process.argv = [argv[0] ?? "node", join(tempDir(), "other.mjs"), "in.json"];
    try {
      const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
      const out = capturedOutput();
      vi.resetModules();
      await import("../../src/runner/main.js");
      await new Promise((resolve) => setImmediate(resolve));
      expect(exit).not.toHaveBeenCalled();
      expect(out()).toBe("");
    } finally {
      process.argv = argv;
    }
  });

  it("a HOME that is a file: the write's own errno, not a retry's", () => {
    const input = stagedInput();
    const home = join(input.project, "home-file");
    writeFileSync(home, "");
    expect(probeHome({ ...input, home }).write).toMatchObject({ ok: false, code: "ENOTDIR" });
  });

  it("runProcess gives the child no stdin: a command that reads it ends at once", async () => {
    const result = await runProcess("cat", [], { cwd: tempDir(), timeoutMs: 5_000 });
    expect(result).toEqual({ exitCode: 0, stdout: "", stderr: "" });
  });

  it("the root mount line without more options than ro or rw", () => {
    expect(rootMount("26 1 0:25 / / - ext4 /dev/x rw\n")).toBe("ext4 rw");
  });
});
