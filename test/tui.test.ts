// Real Codex TUI sessions (0.169.0, bundled bubblewrap) on throwaway setups under ~/.cache/codex-smoke.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTuiSession, type TuiStep, tuiArgs } from "../src/gather/tui.js";
import { permissionsParenthesis } from "../src/gather/tui-screens.js";
import { killMarked, MARKER_VAR, markedPids } from "../src/processes.js";
import { Redactor } from "../src/redact.js";
import { buildTuiSetup, type TuiSetup } from "./fixtures/tui/tui-setup.js";

const EXPECTED = ["playwright", "openaiDeveloperDocs"];
const redactor = new Redactor();
const redact = (text: string) => redactor.redact(text);
const setups: TuiSetup[] = [];

async function session(setup: TuiSetup, timeoutMs = 60_000) {
  const nonce = randomUUID();
  const steps: Partial<Record<TuiStep, number>> = {};
  const result = await runTuiSession({
    launcher: setup.launcher,
    project: setup.project,
    env: { ...setup.env, [MARKER_VAR]: nonce },
    extraArgs: [...tuiArgs(setup.project), ...setup.providerArgs],
    timeoutMs,
    expectedServers: EXPECTED,
    redact,
    onStep: (step, atMs) => {
      steps[step] = atMs;
    },
  });
  const leftover = markedPids(nonce);
  await killMarked(nonce);
  return { result, steps, leftover };
}

afterAll(async () => {
  for (const setup of setups) await setup.close();
});

describe("runTuiSession on a real Codex", () => {
  it("reads permissions and connected servers on a healthy setup, without a trust prompt", async () => {
    const setup = await buildTuiSetup();
    setups.push(setup);
    const { result, steps, leftover } = await session(setup);
    console.log("healthy timings (ms since spawn)", steps);
    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    const tui = result.value;
    expect(tui.refused).toBeNull();
    expect(tui.permissions).toBe("Profile azi4a2-autonomous (workspace with network access, never)");
    expect(permissionsParenthesis(tui.permissions ?? "")).toEqual({
      access: "workspace with network access",
      approval: "never",
    });
    expect(tui.mcp.playwright).toMatchObject({ status: "connected", tools: 2 });
    expect(tui.mcp.playwright?.toolNames).toEqual(["browser_navigate", "browser_snapshot"]);
    expect(tui.mcp.openaiDeveloperDocs).toMatchObject({ status: "connected", tools: 2 });
    expect(tui.warnings).toEqual([]);
    expect(leftover).toEqual([]);
    // The trust override is not persisted: no `[projects…]` table appears in any config file.
    expect(readFileSync(setup.profileFile, "utf8")).not.toContain("trust_level");
    expect(readFileSync(join(setup.codexHome, "config.toml"), "utf8")).not.toContain("trust_level");
  });

  it("reports a stdio server whose script is missing as failed, with the reason from the warnings", async () => {
    const setup = await buildTuiSetup({ stdioScript: "/nonexistent/fake-playwright.mjs" });
    setups.push(setup);
    const { result, steps, leftover } = await session(setup);
    console.log("broken timings (ms since spawn)", steps);
    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    console.log(JSON.stringify(result.value.warnings, null, 1));
    expect(result.value.mcp.playwright).toMatchObject({ status: "failed", tools: 0, toolNames: [] });
    expect(result.value.mcp.openaiDeveloperDocs?.status).toBe("connected");
    expect(result.value.warnings.some((w) => w.includes("playwright"))).toBe(true);
    expect(leftover).toEqual([]);
  });

  it("returns Codex's refusal when the config is fatal", async () => {
    const setup = await buildTuiSetup({
      profileExtra: '\n[mcp_servers.playwright.tools.browser_navigate]\napproval_mode = "always"\n',
    });
    setups.push(setup);
    const { result, steps } = await session(setup);
    console.log("refused timings (ms since spawn)", steps, result);
    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    expect(result.value.refused).toMatch(/^Error: unknown variant `always`/);
    expect(result.value.permissions).toBeNull();
  });
});
