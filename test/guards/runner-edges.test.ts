// The runner's edges that mutation testing found open: which names and token formats count as secrets (names
// only leave the sandbox), every line of the local table, the command line's odd inputs, the report's own fields,
// and the network part through a proxy that refuses (the proxy's answer is asked for only when curl failed).
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { localRows, netRows } from "../../src/runner/describe.js";
import { main } from "../../src/runner/main.js";
import { runLocalProbes, runNetProbes } from "../../src/runner/probes.js";
import { hasTokenPrefix, isSecretName, secretNames } from "../../src/runner/secrets.js";
import type { RunnerInput } from "../../src/runner/types.js";
import { listenOnLoopback } from "../../src/util/loopback.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";
import { pinGitNowhere } from "../helpers/git-nowhere.js";
import { tempDirs } from "../helpers/temp-dirs.js";

// git run by the code under test never reaches this checkout (test/helpers/git-nowhere.ts).
pinGitNowhere();

afterEach(() => vi.restoreAllMocks());
const { tempDir } = tempDirs("test-guard-runner-");

function input(extra: Partial<RunnerInput> = {}): RunnerInput {
  const root = tempDir();
  mkdirSync(join(root, "project", "stage"), { recursive: true });
  mkdirSync(join(root, "home"));
  const stage = join(root, "project", "stage");
  return {
    schema: 2,
    nonce: randomBytes(6).toString("hex"),
    project: join(root, "project"),
    home: join(root, "home"),
    reports: {
      local: join(stage, "report.local.json"),
      net: join(stage, "report.net.json"),
      domains: join(stage, "report.domains.json"),
    },
    hostNamespaces: null,
    authJson: [],
    isRepo: false,
    readonlyPaths: [],
    outsideWriteDirs: [],
    outsideReadFiles: [],
    registryUrl: null,
    tlsControl: null,
    networkTimeoutMs: 2_000,
    launcherFiles: [],
    ...extra,
  };
}

describe("secret names and token formats (decisions §12)", () => {
  it.each([
    ["GITHUB_TOKEN", true],
    ["TOKEN", true],
    ["TOKENIZERS_PARALLELISM", false],
    ["NPM_AUTH_TOKEN", true],
    ["NPM_AUTHTOKEN", true],
    ["npm_config__auth", true],
    ["npm_config__author", false],
    ["SSH_AUTH_SOCK", false],
    ["DB_PASSWORD", true],
    ["CLIENT_SECRET", true],
    ["OPENAI_API_KEY", true],
    ["APIKEY", true],
    ["SSH_PRIVATE_KEY", true],
    ["PRIVATEKEY", true],
    ["GOOGLE_APPLICATION_CREDENTIALS", true],
    ["GIT_AUTHOR_NAME", false],
  ])("%s: %s", (name, secret) => {
    expect(isSecretName(name)).toBe(secret);
  });

  const alnum = (n: number) => "aB3".repeat(n).slice(0, n);
  it.each([
    ["sk-", 16, "-_"],
    ["ghp_", 20, ""],
    ["github_pat_", 20, "_"],
    ["glpat-", 16, "-_"],
    ["xoxb-", 10, "-"],
    ["npm_", 36, ""],
    ["hf_", 30, ""],
  ])("%s followed by %i token characters is a token, one fewer is not", (prefix, length, extra) => {
    expect(hasTokenPrefix(`${prefix}${alnum(length - extra.length)}${extra}`)).toBe(true);
    expect(hasTokenPrefix(`${prefix}${alnum(length - 1)}`)).toBe(false);
    expect(hasTokenPrefix(`${prefix}${"!".repeat(length)}`)).toBe(false);
  });

  it("fixed-length formats: AWS and Google keys, exactly", () => {
    expect(hasTokenPrefix(`AKIA${"ABCDEFGHIJ234567"}`)).toBe(true);
    expect(hasTokenPrefix(`AKIA${"ABCDEFGHIJ23456"}`)).toBe(false);
    expect(hasTokenPrefix(`AIza${"a".repeat(35)}`)).toBe(true);
    expect(hasTokenPrefix(`AIza${"a".repeat(34)} `)).toBe(false);
    expect(hasTokenPrefix(`AIza${"!".repeat(35)}`)).toBe(false);
    expect(hasTokenPrefix(`xoxq-${"a".repeat(10)}`)).toBe(false);
  });

  it("secretNames: secret names and token values, sorted; plain ones not", () => {
    expect(
      secretNames({
        Z_TOKEN: "x",
        PLAIN: "value",
        A_SECRET: "y",
        HARMLESS: `ghp_${"a".repeat(20)}`,
        UNSET_PASSWORD: undefined,
        UNSET_PLAIN: undefined,
      }),
    ).toEqual(["A_SECRET", "HARMLESS", "UNSET_PASSWORD", "Z_TOKEN"]);
  });
});

describe("the local table, every line", () => {
  it("names each probe it shows; a probe a report lacks is a dash", () => {
    const report = structuredClone(healthyFacts().runner);
    expect(localRows(report).map(([name]) => name)).toEqual([
      "pid 1",
      "namespaces",
      "capabilities",
      "root mount",
      "open $CODEX_HOME/auth.json",
      "write into .git",
      "git add",
      "git commit",
      "git status",
      "git diff",
      "git log",
      "project write",
      "project read back",
      "project remove",
      "write into .codex",
      "write into www.azinstitute4autism.com",
      "write into $HOME",
      "write into /tmp",
      "write into /home/alice/work",
      `open ${report.outside.reads[0]?.path}`,
      ...report.launcherFiles.map((file) => `append to ${file.path}`),
      ...(report.credentialFiles ?? []).map((file) => `open ${file.path}`),
      ...(report.rules ?? []).map((_rule, index) => `profile rule ${index}`),
      "permission profile",
      "TLS switches",
      "secret variables",
    ]);
    (report.git as { diff: unknown }).diff = undefined;
    expect(Object.fromEntries(localRows(report))["git diff"]).toBe("-");
    expect(Object.fromEntries(localRows(report))["project write"]).toBe("ok");
  });

  it("no TLS control in the net report: no such line", () => {
    const report = structuredClone(healthyFacts().network.report);
    report.tlsControl = null;
    expect(netRows(report).map(([name]) => name)).toEqual([
      "network proxy",
      "registry curl",
      "registry fetch",
    ]);
  });
});

describe("the runner's command line, odd inputs", () => {
  function printed(): () => string {
    const chunks: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    return () => chunks.join("");
  }

  it("an input without a part is the usage line; an input of null is not a runner input", async () => {
    const file = join(tempDir(), "input.json");
    writeFileSync(file, JSON.stringify(input()));
    const out = printed();
    expect(await main([file])).toBe(2);
    writeFileSync(file, "null");
    expect(await main([file, "local"])).toBe(2);
    expect(out()).toBe(
      "usage: node runner.mjs <input.json> local|net|domains <index> [--force]\nCODEX_SMOKE_RUNNER nonce=unknown part=local report=failed:INPUT_Error\n",
    );
  });

  it("the host reads these prefixes: the status line and the report line keep their names", async () => {
    const staged = input({
      reports: { local: "/nonexistent/r.json", net: "/nonexistent/n.json", domains: "/nonexistent/d.json" },
    });
    const file = join(staged.project, "input.json");
    writeFileSync(file, JSON.stringify(staged));
    const out = printed();
    expect(await main([file, "local", "--force"])).toBe(0);
    const lines = out().split("\n");
    expect(lines[0]).toBe(`CODEX_SMOKE_RUNNER nonce=${staged.nonce} part=local report=failed:ENOENT`);
    // The report itself, gzipped and base64-encoded (a gzip stream starts H4sI).
    expect(lines.filter((line) => line.startsWith("CODEX_SMOKE_REPORT H4sI"))).toHaveLength(1);
  });
});

describe("the report's own fields", () => {
  it("local: this process's uid, a duration of this run, the time it started", async () => {
    const before = Date.now();
    const report = await runLocalProbes(input());
    expect(report.uid).toBe(process.getuid?.());
    expect(report.durationMs).toBeGreaterThanOrEqual(0);
    expect(report.durationMs).toBeLessThan(60_000);
    expect(Date.parse(report.startedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(report.node).toBe(process.version);
    expect(report.cwd).toBe(process.cwd());
  });

  it("net, through a proxy that refuses: curl's exit 22, then the proxy's own answer, then fetch", async () => {
    const proxy = createServer((_req, res) => {
      res.writeHead(403, { "x-proxy-error": "blocked-by-allowlist" });
      res.end("Domain not in allowlist.");
    });
    const port = await listenOnLoopback(proxy);
    const saved = {
      http_proxy: process.env.http_proxy,
      NO_PROXY: process.env.NO_PROXY,
      no_proxy: process.env.no_proxy,
    };
    process.env.http_proxy = `http://127.0.0.1:${port}`;
    process.env.NO_PROXY = "";
    process.env.no_proxy = "";
    const partials: number[] = [];
    try {
      const before = Date.now();
      const report = await runNetProbes(input({ registryUrl: "http://registry.invalid/astro" }), (partial) =>
        partials.push(partial.registry.length),
      );
      expect(report.tool).toBe("codex-smoke-runner");
      expect(report.registry.map((a) => [a.client, a.curlExit, a.httpStatus])).toEqual([
        ["curl", 22, 403],
        ["proxy", null, 403],
        ["fetch", null, null],
      ]);
      expect(report.registry[1]?.errorBody).toBe("Domain not in allowlist.");
      expect(partials).toEqual([0, 0, 1, 2, 3, 3]);
      expect(report.durationMs).toBeGreaterThanOrEqual(0);
      expect(report.durationMs).toBeLessThanOrEqual(Date.now() - before + 1);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      proxy.close();
    }
  });
});
