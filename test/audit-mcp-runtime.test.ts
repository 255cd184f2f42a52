// Integration (real Codex): mcp.runtime on the reference setup and broken copies of it, with the pinned 0.169 and
// with 0.150. The turn runs in a second interactive session on codex-smoke's stand-ins: the setup's own servers
// (its stand-ins for the user's real ones) must get no call, the session must end and leave nothing behind.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codexInstallFromBin } from "../src/demo/codex-install.js";
import { buildReferenceSetup, type ReferenceSetup } from "../src/demo/reference-setup.js";
import { SECOND_RELEASE } from "./global-setup.js";
import { type AuditRun, audit, editFile, processesOf, withSetup } from "./helpers/audit.js";

const ONLY = ["--only", "mcp.,tui."];
const REJECTED = "playwright: MCP tool call requires approval, but approval policy is never";
const APPROVAL =
  'approval prompt on screen: "Allow the playwright MCP server to run tool "codex_smoke_probe"?"';
const FORM =
  'elicitation form on screen: "codex-smoke: an MCP server asks for input (an unattended session must decline this)"';
const CODEX_150 = join(
  homedir(),
  ".cache",
  "codex-smoke",
  "codex",
  SECOND_RELEASE,
  "node_modules",
  ".bin",
  "codex",
);

const removeApprove = (setup: ReferenceSetup) =>
  editFile(setup.launcher, (text) =>
    text.replace(`  -c 'mcp_servers.playwright.default_tools_approval_mode="approve"'\n`, ""),
  );
/** The README's failing case: the profile asks for approval and the launcher no longer says never. */
const onRequest = (setup: ReferenceSetup) => {
  editFile(setup.launcher, (text) => text.replace(`  -c 'approval_policy="never"'\n`, ""));
  editFile(setup.profileFile, (text) =>
    text.replace('approval_policy = "never"', 'approval_policy = "on-request"'),
  );
};

/** Traces a session leaves in CODEX_HOME that the audit must take back (besides Codex's databases). */
function sessionTraces(setup: ReferenceSetup): string[] {
  const home = setup.codexHome;
  return [
    "sessions",
    "shell_snapshots",
    "history.jsonl",
    "session_index.jsonl",
    "tui-thread-reference-capabilities",
    "thread-writer-locks",
  ].filter((name) => existsSync(join(home, name)));
}

/** What every run must show, whatever the verdict: the setup's own servers got no call, nothing survives. */
function leftNothing(setup: ReferenceSetup): void {
  expect(setup.mcpCalls()).toEqual({ playwright: [], openaiDeveloperDocs: [] });
  expect(processesOf(setup)).toEqual([]);
  expect(sessionTraces(setup)).toEqual([]);
}

async function auditWith(
  codex: string | null,
  breakIt: (setup: ReferenceSetup) => void,
  check: (setup: ReferenceSetup, run: AuditRun) => void,
): Promise<void> {
  const setup = await buildReferenceSetup(codex ? { codex: codexInstallFromBin(codex) } : {});
  try {
    breakIt(setup);
    const configBefore = readFileSync(setup.profileFile);
    const run = await audit(setup, codex ? [...ONLY, "--codex", codex] : ONLY);
    check(setup, run);
    leftNothing(setup);
    expect(readFileSync(setup.profileFile).equals(configBefore)).toBe(true);
  } finally {
    await setup.dispose();
  }
}

describe("mcp.runtime with Codex 0.169 (dev dependency)", () => {
  it("the reference setup passes: both stand-ins got their call, the elicitation was declined", async () => {
    await auditWith(
      null,
      // A server the user has besides the expected ones: the runtime session turns it off (`enabled=false`).
      (setup) =>
        editFile(setup.profileFile, (text) => {
          const table = /\[mcp_servers\.playwright\]\n(command = .*\nargs = .*)\n/.exec(text)?.[1];
          return `${text}\n[mcp_servers.extra]\n${table}\n`;
        }),
      (_setup, run) => {
        expect(run.status("mcp.runtime"), run.observed("mcp.runtime")).toBe("pass");
        expect(run.status("mcp.servers")).toBe("pass");
        expect(run.observed("mcp.runtime")).toMatch(
          /^playwright, openaiDeveloperDocs: the stand-ins received their calls with no prompt; elicitation answered decline in \d+ ms; a tool timeout of 0.5 s was enforced /,
        );
        // The stand-ins' own logs: the calls really arrived.
        expect(run.observed("mcp.runtime")).toContain("playwright (stdio stand-in): received the call");
        expect(run.observed("mcp.runtime")).toContain(
          "openaiDeveloperDocs (http stand-in): received the call",
        );
        expect(run.observed("mcp.runtime")).toMatch(/tool_timeout_sec = 0.5\): cancelled after \d+\.\d s/);
        expect(run.exitCode).toBe(0);
      },
    );
  });

  it("a server slow to start (2.5 s, from NODE_OPTIONS in its own env table): the turn waits for it, both stand-ins get their call", async () => {
    await auditWith(
      null,
      (setup) => {
        const slow = join(setup.root, "slow-start.cjs");
        writeFileSync(slow, "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);\n");
        editFile(setup.profileFile, (text) =>
          text.replace("env = { ", `env = { NODE_OPTIONS = ${JSON.stringify(`--require ${slow}`)}, `),
        );
      },
      (_setup, run) => {
        expect(run.status("mcp.runtime"), run.observed("mcp.runtime")).toBe("pass");
        expect(run.observed("mcp.runtime")).toContain("playwright (stdio stand-in): received the call");
      },
    );
  });

  it("the approve override removed for one server: Codex's rejection, naming it", async () => {
    await auditWith(null, removeApprove, (_setup, run) => {
      expect(run.status("mcp.runtime")).toBe("fail");
      expect(run.report?.results.find((r) => r.id === "mcp.runtime")?.observed).toBe(REJECTED);
      expect(run.observed("mcp.runtime")).toContain("openaiDeveloperDocs (http stand-in): received the call");
    });
  });

  it("on-request in the profile, no approval_policy override: the elicitation form, quoted", async () => {
    await auditWith(null, onRequest, (_setup, run) => {
      expect(run.status("mcp.runtime")).toBe("fail");
      expect(run.observed("mcp.runtime")).toContain(`${FORM}: the session would wait for nobody`);
      expect(run.status("mcp.servers")).toBe("pass");
    });
  });

  it("on-request and the approve override removed: the approval prompt, quoted", async () => {
    await auditWith(
      null,
      (setup) => {
        onRequest(setup);
        removeApprove(setup);
      },
      (_setup, run) => {
        expect(run.status("mcp.runtime")).toBe("fail");
        expect(run.observed("mcp.runtime")).toContain(`${APPROVAL}: the session would wait for nobody`);
      },
    );
  });

  it("a server whose command does not exist: mcp.servers fails, the runtime turn still runs on its stand-in (--concurrency 1)", async () => {
    await withSetup(
      (setup) =>
        editFile(setup.profileFile, (t) =>
          t.replace(/^(\[mcp_servers\.playwright\]\ncommand = ).*$/m, '$1"/nonexistent/playwright-mcp"'),
        ),
      async (setup) => {
        // One launch at a time: the runtime session starts only once the first session has ended.
        const run = await audit(setup, [...ONLY, "--concurrency", "1"]);
        expect(run.status("mcp.servers")).toBe("fail");
        expect(run.observed("mcp.servers")).toContain("command not found");
        expect(run.status("mcp.runtime")).toBe("pass");
        const progress = run.stderr.split("\n");
        expect(progress.findIndex((line) => line.startsWith("[progress] tui done"))).toBeLessThan(
          progress.indexOf("[progress] mcp runtime started"),
        );
        leftNothing(setup);
      },
    );
  });
});

describe("mcp.runtime with --agent live", () => {
  it("still runs: the turn's model is codex-smoke's own, whoever runs the in-sandbox runner", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const run = await audit(setup, ["--only", "mcp.runtime", "--agent", "live"]);
        expect(run.status("mcp.runtime"), run.observed("mcp.runtime")).toBe("pass");
        expect(run.stderr).toContain("[progress] mcp runtime started");
        expect(run.exitCode).toBe(0);
        leftNothing(setup);
      },
    );
  });
});

describe(`mcp.runtime with Codex ${SECOND_RELEASE}`, () => {
  it("the reference setup passes", async () => {
    await auditWith(
      CODEX_150,
      () => {},
      (_setup, run) => {
        expect(run.report?.target.codexVersion).toBe(SECOND_RELEASE);
        expect(run.status("mcp.runtime"), run.observed("mcp.runtime")).toBe("pass");
        expect(run.observed("mcp.runtime")).toContain("elicitation answered decline");
      },
    );
  });

  it("the approve override removed for one server: Codex's rejection, naming it", async () => {
    await auditWith(CODEX_150, removeApprove, (_setup, run) => {
      expect(run.status("mcp.runtime")).toBe("fail");
      expect(run.report?.results.find((r) => r.id === "mcp.runtime")?.observed).toBe(REJECTED);
      expect(run.observed("mcp.runtime")).toContain("openaiDeveloperDocs (http stand-in): received the call");
    });
  });

  it("on-request in the profile, no approval_policy override: the elicitation form, quoted", async () => {
    await auditWith(CODEX_150, onRequest, (_setup, run) => {
      expect(run.status("mcp.runtime")).toBe("fail");
      expect(run.observed("mcp.runtime")).toContain(`${FORM}: the session would wait for nobody`);
    });
  });

  it("on-request and the approve override removed: the approval prompt, quoted", async () => {
    await auditWith(
      CODEX_150,
      (setup) => {
        onRequest(setup);
        removeApprove(setup);
      },
      (_setup, run) => {
        expect(run.status("mcp.runtime")).toBe("fail");
        expect(run.observed("mcp.runtime")).toContain(APPROVAL);
      },
    );
  });
});
