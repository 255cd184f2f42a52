// Real Codex TUI sessions (the 0.169.0 dev dependency, and 0.150.0 from the release cache) on the bundled
// reference setup with the mock model: healthy, MCP servers that fail in each way, refusals, deadlines.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterEach, describe, expect, it } from "vitest";
import mcpServers from "../checks/mcp/servers.js";
import tuiPermissions from "../checks/tui/permissions.js";
import { type MockResponses, startMockResponses } from "../src/agent/mock-responses.js";
import { DEFAULT_EXPECTATIONS } from "../src/core/expectations.js";
import { gathered, type McpFailure, notGathered, type TuiFacts } from "../src/core/model.js";
import { Redactor } from "../src/core/redact.js";
import { type CodexInstall, codexInstallFromBin } from "../src/demo/codex-install.js";
import { startMcpHttpStandin } from "../src/demo/mcp-http-standin.js";
import { buildReferenceSetup, type ReferenceSetup } from "../src/demo/reference-setup.js";
import { readConfigLayers } from "../src/gather/config.js";
import { reachCause, refineUnreachable } from "../src/gather/mcp-reach.js";
import { runTuiSession, type TuiSessionOptions, type TuiStep, tuiArgs } from "../src/gather/tui.js";
import { permissionsParenthesis } from "../src/gather/tui-screens.js";
import { startUntrustedTlsServer } from "../src/tls/untrusted-server.js";
import { killMarked, MARKER_VAR, markedPids } from "./helpers/marked.js";

const EXPECTED = ["playwright", "openaiDeveloperDocs"];
const PROFILE_VALUE = "Profile azi4a2-autonomous (workspace with network access, never)";
const CACHED_150 = join(homedir(), ".cache", "codex-smoke", "codex", "0.150.0");
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

type Reference = { setup: ReferenceSetup; mock: MockResponses };

async function reference(codex?: CodexInstall): Promise<Reference> {
  const setup = await buildReferenceSetup(codex ? { codex } : {});
  const mock = await startMockResponses({ commands: ["true"] });
  cleanups.push(async () => {
    await mock.close();
    await setup.dispose();
  });
  return { setup, mock };
}

async function session({ setup, mock }: Reference, overrides: Partial<TuiSessionOptions> = {}) {
  const nonce = randomUUID();
  const steps: Partial<Record<TuiStep, number>> = {};
  const result = await runTuiSession({
    launcher: setup.launcher,
    project: setup.project,
    env: { ...setup.env, [MARKER_VAR]: nonce },
    extraArgs: [...tuiArgs(setup.project), ...mock.providerOverrides()],
    timeoutMs: 60_000,
    expectedServers: EXPECTED,
    redact: (text) => new Redactor([setup.canary]).redact(text),
    onStep: (step, atMs) => {
      steps[step] = atMs;
    },
    ...overrides,
  });
  // Nothing the session started may survive it: neither what carries the marker nor the sandboxed helpers,
  // whose environment bwrap clears (they name the setup's paths in their arguments).
  const leftover = [...markedPids(nonce), ...pidsMentioning(setup.root)];
  await killMarked(nonce);
  return { result, steps, leftover };
}

function pidsMentioning(text: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Rewrites one server's table in the reference profile file. */
function editServer(setup: ReferenceSetup, name: string, table: string): void {
  const profile = readFileSync(setup.profileFile, "utf8");
  const start = profile.indexOf(`[mcp_servers.${name}]`);
  const next = profile.indexOf("\n[", start + 1);
  const end = next < 0 ? profile.length : next + 1;
  writeFileSync(
    setup.profileFile,
    `${profile.slice(0, start)}[mcp_servers.${name}]\n${table}\n${profile.slice(end)}`,
  );
}

/** The stand-in's command line as the reference profile runs it. */
function playwrightCommand(setup: ReferenceSetup): { command: string; args: string[] } {
  const servers = parse(readFileSync(setup.profileFile, "utf8")).mcp_servers as Record<
    string,
    { command: string; args: string[] }
  >;
  return servers.playwright as { command: string; args: string[] };
}

async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/** Both session checks over the gathered facts, as the engine would run them. */
function verdicts(setup: ReferenceSetup, tui: TuiFacts) {
  const config = readConfigLayers({
    codexHome: setup.codexHome,
    home: setup.home,
    profileName: setup.profileName,
    project: setup.project,
    launcherOverrides: [],
  });
  const ctx = { expect: DEFAULT_EXPECTATIONS };
  const permissions = tuiPermissions.run(
    { tui, config: gathered(config), launcher: notGathered("not needed") },
    ctx,
  );
  return { permissions, servers: mcpServers.run({ tui, config }, ctx) };
}

const toml = (value: string) => JSON.stringify(value);

/**
 * Puts the stand-in in hang mode behind a wrapper script that notes when each start begins (ms since the epoch).
 * Codex starts the servers once for itself and once for each `/mcp verbose`: starts less than one startup timeout
 * apart were waited for together, whatever the machine's load.
 */
function hangPlaywright(setup: ReferenceSetup): { wrapper: string; starts: () => number[] } {
  const { command, args } = playwrightCommand(setup);
  const wrapper = join(setup.root, "hung-playwright");
  const log = join(setup.root, "hung-playwright.starts");
  writeFileSync(log, "");
  const argv = [command, ...args, "--mode=hang"].map((arg) => `'${arg}'`).join(" ");
  writeFileSync(wrapper, `#!/bin/sh\ndate +%s%3N >> '${log}'\nexec ${argv}\n`, { mode: 0o755 });
  editServer(setup, "playwright", `command = ${toml(wrapper)}\nstartup_timeout_sec = 5`);
  return { wrapper, starts: () => readFileSync(log, "utf8").split("\n").filter(Boolean).map(Number) };
}

/** Every start began less than the 5-s startup timeout after the first: one timeout was waited for, not two. */
function expectOneTimeout(starts: number[]): void {
  console.log(
    "hung-server starts, ms after the first:",
    starts.map((at) => at - (starts[0] ?? 0)),
  );
  expect(starts.length).toBeGreaterThan(0);
  expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(5_000);
}

describe("runTuiSession on a real Codex (0.169.0)", () => {
  it("reads permissions and connected servers on the reference setup (3 runs, timed)", async () => {
    const ref = await reference();
    const before = readFileSync(ref.setup.profileFile, "utf8");
    const timings: Array<Partial<Record<TuiStep, number>>> = [];
    for (let run = 0; run < 3; run++) {
      const { result, steps, leftover } = await session(ref);
      expect(result.ok, result.ok ? "" : result.error).toBe(true);
      if (!result.ok) return;
      const tui = result.value;
      expect(tui.refused).toBeNull();
      expect(tui.mcpError).toBeNull();
      expect(tui.permissions).toBe(PROFILE_VALUE);
      expect(permissionsParenthesis(tui.permissions ?? "")).toEqual({
        access: "workspace with network access",
        approval: "never",
      });
      expect(tui.statusScreen).toContain("Permissions:");
      expect(tui.mcp.playwright).toMatchObject({ status: "connected", tools: 2, failure: null });
      expect(tui.mcp.openaiDeveloperDocs).toMatchObject({ status: "connected", tools: 2, failure: null });
      expect(tui.mcpScreen).toMatch(/MCP Tools/);
      expect(tui.warnings).toEqual([]);
      expect(leftover).toEqual([]);
      timings.push(steps);
    }
    const medians = Object.fromEntries(
      (["ready", "status", "mcp", "exit"] as const).map((step) => [
        step,
        median(timings.map((t) => t[step] ?? 0)),
      ]),
    );
    console.log("TUI timings, ms since spawn (median of 3):", medians);
    // The trust override is not persisted; the TUI's own `[tui]` state is (decisions §9: the caller restores).
    const after = readFileSync(ref.setup.profileFile, "utf8");
    expect(after).not.toContain("trust_level");
    expect(readFileSync(join(ref.setup.codexHome, "config.toml"), "utf8")).not.toContain("trust_level");
    console.log("profile file after 3 launches, appended:", JSON.stringify(after.slice(before.length)));
  });

  it("fails a hung stdio server within its startup timeout, says so, and keeps /status", {
    timeout: 20_000,
  }, async () => {
    const ref = await reference();
    const hung = hangPlaywright(ref.setup);

    const { result, steps, leftover } = await session(ref);
    console.log("hung-server timings, ms since spawn:", steps);
    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    expect(result.value.mcp.playwright).toMatchObject({
      status: "failed",
      failure: { cause: "startup-timeout", timeoutSec: 5 },
    });
    // `/mcp verbose` went in during Codex's own startup, not after it.
    expectOneTimeout(hung.starts());
    const { permissions, servers } = verdicts(ref.setup, result.value);
    expect(permissions).toMatchObject({ status: "pass", observed: PROFILE_VALUE });
    expect(servers.status).toBe("fail");
    expect(servers.observed).toBe(`playwright (${hung.wrapper}): startup timed out after 5 s`);
    expect(servers.remediation).toMatch(/^If playwright is only slow to start, raise `startup_timeout_sec`/);
    expect(leftover).toEqual([]);
  });

  it("keeps /status when /mcp verbose outlasts the deadline, and says why the servers could not be read", async () => {
    const ref = await reference();
    const { command, args } = playwrightCommand(ref.setup);
    const hung = [...args, "--mode=hang"].map(toml).join(", ");
    editServer(
      ref.setup,
      "playwright",
      `command = ${toml(command)}\nargs = [${hung}]\nstartup_timeout_sec = 60`,
    );

    const { result, leftover } = await session(ref, { timeoutMs: 8_000 });
    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    expect(result.value.mcpError).toBe("timed out after 5 s waiting for the /mcp verbose block");
    const { permissions, servers } = verdicts(ref.setup, result.value);
    expect(permissions).toMatchObject({ status: "pass", observed: PROFILE_VALUE });
    expect(servers).toMatchObject({
      status: "error",
      observed: "could not test: timed out after 5 s waiting for the /mcp verbose block",
    });
    expect(leftover).toEqual([]);
  });

  it("names a stdio command that does not exist", async () => {
    const ref = await reference();
    const missing = join(ref.setup.root, "no-such-mcp-server");
    editServer(ref.setup, "playwright", `command = ${toml(missing)}`);

    const { result, leftover } = await session(ref);
    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    expect(result.value.mcp.playwright?.failure?.cause).toBe("command-not-found");
    const { permissions, servers } = verdicts(ref.setup, result.value);
    expect(permissions.status).toBe("pass");
    expect(servers).toMatchObject({ status: "fail", observed: `playwright (${missing}): command not found` });
    expect(servers.remediation).toBe(
      `\`${missing}\` does not exist on the PATH Codex sees: install it, or give its absolute path as \`command\` in [mcp_servers.playwright].`,
    );
    expect(leftover).toEqual([]);
  });

  it("names an HTTP URL the host cannot connect to (refused), in one line without Rust type names", async () => {
    const ref = await reference();
    const url = `http://127.0.0.1:${await closedLoopbackPort()}/mcp`;
    editServer(ref.setup, "openaiDeveloperDocs", `url = ${toml(url)}`);

    const { result, leftover } = await session(ref);
    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    expect(result.value.mcp.openaiDeveloperDocs?.failure).toMatchObject({ cause: "refused", url });
    expect(result.value.mcp.playwright?.status).toBe("connected");
    const { permissions, servers } = verdicts(ref.setup, result.value);
    expect(permissions.status).toBe("pass");
    expect(servers.observed).toBe(`openaiDeveloperDocs (${url}): connection refused`);
    const reportLines = [servers.observed, ...servers.evidence, servers.remediation ?? ""];
    expect(reportLines.filter((line) => /::|StreamableHttp/.test(line))).toEqual([]);
    expect(servers.remediation).toMatch(/^Nothing accepts connections at http:\/\/127\.0\.0\.1:\d+\/mcp/);
    expect(result.value.warnings.join("\n")).not.toContain("::");
    expect(leftover).toEqual([]);
  });

  it("tells a server that resets from one that exits", async () => {
    const ref = await reference();
    const resetting = await startMcpHttpStandin({ mode: "reset" });
    cleanups.push(() => resetting.close());
    editServer(ref.setup, "openaiDeveloperDocs", `url = ${toml(resetting.url)}`);
    const { command, args } = playwrightCommand(ref.setup);
    editServer(
      ref.setup,
      "playwright",
      `command = ${toml(command)}\nargs = [${[...args, "--mode=exit"].map(toml).join(", ")}]`,
    );

    const { result, leftover } = await session(ref);
    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    expect(result.value.mcp.openaiDeveloperDocs?.failure?.cause).toBe("reset");
    expect(result.value.mcp.playwright?.failure?.cause).toBe("exited");
    const { permissions, servers } = verdicts(ref.setup, result.value);
    expect(permissions.status).toBe("pass");
    expect(servers.observed).toContain(
      `openaiDeveloperDocs (${resetting.url}): connection reset by the server`,
    );
    expect(servers.observed).toContain("the server exited before answering initialize");
    expect(leftover).toEqual([]);
  });

  it("reports a stdio server whose script is missing as failed, with the reason from the warnings", async () => {
    const ref = await reference();
    const { args } = playwrightCommand(ref.setup);
    const missing = join(ref.setup.root, "missing-playwright.mjs");
    const profile = readFileSync(ref.setup.profileFile, "utf8");
    writeFileSync(ref.setup.profileFile, profile.replace(toml(args[0] ?? ""), toml(missing)));

    // An expected server that is not configured at all must not stall the session either.
    const { result, steps, leftover } = await session(ref, {
      expectedServers: [...EXPECTED, "notConfigured"],
    });
    console.log("failed-server timings, ms since spawn:", steps);
    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    expect(result.value.mcp.playwright).toMatchObject({
      status: "failed",
      tools: 0,
      toolNames: [],
      failure: { cause: "exited" },
    });
    expect(result.value.mcp.openaiDeveloperDocs?.status).toBe("connected");
    expect(result.value.mcp).not.toHaveProperty("notConfigured");
    const reason = result.value.warnings.find((w) => w.startsWith("MCP · playwright:"));
    expect(reason).toMatch(/MCP client for `playwright` failed to start/);
    expect(leftover).toEqual([]);
  });

  it("returns Codex's refusal when the config is fatal", async () => {
    const ref = await reference();
    const orphanTable = '\n[mcp_servers.ghost.tools.browser_navigate]\napproval_mode = "approve"\n';
    writeFileSync(ref.setup.profileFile, readFileSync(ref.setup.profileFile, "utf8") + orphanTable);
    const { result, leftover } = await session(ref);
    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    expect(result.value.refused).toBe("Error: invalid transport\nin `mcp_servers.ghost`");
    expect(result.value.permissions).toBeNull();
    // Returned when Codex exited, not at the 60-s deadline.
    expect(result.value.durationMs).toBeLessThan(30_000);
    expect(leftover).toEqual([]);
  });

  it("never answers the trust prompt", async () => {
    const ref = await reference();
    const { result, leftover } = await session(ref, {
      extraArgs: ["--no-alt-screen", ...ref.mock.providerOverrides()],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^the TUI asked to trust the project/);
    expect(readFileSync(ref.setup.profileFile, "utf8")).not.toContain("trust_level");
    expect(leftover).toEqual([]);
  });

  it("gives up at the deadline, kills the session and shows the last screen", async () => {
    const ref = await reference();
    // Before the TUI is ready (~0.6 s on this machine): nothing was read, so nothing is gathered.
    const { result, leftover } = await session(ref, { timeoutMs: 300 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^timed out after 0.3 s waiting for /);
    expect(result.error).toContain("last screen lines:");
    expect(leftover).toEqual([]);
    // Later deadlines hit Codex while it starts its MCP servers and sandboxed helpers (1–2 s): whatever was
    // read by then, nothing survives the session.
    for (const timeoutMs of [1_300, 1_800]) expect((await session(ref, { timeoutMs })).leftover).toEqual([]);
  });
});

describe("runTuiSession on Codex 0.150.0 (no OSC states, boxed /status, warnings in the history)", () => {
  it("reads the same facts, and a hung server's cause", async () => {
    // The test setup installs it (test/global-setup.ts): missing, the test fails rather than passing silently.
    const bin = join(CACHED_150, "node_modules", ".bin", "codex");
    const ref = await reference(codexInstallFromBin(bin));
    const healthy = await session(ref);
    expect(healthy.result.ok, healthy.result.ok ? "" : healthy.result.error).toBe(true);
    if (!healthy.result.ok) return;
    expect(healthy.result.value.permissions).toBe(PROFILE_VALUE);
    expect(healthy.result.value.mcp.playwright).toMatchObject({ status: "connected", tools: 2 });
    expect(healthy.result.value.mcp.openaiDeveloperDocs).toMatchObject({ status: "connected", tools: 2 });
    expect(healthy.leftover).toEqual([]);

    const hung = hangPlaywright(ref.setup);
    const broken = await session(ref);
    expect(broken.result.ok, broken.result.ok ? "" : broken.result.error).toBe(true);
    if (!broken.result.ok) return;
    expectOneTimeout(hung.starts());
    expect(broken.result.value.permissions).toBe(PROFILE_VALUE);
    expect(broken.result.value.mcp.playwright?.failure).toMatchObject({
      cause: "startup-timeout",
      timeoutSec: 5,
    });
    expect(broken.leftover).toEqual([]);
  });
});

describe("refineUnreachable: the host names what Codex could not", () => {
  const unreachable = (url: string): McpFailure => ({
    cause: "unreachable",
    detail: "",
    url,
    timeoutSec: null,
    httpStatus: null,
  });

  it("refused, reset and an untrusted certificate, on loopback", async () => {
    const closed = `http://127.0.0.1:${await closedLoopbackPort()}/mcp`;
    expect(await refineUnreachable(unreachable(closed), {}, 3_000)).toMatchObject({
      cause: "refused",
      detail: expect.stringContaining("ECONNREFUSED"),
    });
    const resetting = await startMcpHttpStandin({ mode: "reset" });
    const tls = await startUntrustedTlsServer();
    try {
      expect((await refineUnreachable(unreachable(resetting.url), {}, 3_000)).cause).toBe("reset");
      expect(await refineUnreachable(unreachable(tls.url), {}, 3_000)).toMatchObject({
        cause: "tls",
        detail: expect.stringContaining("self-signed certificate"),
      });
    } finally {
      await resetting.close();
      await tls.close();
    }
  });

  it("leaves a URL it reaches, a proxied URL and other causes as they are", async () => {
    const docs = await startMcpHttpStandin();
    try {
      expect(await refineUnreachable(unreachable(docs.url), {}, 3_000)).toMatchObject({
        cause: "unreachable",
        detail: "the host reaches it (HTTP 200), Codex did not",
      });
    } finally {
      await docs.close();
    }
    const closed = `http://127.0.0.1:${await closedLoopbackPort()}/mcp`;
    const proxy = { HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9" };
    expect(await refineUnreachable(unreachable(closed), proxy, 3_000)).toMatchObject({
      cause: "unreachable",
      detail: "through the configured proxy (not retried from the host)",
    });
    // NO_PROXY exempts the host: Codex connects directly, so the host does too.
    const exempt = { ...proxy, NO_PROXY: "localhost,127.0.0.1" };
    expect((await refineUnreachable(unreachable(closed), exempt, 3_000)).cause).toBe("refused");
    const timeout: McpFailure = { ...unreachable("x"), cause: "startup-timeout", timeoutSec: 5 };
    expect(await refineUnreachable(timeout, {}, 3_000)).toBe(timeout);
  });

  it.each([
    ["ECONNREFUSED", "refused"],
    ["ENOTFOUND", "dns"],
    ["EAI_AGAIN", "dns"],
    ["ECONNRESET", "reset"],
    ["UND_ERR_SOCKET", "reset"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "tls"],
    ["CERT_HAS_EXPIRED", "tls"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "tls"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "tls"],
    ["EHOSTUNREACH", "unreachable"],
  ])("%s is %s", (code, cause) => {
    expect(reachCause(code)).toBe(cause);
  });
});
