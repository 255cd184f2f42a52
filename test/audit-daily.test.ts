// Integration (real Codex): users' daily paths. An MCP server marked optional that cannot be reached is a warning,
// not a failure (exit 0), and its approval settings are still checked; a project config that sets only
// model_reasoning_effort passes; a read-only folder made writable by mistake keeps no placeholder of Codex's.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SITE_DIR } from "../src/demo/reference-setup.js";
import { audit, editFile, withSetup } from "./helpers/audit.js";

describe.concurrent("daily paths", () => {
  it("an optional MCP server nothing listens for: warn with the cause, approval still checked, exit 0", async () => {
    await withSetup(
      (s) =>
        editFile(s.profileFile, (t) =>
          t.replace(/^(\[mcp_servers\.openaiDeveloperDocs\]\nurl = ).*$/m, '$1"http://127.0.0.1:9/mcp"'),
        ),
      async (setup) => {
        const expectFile = join(setup.root, "expect.json");
        writeFileSync(expectFile, '{ "mcpOptional": ["openaiDeveloperDocs"] }\n');
        const run = await audit(setup, ["--only", "mcp.,tui.", "--expect", expectFile]);
        expect(run.status("mcp.servers"), run.observed("mcp.servers")).toBe("warn");
        expect(run.observed("mcp.servers")).toContain(
          "optional openaiDeveloperDocs (http://127.0.0.1:9/mcp): connection refused",
        );
        expect(run.status("mcp.approval")).toBe("pass");
        expect(run.observed("mcp.approval")).toContain(
          "openaiDeveloperDocs: default_tools_approval_mode: approve, tool_timeout_sec: 300",
        );
        expect(run.exitCode).toBe(0);
      },
    );
  });

  it("a project .codex/config.toml with model_reasoning_effort only: pass, exit 0", async () => {
    await withSetup(
      (s) => writeFileSync(join(s.project, ".codex", "config.toml"), 'model_reasoning_effort = "high"\n'),
      async (setup) => {
        const run = await audit(setup, ["--only", "config.project_override"]);
        expect(run.status("config.project_override")).toBe("pass");
        expect(run.observed("config.project_override")).toContain(
          ".codex/config.toml sets neither sandbox nor approval (model_reasoning_effort)",
        );
        expect(run.exitCode).toBe(0);
      },
    );
  });

  it("a read-only folder made writable by mistake: a finding, and no empty placeholder of Codex's left in it", async () => {
    // Measured on 0.169.0 before the record covered it: .agents, .aws, .codex and .git left inside in 3 of 6 audits.
    await withSetup(
      (s) => editFile(s.profileFile, (t) => t.replace(`"${SITE_DIR}" = "read"`, `"${SITE_DIR}" = "write"`)),
      async (setup) => {
        const site = join(setup.project, SITE_DIR);
        const before = readdirSync(site).sort();
        const run = await audit(setup, ["--only", "fs.readonly_paths,config.profile"]);
        expect(run.status("fs.readonly_paths")).toBe("fail");
        expect(readdirSync(site).sort()).toEqual(before);
        expect(readdirSync(setup.project).sort()).toEqual([
          ".codex",
          ".git",
          "README.md",
          "codex-auto",
          SITE_DIR,
        ]);
      },
    );
  });
});
