// Real Codex TUI sessions (0.169.0, bundled bubblewrap) on the bundled reference setup with the mock model.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterEach, describe, expect, it } from "vitest";
import { type MockResponses, startMockResponses } from "../src/agent/mock-responses.js";
import { buildReferenceSetup, type ReferenceSetup } from "../src/demo/reference-setup.js";
import { runTuiSession, type TuiSessionOptions, type TuiStep, tuiArgs } from "../src/gather/tui.js";
import { permissionsParenthesis } from "../src/gather/tui-screens.js";
import { killMarked, MARKER_VAR, markedPids } from "../src/processes.js";
import { Redactor } from "../src/redact.js";

const EXPECTED = ["playwright", "openaiDeveloperDocs"];
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function reference(): Promise<{ setup: ReferenceSetup; mock: MockResponses }> {
  const setup = await buildReferenceSetup();
  const mock = await startMockResponses({ commands: ["true"] });
  cleanups.push(async () => {
    await mock.close();
    await setup.dispose();
  });
  return { setup, mock };
}

async function session(
  { setup, mock }: { setup: ReferenceSetup; mock: MockResponses },
  overrides: Partial<TuiSessionOptions> = {},
) {
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

describe("runTuiSession on a real Codex", () => {
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
      expect(tui.permissions).toBe("Profile azi4a2-autonomous (workspace with network access, never)");
      expect(permissionsParenthesis(tui.permissions ?? "")).toEqual({
        access: "workspace with network access",
        approval: "never",
      });
      expect(tui.statusScreen).toContain("Permissions:");
      expect(tui.mcp.playwright?.status).toBe("connected");
      expect(tui.mcp.playwright?.tools).toBeGreaterThan(0);
      expect(tui.mcp.openaiDeveloperDocs?.status).toBe("connected");
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

  it("reports a stdio server whose script is missing as failed, with the reason from the warnings", async () => {
    const ref = await reference();
    const profile = readFileSync(ref.setup.profileFile, "utf8");
    const servers = parse(profile).mcp_servers as Record<string, { args: string[] }>;
    const script = servers.playwright?.args[0] ?? "";
    const missing = join(ref.setup.root, "missing-playwright.mjs");
    writeFileSync(ref.setup.profileFile, profile.replace(JSON.stringify(script), JSON.stringify(missing)));

    // An expected server that is not configured at all must not stall the session either.
    const { result, steps, leftover } = await session(ref, {
      expectedServers: [...EXPECTED, "notConfigured"],
    });
    console.log("failed-server timings, ms since spawn:", steps);
    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    expect(result.value.mcp.playwright).toMatchObject({ status: "failed", tools: 0, toolNames: [] });
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
    expect(result.value.durationMs).toBeLessThan(5_000);
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
    const { result, leftover } = await session(ref, { timeoutMs: 700 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^timed out after 0.7 s waiting for /);
    expect(result.error).toContain("last screen lines:");
    expect(leftover).toEqual([]);
  });
});
