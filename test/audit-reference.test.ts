// The correct reference setup, audited end to end with the real Codex: every check passes, nothing of the user's
// changes, nothing is left behind, and the canary secret appears in no output of any format.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { audit, launcherAddsArgs, processesOf, withSetup } from "./helpers/audit.js";

describe("reference setup", () => {
  it("passes every check, keeps config byte-identical, leaks no secret, leaves nothing behind", async () => {
    const cacheBefore = new Set(readdirSync(join(homedir(), ".cache", "codex-smoke")));
    await withSetup(
      // A secret the launcher passes to an MCP server: it must not surface through the recorded argv either.
      (setup) => launcherAddsArgs(setup, "-c", `mcp_servers.playwright.env.STANDIN_TOKEN="${setup.canary}"`),
      async (setup) => {
        const configBefore = readFileSync(setup.profileFile);
        const baseBefore = readFileSync(setup.baseConfigFile);
        const projectBefore = readdirSync(setup.project).sort();
        const homeBefore = readdirSync(setup.home).sort();
        const run = await audit(setup, [], { MY_API_TOKEN: setup.canary });
        // stderr carries only the launches' progress (the console report is on: no outcome line).
        expect(
          run.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("[progress] ")),
        ).toEqual([]);
        const notPassing = run.report?.results.filter(
          (r) => r.status !== "pass" && r.id !== "env.secrets" && r.id !== "net.profile_rules",
        );
        expect(notPassing).toEqual([]);
        // The README's profile lists no domain and leaves Codex's proxy off: no network rule to prove.
        expect([
          run.status("net.profile_rules"),
          run.report?.results.find((r) => r.id === "net.profile_rules")?.observed,
        ]).toEqual([
          "skip",
          "no network rules to prove: Codex's managed proxy is off and the profile lists no domains",
        ]);
        // The launch env carried a secret-looking variable: reported by name, never by value.
        expect(run.status("env.secrets")).toBe("warn");
        expect(run.observed("env.secrets")).toContain("MY_API_TOKEN");
        expect(run.exitCode).toBe(0);
        expect(run.report?.results.map((r) => r.id)).toEqual(checks.map((c) => c.id));

        expect(`${run.stdout}${run.stderr}${run.files}`).not.toContain(setup.canary);
        expect(readFileSync(setup.profileFile).equals(configBefore)).toBe(true);
        expect(readFileSync(setup.baseConfigFile).equals(baseBefore)).toBe(true);
        expect(readdirSync(setup.project).sort()).toEqual(projectBefore);
        expect(readdirSync(setup.home).sort()).toEqual(homeBefore);
        expect(existsSync(join(setup.project, ".git", "index.lock"))).toBe(false);
        expect(processesOf(setup)).toEqual([]);
      },
    );
    const cacheAfter = readdirSync(join(homedir(), ".cache", "codex-smoke")).filter((name) =>
      name.startsWith("run-"),
    );
    expect(cacheAfter.filter((name) => !cacheBefore.has(name))).toEqual([]);
  });
});
