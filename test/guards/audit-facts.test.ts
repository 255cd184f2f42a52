// Launch outcomes into facts (src/audit/facts.ts): recorded Codex stderr (test/fixtures/exec), the runner's real
// report files and model-channel lines, Codex's proxy kill message, the shim's real recording of a launcher's argv.
// Every text that may hold a secret passes through the redactor before a check sees it.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  configFacts,
  execFacts,
  launcherFacts,
  mcpGetFact,
  runnerFacts,
  type StagedReports,
} from "../../src/audit/facts.js";
import { MAX_REPORT_BYTES, readRegularFile } from "../../src/audit/untrusted.js";
import { gathered, type McpGetFacts, notGathered } from "../../src/core/model.js";
import { Redactor } from "../../src/core/redact.js";
import type { LaunchResult } from "../../src/gather/launch.js";
import * as reader from "../../src/gather/launcher-static.js";
import { installShim } from "../../src/gather/shim.js";
import type { RunnerInput } from "../../src/runner/types.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";
import { tempDirs } from "../helpers/temp-dirs.js";

const NONCE = "0123456789ab";
const SECRET = "sk-proj-factsfactsfactsfacts0123";
const redact = (text: string) => new Redactor([SECRET]).redact(text);
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, "..", "fixtures", "exec", `${name}.stderr.txt`), "utf8");
const KILLS = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "fixtures", "proxy", "exec-proxy-on.kills.json"), "utf8"),
) as Record<string, { functionCallOutput: string[] }>;

const { tempDir } = tempDirs("test-guard-facts-");

function launched(fields: Partial<LaunchResult>): LaunchResult {
  return {
    exitCode: 0,
    timedOut: false,
    stdout: "",
    stderr: "",
    durationMs: 1234,
    spawnError: null,
    ...fields,
  };
}

describe("execFacts", () => {
  it("not launched, or the launcher could not start: could not test, and why", () => {
    expect(execFacts(null, [], redact, 60_000)).toEqual(notGathered("not needed"));
    expect(execFacts(launched({ spawnError: "EACCES" }), [], redact, 60_000)).toEqual(
      notGathered("cannot run the launcher: EACCES"),
    );
  });

  it("exit 127 without a header: the launcher could not run Codex (its first two lines, redacted)", () => {
    const stderr = `./codex-auto: line 3: codex: command not found\n\n  key ${SECRET}  \nthird\n`;
    expect(execFacts(launched({ exitCode: 127, stderr }), [], redact, 60_000)).toEqual(
      notGathered(
        "the launcher could not run Codex: ./codex-auto: line 3: codex: command not found |   key ***",
      ),
    );
  });

  it("exit 127 after the header is Codex's own outcome, not a missing Codex", () => {
    const fact = execFacts(launched({ exitCode: 127, stderr: fixture("header-profile") }), [], redact, 1);
    expect(fact.ok && fact.value.exitCode).toBe(127);
  });

  it("timed out before the header: could not test, with the deadline in seconds", () => {
    expect(execFacts(launched({ exitCode: null, timedOut: true }), [], redact, 90_000)).toEqual(
      notGathered("Codex timed out after 90s before printing its header"),
    );
    const late = execFacts(launched({ timedOut: true, stderr: fixture("header-profile") }), [], redact, 1);
    expect(late.ok && late.value.timedOut).toBe(true);
  });

  it("a header: parsed, no refusal, the last 12 stderr lines and every command output redacted", () => {
    const stderr = `${fixture("header-profile")}line with ${SECRET}\n`;
    const fact = execFacts(launched({ stderr }), [`out ${SECRET}`, "plain"], redact, 60_000);
    expect(fact.ok).toBe(true);
    if (!fact.ok) return;
    expect(fact.value.header?.sandbox).toBeTruthy();
    expect(fact.value.refused).toBeNull();
    expect(fact.value).toMatchObject({ exitCode: 0, timedOut: false, durationMs: 1234 });
    const lines = stderr.split("\n").filter(Boolean);
    expect(fact.value.stderrTail).toEqual(lines.slice(-12).map(redact));
    expect(fact.value.stderrTail.at(-1)).toBe("line with ***");
    expect(fact.value.commandOutputs).toEqual(["out ***", "plain"]);
  });

  it("Codex refused its config: the refusal, from the message, else the last line, else the exit code", () => {
    const toml = execFacts(launched({ exitCode: 1, stderr: fixture("refusal-toml-parse") }), [], redact, 1);
    expect(toml.ok && toml.value.refused).toMatch(/^Error loading config\.toml: .*unclosed table/);
    const other = execFacts(
      launched({ exitCode: 1, stderr: `first\nsecond\nno ${SECRET}\n` }),
      [],
      redact,
      1,
    );
    expect(other.ok && other.value.refused).toBe("no ***");
    const silent = execFacts(launched({ exitCode: 3 }), [], redact, 1);
    expect(silent.ok && silent.value.refused).toBe("exit 3");
    const fine = execFacts(launched({ exitCode: 0, stderr: "no header\n" }), [], redact, 1);
    expect(fine.ok && fine.value.refused).toBeNull();
  });
});

describe("mcpGetFact", () => {
  const entry = (exitCode: number | null, output: string): McpGetFacts => ({ exitCode, fields: {}, output });

  it("each server answered, or is unknown to Codex: gathered as they are", () => {
    const entries: Array<[string, McpGetFacts]> = [
      ["playwright", entry(0, "playwright\n  enabled: true")],
      ["ghost", entry(1, "Error: No MCP server named 'ghost' found.")],
    ];
    expect(mcpGetFact(entries)).toEqual(gathered(Object.fromEntries(entries)));
  });

  it("killed at the deadline, Codex missing, or Codex refusing the config: could not test", () => {
    expect(
      mcpGetFact([
        ["a", entry(0, "")],
        ["slow", entry(null, "waited 10 s")],
      ]),
    ).toEqual(notGathered("`mcp get slow` did not finish: waited 10 s"));
    expect(mcpGetFact([["a", entry(127, "sh: codex: not found\n\nsecond\nthird")]])).toEqual(
      notGathered("the launcher could not run Codex: sh: codex: not found | second"),
    );
    expect(mcpGetFact([["a", entry(1, "Error: bad\n  line 2\nline 3\nline 4")]])).toEqual(
      notGathered("`mcp get a` refused (exit 1): Error: bad |   line 2 | line 3"),
    );
  });
});

describe("runnerFacts", () => {
  const local = () => ({ ...healthyFacts().runner, nonce: NONCE });
  const net = () => ({ ...healthyFacts().network.report, nonce: NONCE });

  /** Report paths in a folder of their own, read as the audit reads them: no symlink, size-capped. */
  function staged(): StagedReports {
    const dir = tempDir();
    const input = {
      nonce: NONCE,
      reports: { local: join(dir, "report.local.json"), net: join(dir, "report.net.json") },
    } as RunnerInput;
    return { input, read: (part) => readRegularFile(input.reports[part]) };
  }
  const ran = (outputs: string[], fields: Partial<LaunchResult> = {}) =>
    execFacts(launched({ stderr: fixture("header-profile"), ...fields }), outputs, redact, 1);

  it("not needed: neither part", () => {
    expect(runnerFacts(null, ran([]))).toEqual({
      runner: notGathered("not needed"),
      network: notGathered("not needed"),
    });
  });

  it("both report files: gathered, no kill", () => {
    const reports = staged();
    const { input } = reports;
    writeFileSync(input.reports.local, JSON.stringify(local()));
    writeFileSync(input.reports.net, JSON.stringify(net()));
    expect(runnerFacts(reports, ran(["CODEX_SMOKE_RUNNER ok"]))).toEqual({
      runner: gathered(local()),
      network: gathered({ report: net(), killedBy: null }),
    });
  });

  it("no file but the model channel's line (this run's, this part's): gathered from the line", () => {
    const reports = staged();
    const lines = [
      `CODEX_SMOKE_REPORT ${JSON.stringify({ ...local(), nonce: "ffffffffffff" })}`,
      `CODEX_SMOKE_REPORT ${JSON.stringify(net())}`,
      `noise CODEX_SMOKE_REPORT ${JSON.stringify(local())}`,
      // As long as the prefix, but not the prefix: not a report line.
      `${"x".repeat("CODEX_SMOKE_REPORT ".length)}${JSON.stringify({ ...local(), cwd: "/forged" })}`,
      `CODEX_SMOKE_REPORT ${JSON.stringify(local())}`,
    ];
    const facts = runnerFacts(reports, ran([lines.slice(0, 2).join("\n"), lines.slice(2).join("\n")]));
    expect(facts.runner).toEqual(gathered(local()));
    expect(facts.network).toEqual(gathered({ report: net(), killedBy: null }));
  });

  it("the runner's packed line (base64 of the gzipped JSON): unpacked and gathered", () => {
    const reports = staged();
    const packed = (report: object) => gzipSync(JSON.stringify(report)).toString("base64");
    const facts = runnerFacts(
      reports,
      ran([`CODEX_SMOKE_REPORT ${packed(local())}\nCODEX_SMOKE_REPORT ${packed(net())}`]),
    );
    expect(facts.runner).toEqual(gathered(local()));
    expect(facts.network).toEqual(gathered({ report: net(), killedBy: null }));
  });

  it("a packed line over the report cap unpacked (in bytes, as a file's) is not read: the file's problem stays the reason", () => {
    const reports = staged();
    // Two bytes a character: more bytes than the cap, fewer characters.
    const big = { ...local(), cwd: "\u00e9".repeat(MAX_REPORT_BYTES / 2 + 1024) };
    expect(JSON.stringify(big).length).toBeLessThan(MAX_REPORT_BYTES);
    const line = `CODEX_SMOKE_REPORT ${gzipSync(JSON.stringify(big)).toString("base64")}`;
    expect(runnerFacts(reports, ran([line])).runner).toEqual(
      notGathered(`${reports.input.reports.local}: cannot open (ENOENT)`),
    );
  });

  it("a failure reading the report that is not about the report (a bug) is thrown, not taken for a missing report", () => {
    const { input } = staged();
    const broken: StagedReports = {
      input,
      read: () => {
        throw new TypeError("a bug in the reader");
      },
    };
    expect(() => runnerFacts(broken, ran([]))).toThrow("a bug in the reader");
  });

  it("a live session's report (no launch): the file's own problem is the reason", () => {
    const reports = staged();
    expect(runnerFacts(reports, null).runner).toEqual(
      notGathered(`${reports.input.reports.local}: cannot open (ENOENT)`),
    );
    writeFileSync(reports.input.reports.local, JSON.stringify(local()));
    expect(runnerFacts(reports, null).runner).toEqual(gathered(local()));
  });

  it("a symlinked report file is not read; the refusal is the reason", () => {
    const reports = staged();
    const { input } = reports;
    writeFileSync(`${input.reports.local}.real`, JSON.stringify(local()));
    symlinkSync(`${input.reports.local}.real`, input.reports.local);
    expect(runnerFacts(reports, ran(["CODEX_SMOKE_RUNNER ok"])).runner).toEqual(
      notGathered(`${input.reports.local}: cannot open (ELOOP)`),
    );
  });

  it("killed by Codex's proxy before the net report: an empty, incomplete report with the kill", () => {
    const reports = staged();
    const { input } = reports;
    writeFileSync(input.reports.local, JSON.stringify(local()));
    const kill = KILLS.allowlist?.functionCallOutput[0] ?? "";
    const facts = runnerFacts(reports, ran(["CODEX_SMOKE_RUNNER ok", kill]));
    expect(facts.network.ok).toBe(true);
    if (!facts.network.ok) return;
    expect(facts.network.value.killedBy?.host).toBe("codex-smoke-blocked.invalid");
    expect(facts.network.value.report).toMatchObject({
      schema: 2,
      tool: "codex-smoke-runner",
      part: "net",
      nonce: NONCE,
      durationMs: 0,
      complete: false,
      environment: null,
      tlsControl: null,
      registry: [],
    });
    expect(Date.parse(facts.network.value.report.startedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("no report: why the runner did not report, from the launch", () => {
    const reports = staged();
    const { input } = reports;
    // The exec launch's failure is the cause: the fact names it (root cause first), with the launch's own reason.
    expect(runnerFacts(reports, notGathered("cannot run the launcher: EACCES")).runner).toEqual(
      notGathered("cannot run the launcher: EACCES", "exec"),
    );
    const refused = execFacts(
      launched({ exitCode: 1, stderr: fixture("refusal-toml-parse") }),
      [],
      redact,
      1,
    );
    expect(runnerFacts(reports, refused).network).toEqual(
      notGathered(`Codex refused to start: ${refused.ok ? refused.value.refused : ""}`, "exec"),
    );
    expect(runnerFacts(reports, ran(["x"], { timedOut: true })).runner).toEqual(
      notGathered("Codex timed out before the runner reported", "exec"),
    );
    const tail = ["a", "b", "c", "d"].join("\n");
    expect(
      runnerFacts(reports, ran([], { exitCode: 2, stderr: `${fixture("header-profile")}${tail}\n` })).runner,
    ).toEqual(notGathered("the runner never ran (exit 2): b | c | d", "exec"));
    expect(runnerFacts(reports, ran([], { exitCode: null })).runner).toEqual(
      expect.objectContaining({
        error: expect.stringMatching(/^the runner never ran \(exit \?\)/),
        because: "exec",
      }),
    );
    expect(runnerFacts(reports, ran(["it ran, wrote nothing"])).runner).toEqual(
      notGathered(`${input.reports.local}: cannot open (ENOENT)`),
    );
  });
});

/** The launcher facts of a launch that ran `command` (through the PATH shim) with the profile option "prof". */
function launcherRunning(command: string) {
  const shim = installShim(tempDir(), "/bin/true");
  execFileSync("sh", ["-c", command], {
    env: shim.envFor("exec", { PATH: process.env.PATH ?? "/usr/bin:/bin" }),
  });
  return launcherFacts({
    reader,
    path: "/p/codex-auto",
    text: "",
    shim,
    appended: { exec: ["hi"], tui: [], mcp: [] },
    profileOption: "prof",
    redact,
  });
}

describe("launcherFacts and configFacts", () => {
  it("the argv the shim recorded, with a secret override masked and every arg redacted", () => {
    const runDir = tempDir();
    const shim = installShim(runDir, "/bin/true");
    const env = shim.envFor("exec", { PATH: process.env.PATH ?? "/usr/bin:/bin" });
    const argv = [
      "exec",
      "--profile",
      "observed",
      "-c",
      'mcp_servers.docs.env.API_TOKEN="hunter2-is-long"',
      "-c",
      `model="${SECRET}"`,
      "SECRETS",
      "hi",
    ];
    execFileSync("sh", ["-c", 'codex "$@"', "launcher", ...argv], { env });
    const facts = launcherFacts({
      reader,
      path: join(runDir, "codex-auto"),
      text: '#!/bin/sh\nexec codex --profile static "$@"\n',
      shim,
      appended: { exec: ["hi"], tui: [], mcp: [] },
      profileOption: "option",
      redact,
    });
    expect(facts.observed.exec?.argv).toEqual([
      "exec",
      "--profile",
      "observed",
      "-c",
      "mcp_servers.docs.env.API_TOKEN=***",
      "-c",
      'model="***"',
      "SECRETS",
      "hi",
    ]);
    expect(facts.observed.exec?.parsed.overrides.map((o) => o.raw)).toEqual([
      "mcp_servers.docs.env.API_TOKEN=***",
      'model="***"',
    ]);
    expect(facts.observed.tui).toBeUndefined();
    expect([facts.profile, facts.profileSource, facts.static.profile]).toEqual([
      "observed",
      "observed",
      "static",
    ]);
  });

  it("without an observed launch the profile comes from --profile, else the launcher's text, else the default", () => {
    const base = {
      reader,
      path: "/p/codex-auto",
      shim: null,
      appended: { exec: [], tui: [], mcp: [] },
      redact,
    };
    const text = '#!/bin/sh\nexec codex --profile static "$@"\n';
    const pick = (f: ReturnType<typeof launcherFacts>) => [f.profile, f.profileSource];
    expect(pick(launcherFacts({ ...base, text, profileOption: "option" }))).toEqual(["option", "option"]);
    expect(pick(launcherFacts({ ...base, text, profileOption: undefined }))).toEqual(["static", "static"]);
    expect(pick(launcherFacts({ ...base, text: 'exec codex "$@"\n', profileOption: undefined }))).toEqual([
      null,
      "default",
    ]);
  });

  it("configFacts reads the layers with the overrides the launch really passed", () => {
    const home = tempDir();
    const codexHome = join(home, ".codex");
    mkdirSync(codexHome);
    writeFileSync(join(codexHome, "prof.config.toml"), 'approval_policy = "on-request"\n');
    const launcher = launcherRunning('codex exec -c approval_policy="never" hi');
    const config = configFacts({ codexHome, home, project: home, profile: "prof", launcher });
    expect(config.effective.approval_policy).toBe("never");
  });

  it("configFacts: the folders the launch passed with --add-dir are workspace roots too", () => {
    const home = tempDir();
    const extra = tempDir();
    const launcher = launcherRunning(`codex exec --add-dir ${extra} hi`);
    expect(
      configFacts({ codexHome: home, home, project: home, profile: "prof", launcher }).workspaceRoots,
    ).toEqual([home, extra]);
  });

  it("configFacts without an observed launch: no overrides", () => {
    const home = tempDir();
    const launcher = launcherFacts({
      reader,
      path: "/p/codex-auto",
      text: "",
      shim: null,
      appended: { exec: [], tui: [], mcp: [] },
      profileOption: "prof",
      redact,
    });
    expect(
      configFacts({ codexHome: home, home, project: home, profile: "prof", launcher }).launcherOverrides,
    ).toEqual([]);
  });
});
