// The in-sandbox runner: its probes outside any sandbox (where everything succeeds), the bundled file as the
// sandbox gets it, and both parts inside the real Codex sandbox under a README-like profile.

import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killGroup } from "../src/core/processes.js";
import { ownNamespaces } from "../src/runner/attest.js";
import { runLocalProbes, runNetProbes } from "../src/runner/probes.js";
import type { LocalReport, NetReport, RunnerInput } from "../src/runner/types.js";
import { generateCertificate } from "../src/tls/self-signed.js";
import { pinGitNowhere } from "./helpers/git-nowhere.js";
import { killMarked, MARKER_VAR } from "./helpers/marked.js";

// git run by the code under test never reaches this checkout (test/helpers/git-nowhere.ts).
pinGitNowhere();

const REPO = join(import.meta.dirname, "..");
const CODEX = join(REPO, "node_modules/.bin/codex");
const CODEX_VENDOR = realpathSync(join(REPO, "node_modules/@openai/codex-linux-x64/vendor"));
const BUNDLE = join(REPO, "dist/runner.mjs");
const PROFILE = "codex-smoke-runner-test";

/** Every setup's root, removed at the end even when its describe was skipped (its own afterAll does not run). */
const roots: string[] = [];
afterAll(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A temp setup like the README's: git project with read-only folders, a home with an auth.json canary. */
function makeSetup() {
  const canary = `canary-${randomBytes(12).toString("hex")}`;
  const root = mkdtempSync(join(homedir(), ".cache/codex-smoke/runner-test-"));
  roots.push(root);
  const project = join(root, "project");
  const home = join(root, "home");
  const codexHome = join(root, "codex-home");
  for (const dir of [
    join(project, ".codex"),
    join(project, "www.azinstitute4autism.com"),
    join(home, ".codex"),
    codexHome,
    join(root, "tmp"),
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(join(project, ".codex/keep"), "");
  writeFileSync(join(project, "www.azinstitute4autism.com/index.html"), "<p>site</p>\n");
  writeFileSync(join(home, ".codex/auth.json"), JSON.stringify({ OPENAI_API_KEY: canary }), { mode: 0o600 });
  writeFileSync(join(root, "outside-canary.txt"), `${canary}\n`);
  return { canary, root, project, home, codexHome };
}

async function initRepo(project: string): Promise<string> {
  const git = (...args: string[]) => execa("git", args, { cwd: project });
  await git("init", "-q");
  await git("add", ".");
  await git("-c", "user.name=t", "-c", "user.email=t@invalid", "commit", "-qm", "init");
  return (await git("rev-parse", "HEAD")).stdout;
}

function inputFor(setup: ReturnType<typeof makeSetup>, extra: Partial<RunnerInput>): RunnerInput {
  const nonce = randomBytes(6).toString("hex");
  const { certPem, keyPem } = generateCertificate({
    commonName: "codex-smoke-untrusted",
    ipAddresses: ["127.0.0.1"],
  });
  const staging = join(setup.project, `.codex-smoke-${nonce}`);
  mkdirSync(staging);
  return {
    schema: 2,
    nonce,
    project: setup.project,
    home: setup.home,
    reports: {
      local: join(staging, "report.local.json"),
      net: join(staging, "report.net.json"),
      domains: join(staging, "report.domains.json"),
    },
    hostNamespaces: ownNamespaces(),
    isRepo: existsSync(join(setup.project, ".git")),
    authJson: [{ label: "~/.codex/auth.json", path: join(setup.home, ".codex/auth.json") }],
    readonlyPaths: [".codex", "www.azinstitute4autism.com"],
    outsideWriteDirs: [join(setup.root, "tmp")],
    outsideReadFiles: [join(setup.root, "outside-canary.txt")],
    registryUrl: null,
    tlsControl: { certPem, keyPem },
    networkTimeoutMs: 3000,
    launcherFiles: [],
    ...extra,
  };
}

let registry: Server;
let registryUrl = "";

beforeAll(async () => {
  registry = createServer((req, res) => {
    res.writeHead(req.url === "/astro" ? 200 : 404);
    res.end("{}");
  });
  await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/astro`;
});

afterAll(async () => {
  registry.closeAllConnections();
  await new Promise((resolve) => registry.close(resolve));
});

describe("the probes outside any sandbox", () => {
  const setup = makeSetup();
  afterAll(() => rmSync(setup.root, { recursive: true, force: true }));

  it("local: fills every field, succeeds everywhere, reports no file content", async () => {
    await initRepo(setup.project);
    const input = inputFor(setup, {});
    const report = await runLocalProbes(input);
    expect(report).toMatchObject({
      schema: 2,
      tool: "codex-smoke-runner",
      part: "local",
      nonce: input.nonce,
    });
    expect(report.attestation.namespaces).toEqual(ownNamespaces());
    expect(report.authJson).toEqual([
      { label: "~/.codex/auth.json", path: join(setup.home, ".codex/auth.json"), open: { ok: true } },
    ]);
    expect(report.git).toEqual({
      isRepo: true,
      writeDir: { ok: true },
      add: { ok: true },
      commit: { ok: true },
      status: { ok: true },
      diff: { ok: true },
      log: { ok: true },
    });
    expect(report.project).toEqual({ write: { ok: true }, readBack: { ok: true }, remove: { ok: true } });
    expect(existsSync(join(setup.project, `codex-smoke-${input.nonce}.txt`))).toBe(false);
    expect(report.readonlyPaths.map((r) => [r.path, r.existed, r.write.ok])).toEqual([
      [".codex", true, true],
      ["www.azinstitute4autism.com", true, true],
    ]);
    expect(report.home).toEqual({ write: { ok: true }, readBack: { ok: true } });
    expect(report.outside.writes[0]?.write.ok).toBe(true);
    expect(report.outside.reads[0]?.open.ok).toBe(true);
    expect(JSON.stringify(report)).not.toContain(setup.canary);
  });

  it("net: the untrusted control is rejected, the registry retrieved, each attempt timed", async () => {
    const saved: NetReport[] = [];
    const report = await runNetProbes(inputFor(setup, { registryUrl }), (partial) => saved.push(partial));
    expect(report.environment?.inetSocket).toBe("ECONNREFUSED");
    expect(report.tlsControl?.listenError).toBeNull();
    expect(report.tlsControl?.attempts.map((a) => [a.client, a.curlExit, a.errorCode])).toEqual([
      ["curl", 60, null],
      ["node-https", null, "DEPTH_ZERO_SELF_SIGNED_CERT"],
    ]);
    expect(report.registry.map((a) => [a.client, a.httpStatus])).toEqual([
      ["curl", 200],
      ["fetch", 200],
    ]);
    expect(report.complete).toBe(true);
    // Written after each probe, so a probe Codex kills costs only itself.
    expect(
      saved.map((r) => [r.environment !== null, r.tlsControl !== null, r.registry.length, r.complete]),
    ).toEqual([
      [false, false, 0, false],
      [true, false, 0, false],
      [true, true, 0, false],
      [true, true, 1, false],
      [true, true, 2, false],
      [true, true, 2, true],
    ]);
    expect(saved.at(-1)?.complete).toBe(true);
  });

  it("net: a closed port is bounded and named", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const report = await runNetProbes(
      inputFor(setup, { registryUrl: `http://127.0.0.1:${port}/astro`, tlsControl: null }),
      () => {},
    );
    expect(report.registry.map((a) => [a.client, a.curlExit, a.errorCode])).toEqual([
      ["curl", 7, null],
      ["fetch", null, "ECONNREFUSED"],
    ]);
  });
});

async function runBundle(input: RunnerInput, part: string, cwd: string, env: Record<string, string> = {}) {
  const inputFile = join(input.project, `.codex-smoke-${input.nonce}`, "input.json");
  writeFileSync(inputFile, JSON.stringify(input));
  // Outside a sandbox the runner refuses unless told to probe anyway.
  return execa("node", [BUNDLE, inputFile, part, "--force"], {
    cwd,
    reject: false,
    env: { ...process.env, ...env },
  });
}

describe("the bundled runner file", () => {
  const setup = makeSetup();
  afterAll(() => rmSync(setup.root, { recursive: true, force: true }));

  it("loads nothing but node builtins", () => {
    const imports = readFileSync(BUNDLE, "utf8").match(/^import .* from "([^"]+)";$/gm) ?? [];
    expect(imports.length).toBeGreaterThan(0);
    for (const line of imports) expect(line).toMatch(/from "node:[a-z_/]+";$/);
  });

  it("prints facts (never verdicts) and the host command", async () => {
    const input = inputFor(setup, {});
    const result = await runBundle(input, "local", setup.project);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(
      `CODEX_SMOKE_RUNNER nonce=${input.nonce} part=local report=written`,
    );
    expect(result.stdout).toContain(`codex-smoke run --probe-report ${input.reports.local}`);
    expect(result.stdout).not.toMatch(/\b(PASS|FAIL)\b/);
  });

  it("records variables that switch TLS verification off, and secret names without values", async () => {
    writeFileSync(join(setup.home, ".curlrc"), "# mine\n--insecure\n");
    const input = inputFor(setup, {});
    await runBundle(input, "local", setup.project, {
      NODE_TLS_REJECT_UNAUTHORIZED: "0",
      npm_config_strict_ssl: "true",
      MY_SERVICE_TOKEN: setup.canary,
    });
    const text = readFileSync(input.reports.local, "utf8");
    const report = JSON.parse(text) as LocalReport;
    expect(report.env.insecureSwitches).toEqual({ NODE_TLS_REJECT_UNAUTHORIZED: "0", curlrc: "insecure" });
    expect(report.env.secretNames).toContain("MY_SERVICE_TOKEN");
    expect(text).not.toContain(setup.canary);
    rmSync(join(setup.home, ".curlrc"));
  });

  it("prints the report on one line, gzipped and base64-encoded, when it cannot write it", async () => {
    const input = inputFor(setup, {});
    input.reports.local = join(setup.root, "missing-dir/report.json");
    const result = await runBundle(input, "local", setup.project);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(`CODEX_SMOKE_RUNNER nonce=${input.nonce} part=local report=failed:ENOENT`);
    const reportLine = lines.find((line) => line.startsWith("CODEX_SMOKE_REPORT "));
    const packed = Buffer.from(reportLine?.slice("CODEX_SMOKE_REPORT ".length) ?? "", "base64");
    expect((JSON.parse(gunzipSync(packed).toString("utf8")) as LocalReport).nonce).toBe(input.nonce);
    // It is the last line and fits the ~5 000 characters of a command's tail that Codex hands the model.
    expect(lines.filter(Boolean).at(-1)).toBe(reportLine);
    expect(reportLine?.length).toBeLessThan(5_000);
  });
});

describe("the runner inside the real Codex sandbox", () => {
  const setup = makeSetup();
  afterAll(() => rmSync(setup.root, { recursive: true, force: true }));

  let head = "";
  beforeAll(async () => {
    head = await initRepo(setup.project);
    writeProfile(setup.codexHome);
  });

  it("is confined as the README claims", async () => {
    const input = inputFor(setup, { registryUrl });
    const staging = join(setup.project, `.codex-smoke-${input.nonce}`);
    writeFileSync(join(staging, "runner.mjs"), readFileSync(BUNDLE));
    writeFileSync(join(staging, "input.json"), JSON.stringify(input));
    const command = (part: string) => [
      "node",
      join(staging, "runner.mjs"),
      join(staging, "input.json"),
      part,
    ];
    try {
      const local = await inSandbox(setup, input.nonce, command("local"));
      const net = await inSandbox(setup, input.nonce, command("net"));
      expect(local.exitCode, local.stderr).toBe(0);
      expect(net.exitCode, net.stderr).toBe(0);
      const text = readFileSync(input.reports.local, "utf8");
      const report = JSON.parse(text) as LocalReport;
      const netReport = JSON.parse(readFileSync(input.reports.net, "utf8")) as NetReport;

      expect(report.attestation.pid1).toBe("codex-linux-sandbox");
      for (const kind of ["user", "mnt", "pid"] as const) {
        expect(report.attestation.namespaces[kind]).not.toBe(report.attestation.hostNamespaces?.[kind]);
      }
      expect(report.attestation.capEff).toMatch(/^0+$/);
      expect(report.authJson[0]?.open).toMatchObject({ ok: false, code: "EACCES" });
      expect(report.git.writeDir).toMatchObject({ ok: false, code: "EROFS" });
      expect(report.git.add).toMatchObject({ ok: false, code: "EROFS" });
      expect(report.git.commit).toMatchObject({ ok: false, code: "EROFS" });
      expect([report.git.status, report.git.diff, report.git.log]).toEqual([
        { ok: true },
        { ok: true },
        { ok: true },
      ]);
      expect(report.project).toEqual({ write: { ok: true }, readBack: { ok: true }, remove: { ok: true } });
      expect(report.readonlyPaths.map((r) => r.write.code)).toEqual(["EROFS", "EROFS"]);
      expect(report.home).toEqual({ write: { ok: true }, readBack: { ok: true } });
      expect(report.outside.reads[0]?.open).toMatchObject({ ok: false, code: "ENOENT" });
      expect(netReport.registry.map((a) => [a.client, a.httpStatus])).toEqual([
        ["curl", 200],
        ["fetch", 200],
      ]);
      expect(netReport.tlsControl?.attempts.map((a) => a.curlExit ?? a.errorCode)).toEqual([
        60,
        "DEPTH_ZERO_SELF_SIGNED_CERT",
      ]);

      // Nothing the sandbox let "succeed" outside the project reached the host.
      expect(existsSync(join(setup.home, `.codex-smoke-${input.nonce}`))).toBe(false);
      expect(readdirSync(join(setup.root, "tmp")).filter((n) => n.includes(input.nonce))).toEqual([]);
      expect(existsSync(join(setup.project, ".git", `codex-smoke-${input.nonce}`))).toBe(false);
      expect((await execa("git", ["rev-parse", "HEAD"], { cwd: setup.project })).stdout).toBe(head);
      for (const out of [local.stdout, local.stderr, net.stdout, text])
        expect(out).not.toContain(setup.canary);
    } finally {
      await killMarked(input.nonce);
    }
  });
});

function writeProfile(codexHome: string): void {
  writeFileSync(
    join(codexHome, `${PROFILE}.config.toml`),
    [
      `default_permissions = "${PROFILE}"`,
      `[permissions.${PROFILE}.filesystem]`,
      `":minimal" = "read"`,
      `"${CODEX_VENDOR}" = "read"`,
      `"~/.codex/auth.json" = "none"`,
      `[permissions.${PROFILE}.filesystem.":workspace_roots"]`,
      `"." = "write"`,
      `".codex" = "read"`,
      `"www.azinstitute4autism.com" = "read"`,
      `[permissions.${PROFILE}.network]`,
      "enabled = true",
      "",
    ].join("\n"),
  );
}

/** `codex sandbox` with the test profile, in its own process group, killed with it at the deadline. */
async function inSandbox(setup: ReturnType<typeof makeSetup>, nonce: string, command: string[]) {
  const child = execa(
    CODEX,
    ["sandbox", "-p", PROFILE, "-P", PROFILE, "-C", setup.project, "--", ...command],
    {
      stdin: "ignore",
      detached: true,
      reject: false,
      timeout: 45_000,
      killSignal: "SIGKILL",
      env: {
        HOME: setup.home,
        CODEX_HOME: setup.codexHome,
        TMPDIR: join(setup.root, "tmp"),
        RUST_BACKTRACE: "0",
        [MARKER_VAR]: nonce,
      },
    },
  );
  try {
    return await child;
  } finally {
    if (child.pid !== undefined) killGroup(child.pid);
  }
}

describe("a project that is not a git repository", () => {
  const setup = makeSetup();
  afterAll(() => rmSync(setup.root, { recursive: true, force: true }));

  it("is not probed with git (the host says so: inside, Codex mounts a placeholder .git)", async () => {
    mkdirSync(join(setup.project, ".git")); // what the sandbox shows in a project without git
    const report = await runLocalProbes(inputFor(setup, { isRepo: false }));
    expect(report.git).toEqual({
      isRepo: false,
      writeDir: { ok: false, code: "SKIPPED" },
      add: { ok: false, code: "SKIPPED" },
      commit: { ok: false, code: "SKIPPED" },
      status: { ok: false, code: "SKIPPED" },
      diff: { ok: false, code: "SKIPPED" },
      log: { ok: false, code: "SKIPPED" },
    });
  });
});
