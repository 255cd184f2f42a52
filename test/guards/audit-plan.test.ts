// What one audit launches for the selected checks (plan.ts), the selected checks over the facts with every text
// redacted once more (evaluate.ts), the loopback services and the registry (services.ts), and the profile's
// writable absolute paths (writable.ts).
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { checks } from "../../checks/index.js";
import { evaluate } from "../../src/audit/evaluate.js";
import { planAudit } from "../../src/audit/plan.js";
import { execPrompt, gatherRegistry, startModel } from "../../src/audit/services.js";
import { writableEntries } from "../../src/audit/writable.js";
import { defineCheck, outcome } from "../../src/core/define-check.js";
import { DEFAULT_EXPECTATIONS } from "../../src/core/expectations.js";
import { type FactName, type Facts, gathered, notGathered } from "../../src/core/model.js";
import { listenOnLoopback } from "../../src/util/loopback.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";

const only = (...prefixes: string[]) => checks.filter((c) => prefixes.some((p) => c.id.startsWith(p)));
const SERVERS = ["playwright", "openaiDeveloperDocs"];

describe("planAudit", () => {
  it("every check: every launch, the servers, the registry", () => {
    const plan = planAudit(checks, SERVERS, false);
    expect({ ...plan, facts: [...plan.facts].sort() }).toEqual({
      facts: [
        "config",
        "credentialFiles",
        "credentials",
        "domainRules",
        "exec",
        "hostSandbox",
        "launcher",
        "mcpGet",
        "mcpRuntime",
        "network",
        "profileRules",
        "registry",
        "runner",
        "sideEffects",
        "staging",
        "tui",
      ],
      runner: true,
      exec: true,
      tui: true,
      mcpRuntime: true,
      mcpServers: SERVERS,
      hostSandbox: true,
      registry: true,
    });
  });

  it("nothing selected launches nothing; config checks launch exec only, for the argv the launcher passes", () => {
    expect(planAudit([], SERVERS, false)).toEqual({
      facts: new Set(),
      runner: false,
      exec: false,
      tui: false,
      mcpRuntime: false,
      mcpServers: [],
      hostSandbox: false,
      registry: false,
    });
    // config.layers also uses the runner, the TUI and the network; config.mcp_approval_tables needs exec only.
    expect(planAudit(only("config.mcp_approval_tables"), SERVERS, false)).toMatchObject({
      runner: false,
      exec: true,
      tui: false,
      mcpServers: [],
      hostSandbox: false,
      registry: false,
    });
  });

  it("each launch comes with the facts that need it", () => {
    expect(planAudit(only("banner."), SERVERS, false)).toMatchObject({
      runner: false,
      exec: true,
      tui: false,
    });
    expect(planAudit(only("launcher.flags"), SERVERS, false)).toMatchObject({ runner: false, exec: true });
    // launcher.integrity uses the runner's probe of the launcher's files and the staging record.
    expect(planAudit(only("launcher.integrity"), SERVERS, false)).toMatchObject({ runner: true, exec: true });
    // tui.permissions names the legacy flag the launches really passed in its fix (uses the launcher's observed
    // argv and the config it gives), which the exec launch records.
    expect(planAudit(only("tui."), SERVERS, false)).toMatchObject({ exec: true, tui: true, mcpServers: [] });
    expect(planAudit(only("mcp.approval"), SERVERS, false)).toMatchObject({ mcpServers: SERVERS });
    expect(planAudit(only("host."), SERVERS, false)).toMatchObject({ runner: false, hostSandbox: true });
    expect(planAudit(only("fs.auth_json"), SERVERS, false)).toMatchObject({
      runner: true,
      exec: true,
      hostSandbox: true,
      registry: false,
    });
    expect(planAudit(only("net.registry"), SERVERS, false)).toMatchObject({ runner: true, registry: true });
  });

  it("any one fact the runner gathers brings the runner's launch; the registry comes with its own fact or the network", () => {
    const needing = (fact: FactName) =>
      defineCheck({
        id: `test.${fact}`,
        title: "t",
        claim: "c",
        needs: [fact],
        run: () => outcome("pass", "e", "o"),
        remediation: "r",
      });
    for (const fact of ["runner", "network", "sideEffects", "credentials"] as const) {
      expect(planAudit([needing(fact)], SERVERS, false), fact).toMatchObject({ runner: true, exec: true });
    }
    expect(planAudit([needing("registry")], SERVERS, false)).toMatchObject({ runner: false, registry: true });
    expect(planAudit([needing("network")], SERVERS, false).registry).toBe(true);
  });

  it("a release too old for the setup is not launched: only what needs no launch is planned", () => {
    const plan = planAudit(checks, SERVERS, true);
    expect([...plan.facts].sort()).toEqual(["config", "launcher", "registry"]);
    expect(plan).toMatchObject({
      runner: false,
      exec: false,
      tui: false,
      mcpServers: [],
      hostSandbox: false,
    });
    expect(plan.registry).toBe(true);
    expect(planAudit(only("launcher."), SERVERS, true).exec).toBe(false);
  });
});

describe("evaluate", () => {
  const facts = () =>
    Object.fromEntries(
      Object.entries(healthyFacts()).map(([name, value]) => [name, gathered(value)]),
    ) as unknown as Facts;

  it("runs the selected checks, skips the others with their claim and docs page, and redacts every line", () => {
    const all = facts();
    const results = evaluate(checks, new Set(["config.profile"]), all, DEFAULT_EXPECTATIONS, (text) =>
      text.replaceAll("azi4a2", "######"),
    );
    expect(results.map((r) => r.id)).toEqual(checks.map((c) => c.id));
    const profile = results.find((r) => r.id === "config.profile");
    expect(profile?.status).toBe("pass");
    expect(`${profile?.expected} ${profile?.observed} ${profile?.evidence.join(" ")}`).not.toContain(
      "azi4a2",
    );
    expect(`${profile?.expected} ${profile?.observed} ${profile?.evidence.join(" ")}`).toContain("######");
    const skipped = results.find((r) => r.id === "fs.auth_json");
    expect(skipped).toEqual({
      id: "fs.auth_json",
      title: checks.find((c) => c.id === "fs.auth_json")?.title,
      claim: expect.any(String),
      remediation: checks.find((c) => c.id === "fs.auth_json")?.remediation,
      docs: "docs/checks/fs.auth_json.md",
      status: "skip",
      expected: "",
      observed: "not selected (--only/--skip)",
      evidence: [],
      durationMs: 0,
    });
    expect(skipped?.claim.length).toBeGreaterThan(0);
  });

  it("a selected check whose facts were not gathered is error, the reason redacted", () => {
    const all = { ...facts(), config: notGathered("cannot read /secret/azi4a2.toml") } as Facts;
    const [result] = evaluate(
      only("config.profile"),
      new Set(["config.profile"]),
      all,
      DEFAULT_EXPECTATIONS,
      (t) => t.replaceAll("azi4a2", "######"),
    );
    expect(result?.status).toBe("error");
    expect(result?.observed).toContain("/secret/######.toml");
  });
});

describe("services", () => {
  it("the prompt: a task-like line for the mock (the launcher sees it), the exact numbered commands for a live agent", () => {
    expect(execPrompt("mock", ["node a", "node b"])).toBe("Check the workspace and report back.");
    expect(execPrompt("live", [])).toBe("Check the workspace and report back.");
    expect(execPrompt("live", ["node a", "node b"])).toBe(
      'Run exactly these shell commands in the workspace, one at a time and in this order, each as its own command, without changing them, then reply "done":\n1. node a\n2. node b',
    );
  });

  it("the mock model starts only for the mock agent and a launch that talks to it", async () => {
    const launches = planAudit(checks, SERVERS, false);
    const none = planAudit([], SERVERS, false);
    expect(await startModel(none, "mock", [])).toBeNull();
    expect(await startModel(launches, "live", [])).toBeNull();
    const tuiOnly = await startModel(planAudit(only("tui."), SERVERS, false), "mock", []);
    expect(tuiOnly).not.toBeNull();
    await tuiOnly?.close();
    const mock = await startModel(launches, "mock", ["true"]);
    expect(mock?.providerOverrides().join(" ")).toContain("base_url=");
    await mock?.close();
  });

  it("the registry from npm: what npm says, or why there is none", async () => {
    const saved = process.env.npm_config_registry;
    process.env.npm_config_registry = "not-a-url";
    try {
      expect(
        await gatherRegistry(planAudit(only("fs."), SERVERS, false), undefined, "astro", process.env).facts,
      ).toEqual(notGathered("`npm config get registry` gave no URL (exit 0); pass --registry <url>"));
    } finally {
      if (saved === undefined) delete process.env.npm_config_registry;
      else process.env.npm_config_registry = saved;
    }
  });

  it("the registry: not needed, or the --registry URL with the host's own retrieval as the control", async () => {
    expect(
      await gatherRegistry(planAudit(only("config.profile"), SERVERS, false), "http://x", "astro", {}).facts,
    ).toEqual(notGathered("not needed"));
    const server = createServer((_req, res) => res.end("{}"));
    const port = await listenOnLoopback(server);
    try {
      const fact = await gatherRegistry(
        planAudit(only("fs."), SERVERS, false),
        `http://127.0.0.1:${port}/`,
        "astro",
        process.env,
      ).facts;
      expect(fact.ok).toBe(true);
      if (!fact.ok) return;
      expect(fact.value.url).toBe(`http://127.0.0.1:${port}/astro`);
      expect(fact.value.source).toBe("option");
      expect(fact.value.host.httpStatus).toBe(200);
    } finally {
      server.close();
    }
  });
});

describe("writableEntries", () => {
  const profile = (filesystem: unknown) => ({
    default_permissions: "p",
    permissions: { p: { filesystem } },
  });

  it("the absolute and ~/ paths the effective profile makes writable", () => {
    expect(
      writableEntries(
        profile({ "/srv/out": "write", "~/cache": "write", ".": "write", "/etc": "read", "~/x": "none" }),
        "/home/alice",
      ),
    ).toEqual(["/srv/out", "/home/alice/cache"]);
  });

  it("no profile selected, or no filesystem table: none", () => {
    expect(writableEntries({}, "/home/alice")).toEqual([]);
    // A profile name that is not a string selects nothing, not a table that happens to be keyed by its text.
    const permissions = {
      7: { filesystem: { "/srv/out": "write" } },
      undefined: { filesystem: { "/srv": "write" } },
    };
    expect(writableEntries({ permissions }, "/home/alice")).toEqual([]);
    expect(writableEntries({ default_permissions: 7, permissions }, "/home/alice")).toEqual([]);
    expect(writableEntries({ default_permissions: "p" }, "/home/alice")).toEqual([]);
    expect(writableEntries(profile("write"), "/home/alice")).toEqual([]);
  });
});
