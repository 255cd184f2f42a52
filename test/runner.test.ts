import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killGroup, killMarked, MARKER_VAR } from "../src/processes.js";
import type { RunnerInput, RunnerReport } from "../src/runner/report-types.js";
import { runProbes } from "../src/runner/runner.js";
import { startUntrustedTlsServer, type UntrustedTlsServer } from "../src/tls/untrusted-server.js";

const REPO = join(import.meta.dirname, "..");
const CODEX = join(REPO, "node_modules/.bin/codex");
const CODEX_VENDOR = realpathSync(join(REPO, "node_modules/@openai/codex-linux-x64/vendor"));
const PROFILE = "codex-smoke-runner-test";

/** A temp setup like the README's: git project with read-only folders, a home with an auth.json canary. */
function makeSetup() {
  const canary = `canary-${randomBytes(12).toString("hex")}`;
  const root = mkdtempSync(join(homedir(), ".cache/codex-smoke/runner-test-"));
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
  return {
    nonce,
    reportPath: join(setup.project, `.codex-smoke-report-${nonce}.json`),
    project: setup.project,
    home: setup.home,
    authJsonPath: join(setup.home, ".codex/auth.json"),
    readonlyPaths: [".codex", "www.azinstitute4autism.com"],
    outsideWriteDirs: [setup.root],
    outsideReadFiles: [join(setup.root, "outside-canary.txt")],
    registryUrl: null,
    untrustedTlsUrl: null,
    networkTimeoutMs: 3000,
    ...extra,
  };
}

let registry: Server;
let registryUrl = "";
let tls: UntrustedTlsServer;

beforeAll(async () => {
  registry = createServer((req, res) => {
    res.writeHead(req.url === "/astro" ? 200 : 404);
    res.end("{}");
  });
  await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/astro`;
  tls = await startUntrustedTlsServer();
});

afterAll(async () => {
  registry.closeAllConnections();
  await new Promise((resolve) => registry.close(resolve));
  await tls.close();
});

describe("runProbes outside the sandbox", () => {
  const setup = makeSetup();
  afterAll(() => rmSync(setup.root, { recursive: true, force: true }));

  it("fills every field, succeeds everywhere, and reports no file content", async () => {
    await initRepo(setup.project);
    const input = inputFor(setup, { registryUrl, untrustedTlsUrl: tls.url });
    const report = await runProbes(input);

    expect(report).toMatchObject({ schema: 1, tool: "codex-smoke-runner", nonce: input.nonce });
    expect(report.attestation.sandboxed).toBe(false);
    expect(report.authJson).toEqual({ path: input.authJsonPath, exists: true, open: { ok: true } });
    expect(report.git.isRepo).toBe(true);
    for (const probe of Object.values(report.git).filter((v) => typeof v === "object")) {
      expect(probe).toEqual({ ok: true });
    }
    expect(report.project.write.ok && report.project.readBack.ok && report.project.remove.ok).toBe(true);
    expect(existsSync(report.project.marker)).toBe(false);
    expect(report.readonlyPaths.map((r) => [r.path, r.existed, r.write.ok])).toEqual([
      [".codex", true, true],
      ["www.azinstitute4autism.com", true, true],
    ]);
    expect(report.home.write.ok && report.home.readBack.ok).toBe(true);
    expect(report.outside.writes[0]?.write.ok).toBe(true);
    expect(report.outside.reads[0]?.open.ok).toBe(true);

    expect(report.network.curl).toMatchObject({ ok: true, code: "http:200", exitCode: 0, httpStatus: 200 });
    expect(report.network.curl?.sslVerifyResult).toBeNull(); // plain http: no handshake to verify
    expect(report.network.fetch).toMatchObject({ ok: true, code: "http:200", httpStatus: 200 });
    expect(report.tls.curl).toMatchObject({ ok: false, code: "exit:60", exitCode: 60 });
    expect(report.tls.curl?.sslVerifyResult).not.toBe(0);
    expect(report.tls.fetch).toMatchObject({ ok: false, code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(report.tls.insecureSwitches).toEqual({});

    expect(JSON.stringify(report)).not.toContain(setup.canary);
  });

  it("bounds unreachable network probes and names the cause", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const closed = `http://127.0.0.1:${port}/astro`;
    const report = await runProbes(inputFor(setup, { registryUrl: closed, outsideWriteDirs: [] }));
    expect(report.network.curl).toMatchObject({ ok: false, code: "exit:7", httpStatus: null });
    expect(report.network.fetch).toMatchObject({ ok: false, code: "ECONNREFUSED" });
  });

  it("records variables that switch TLS verification off, and secret names without values", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      NODE_TLS_REJECT_UNAUTHORIZED: "0",
      npm_config_strict_ssl: "true",
      MY_SERVICE_TOKEN: setup.canary,
    });
    writeFileSync(join(setup.home, ".curlrc"), "# mine\n--insecure\n");
    try {
      const report = await runProbes(inputFor(setup, { outsideWriteDirs: [] }));
      expect(report.tls.insecureSwitches).toEqual({ NODE_TLS_REJECT_UNAUTHORIZED: "0", curlrc: "insecure" });
      expect(report.env.secretNames).toContain("MY_SERVICE_TOKEN");
      expect(JSON.stringify(report)).not.toContain(setup.canary);
    } finally {
      process.env = saved;
      rmSync(join(setup.home, ".curlrc"));
    }
  });
});

/** The runner as the sandbox gets it: one ES module file transpiled from the TypeScript source. */
function transpileRunner(into: string): string {
  const source = readFileSync(join(REPO, "src/runner/runner.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const file = join(into, ".codex-smoke-runner.mjs");
  writeFileSync(file, outputText);
  return file;
}

describe("main", () => {
  const setup = makeSetup();
  afterAll(() => rmSync(setup.root, { recursive: true, force: true }));

  it("prints the report on one line when it cannot write it", async () => {
    const runner = transpileRunner(setup.root);
    const input = inputFor(setup, { outsideWriteDirs: [] });
    input.reportPath = join(setup.root, "missing-dir/report.json");
    writeFileSync(join(setup.root, "input.json"), JSON.stringify(input));
    const result = await execa("node", [runner, join(setup.root, "input.json")], {
      cwd: setup.project,
      reject: false,
    });
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(`CODEX_SMOKE_RUNNER nonce=${input.nonce} report=failed:ENOENT`);
    const reportLine = lines.find((line) => line.startsWith("CODEX_SMOKE_REPORT "));
    const report = JSON.parse(reportLine?.slice("CODEX_SMOKE_REPORT ".length) ?? "") as RunnerReport;
    expect(report.nonce).toBe(input.nonce);
  });
});

describe("probe door outside any sandbox", () => {
  const setup = makeSetup();
  afterAll(() => rmSync(setup.root, { recursive: true, force: true }));

  it("says so, never passes, and undoes what it wrote", async () => {
    const head = await initRepo(setup.project);
    writeFileSync(join(setup.project, "staged-by-user.txt"), "mine\n");
    await execa("git", ["add", "staged-by-user.txt"], { cwd: setup.project });
    const runner = transpileRunner(setup.root);
    const input = inputFor(setup, { outsideWriteDirs: [join(setup.root, "tmp")] });
    mkdirSync(join(setup.project, ".codex-smoke"));
    writeFileSync(join(setup.project, ".codex-smoke/input.json"), JSON.stringify(input));
    const out = join(setup.root, "probe-report.json");
    const script = `import(${JSON.stringify(runner)}).then((m) => m.probeCommand(["--out", ${JSON.stringify(out)}])).then((c) => process.exit(c))`;
    const result = await execa("node", ["-e", script], { cwd: setup.project, reject: false });

    expect(result.exitCode).toBe(1);
    expect(result.stdout.split("\n")[0]).toBe("NOT SANDBOXED — results below do not describe the sandbox");
    expect(result.stdout).toContain("overall: NOT SANDBOXED");
    expect(result.stdout).not.toContain("overall: PASS");
    const report = JSON.parse(readFileSync(out, "utf8")) as RunnerReport;
    expect(report.git.commit.ok).toBe(true);
    expect((await execa("git", ["rev-parse", "HEAD"], { cwd: setup.project })).stdout).toBe(head);
    const status = await execa("git", ["status", "--porcelain"], { cwd: setup.project });
    expect(status.stdout.split("\n").sort()).toEqual(["?? .codex-smoke/", "A  staged-by-user.txt"]);
    for (const marker of [
      report.home.marker,
      report.outside.writes[0]?.marker ?? "",
      ...report.readonlyPaths.map((r) => r.marker),
    ]) {
      expect(existsSync(marker)).toBe(false);
    }
  });
});

describe("runner inside the real Codex sandbox", () => {
  const setup = makeSetup();
  afterAll(() => rmSync(setup.root, { recursive: true, force: true }));

  let head = "";
  beforeAll(async () => {
    head = await initRepo(setup.project);
    writeProfile(setup.codexHome);
  });

  it("is confined as the README claims", async () => {
    const runner = transpileRunner(setup.project);
    const input = inputFor(setup, { registryUrl, untrustedTlsUrl: tls.url });
    const inputFile = join(setup.project, `.codex-smoke-input-${input.nonce}.json`);
    writeFileSync(inputFile, JSON.stringify(input));

    try {
      const result = await inSandbox(setup, input.nonce, ["node", runner, inputFile]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout.split("\n")[0]).toBe(`CODEX_SMOKE_RUNNER nonce=${input.nonce} report=written`);
      const reportText = readFileSync(input.reportPath, "utf8");
      const report = JSON.parse(reportText) as RunnerReport;

      expect(report.attestation).toMatchObject({ sandboxed: true, seccomp: "2", noNewPrivs: "1" });
      expect(report.authJson.exists).toBe(true);
      expect(report.authJson.open).toMatchObject({ ok: false, code: "EACCES" });
      expect(report.git.writeDir).toMatchObject({ ok: false, code: "EROFS" });
      expect(report.git.add).toMatchObject({ ok: false, code: "EROFS" });
      expect(report.git.commit).toMatchObject({ ok: false, code: "EROFS" });
      expect([report.git.status, report.git.diff, report.git.log]).toEqual([
        { ok: true },
        { ok: true },
        { ok: true },
      ]);
      expect(report.project.write.ok && report.project.readBack.ok && report.project.remove.ok).toBe(true);
      expect(report.readonlyPaths.map((r) => r.write.code)).toEqual(["EROFS", "EROFS"]);
      expect(report.home.write.ok && report.home.readBack.ok).toBe(true);
      expect(report.outside.reads[0]?.open).toMatchObject({ ok: false, code: "ENOENT" });
      expect(report.network.curl).toMatchObject({ ok: true, httpStatus: 200 });
      expect(report.network.fetch).toMatchObject({ ok: true, httpStatus: 200 });
      expect(report.tls.curl).toMatchObject({ ok: false, code: "exit:60" });
      expect(report.tls.fetch).toMatchObject({ ok: false, code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
      expect(report.durationMs).toBeLessThan(10_000);

      // Nothing the sandbox let "succeed" outside the project reached the host.
      expect(existsSync(report.home.marker)).toBe(false);
      expect(existsSync(report.outside.writes[0]?.marker ?? "")).toBe(false);
      expect(existsSync(join(setup.project, ".git", `codex-smoke-${input.nonce}`))).toBe(false);
      expect((await execa("git", ["rev-parse", "HEAD"], { cwd: setup.project })).stdout).toBe(head);
      expect(dirname(report.project.marker)).toBe(setup.project);
      expect(existsSync(report.project.marker)).toBe(false);

      for (const text of [result.stdout, result.stderr, reportText]) expect(text).not.toContain(setup.canary);
    } finally {
      await killMarked(input.nonce);
    }
  });

  it("answers the probe door with a verdict table", async () => {
    const runner = transpileRunner(setup.project);
    const input = inputFor(setup, { registryUrl, untrustedTlsUrl: tls.url, outsideWriteDirs: [setup.root] });
    mkdirSync(join(setup.project, ".codex-smoke"), { recursive: true });
    writeFileSync(join(setup.project, ".codex-smoke/input.json"), JSON.stringify(input));
    const script = `import(${JSON.stringify(runner)}).then((m) => m.probeCommand([])).then((c) => process.exit(c))`;
    try {
      const result = await inSandbox(setup, input.nonce, ["node", "-e", script]);
      expect(result.stdout).not.toContain("NOT SANDBOXED");
      expect(result.stdout).toMatch(/^PASS {2}untrusted certificate is rejected/m);
      expect(result.stdout).not.toMatch(/^FAIL/m);
      expect(result.stdout).toContain("overall: PASS");
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(readFileSync(input.reportPath, "utf8")).nonce).toBe(input.nonce);
      expect(result.stdout).not.toContain(setup.canary);
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
    killGroup(child.pid);
  }
}
