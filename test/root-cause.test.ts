// Root cause first: one failed step is reported once, by the check that owns it, with its fix; the checks that
// could not be tested without it say `not tested: <that check> …`, stay `error` and carry no fix of their own.
// The whole registry runs over the lab's healthy facts with one step broken, as an audit evaluates them.
import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { evaluate } from "../src/audit/evaluate.js";
import { DEFAULT_EXPECTATIONS } from "../src/core/expectations.js";
import type { CheckResult, Facts, FactValues, Report } from "../src/core/model.js";
import { gathered, notGathered } from "../src/core/model.js";
import { renderConsole } from "../src/reporters/console.js";
import { renderJson } from "../src/reporters/json.js";
import { renderMarkdown } from "../src/reporters/markdown.js";
import { factsOf } from "./checks/rule-tester.js";
import { healthyFacts, PROFILE_PATH } from "./fixtures/facts/healthy.js";
import { RUNNER_DEPENDENTS } from "./helpers/runner-dependents.js";

const ALL = new Set<string>(checks.map((check) => check.id));
const EXECVP =
  "bwrap: execvp /opt/codex/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/codex/codex: No such file or directory";
const REPORT_MISSING = "/home/alice/work/azinstitute/.codex-smoke-n/report.local.json: cannot open (ENOENT)";

function run(facts: Facts, selected: ReadonlySet<string> = ALL): Map<string, CheckResult> {
  const results = evaluate(checks, selected, facts, DEFAULT_EXPECTATIONS, (s) => s);
  return new Map(results.map((result) => [result.id, result]));
}

function get(results: Map<string, CheckResult>, id: string): CheckResult {
  const result = results.get(id);
  if (!result) throw new Error(`no result for ${id}`);
  return result;
}

/** The sandbox cannot exec Codex's binary: every command fails, no runner report reaches the project. */
function runnerCannotRun(): Facts {
  const values = healthyFacts();
  values.exec.commandOutputs = [`Process exited with code 1\nOutput:\n${EXECVP}`];
  return factsOf(values, { runner: REPORT_MISSING, network: REPORT_MISSING.replace("local", "net") });
}

/** bwrap cannot create namespaces on this host: no command runs, nothing about the setup is learnt. */
function hostCannotSandbox(): Facts {
  const values = healthyFacts();
  values.hostSandbox = {
    ...values.hostSandbox,
    usable: false,
    exitCode: 1,
    output: "bwrap: Creating new namespace failed: No space left on device",
  };
  const why = "the host cannot run the sandbox: bwrap: Creating new namespace failed";
  return {
    ...factsOf(values),
    runner: notGathered(why, "hostSandbox"),
    network: notGathered(why, "hostSandbox"),
    sideEffects: notGathered(why, "hostSandbox"),
  };
}

function reportOf(results: Map<string, CheckResult>): Report {
  const list = [...results.values()];
  return {
    schemaVersion: 1,
    tool: { name: "codex-smoke", version: "0.0.0" },
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1000,
    target: {
      launcher: "l",
      project: "p",
      codexHome: "h",
      profile: "azi4a2-autonomous",
      codexVersion: "0.169.0",
      codexPath: "c",
    },
    summary: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 },
    incomplete: false,
    results: list,
  };
}

describe("a runner that could not run", () => {
  it("is one root cause (runner.report, with its fix) plus every check that reads its report, not tested", () => {
    const results = run(runnerCannotRun());
    const root = get(results, "runner.report");
    expect(root.status).toBe("fail");
    expect(root.rootCause).toBeUndefined();
    expect(root.remediation).toContain('/vendor" = "read"');
    for (const id of RUNNER_DEPENDENTS) {
      const result = get(results, id);
      expect(result.status, id).toBe("error");
      expect(result.observed, id).toBe("not tested: runner.report failed");
      expect(result.rootCause, id).toBe("runner.report");
      // No fix of its own (fs.auth_json's would be "Add ~/.codex/auth.json = none"): the root cause's.
      expect(result.remediation, id).toBe(
        "None of its own: fix `runner.report` first, then this check runs.",
      );
      // What it could not read stays in the evidence.
      expect(result.evidence.join("\n"), id).toContain("ENOENT");
    }
    const dependents = [...results.values()].filter((r) => r.rootCause !== undefined).map((r) => r.id);
    expect(dependents.sort()).toEqual([...RUNNER_DEPENDENTS].sort());
  });

  it("is listed first on the console, its dependents one line each", () => {
    const text = renderConsole(reportOf(run(runnerCannotRun())), { color: false });
    const lines = text.split("\n");
    const rootHeading = lines.indexOf("root cause");
    expect(rootHeading).toBeGreaterThan(0);
    expect(rootHeading).toBeLessThan(lines.indexOf("launcher"));
    expect(lines[rootHeading + 1]).toMatch(/^ {2}FAIL {2}runner\.report +In-sandbox runner ran sandboxed$/);
    expect(text).toContain(`blocks: ${RUNNER_DEPENDENTS.length} not tested: ${RUNNER_DEPENDENTS.join(", ")}`);
    expect(text).toMatch(
      /^ {2}ERR {3}fs\.auth_json +auth\.json unreadable inside — not tested: runner\.report failed; see docs\/checks\/fs\.auth_json\.md$/m,
    );
    expect(text).toMatch(
      /^ {2}FAIL {2}runner\.report +In-sandbox runner ran sandboxed — root cause, shown first$/m,
    );
    // The fix is printed once, by the root cause; no dependent prints the auth.json rule.
    expect(text.match(/fix: /g)).toHaveLength(1);
    expect(text).not.toContain("auth.json = none");
  });

  it("leads the Markdown details and is named by each dependent in the JSON report", () => {
    // host.sandbox is last in the registry, its dependents before it.
    const details = renderMarkdown(reportOf(run(hostCannotSandbox()))).split("## Details")[1] ?? "";
    expect(details.indexOf("`host.sandbox`")).toBeGreaterThan(0);
    expect(details.indexOf("`host.sandbox`")).toBeLessThan(details.indexOf("`runner.report`"));
    const report = reportOf(run(runnerCannotRun()));
    const json = JSON.parse(renderJson(report)) as Report;
    expect(json.results.find((r) => r.id === "fs.auth_json")?.rootCause).toBe("runner.report");
    expect(json.results.find((r) => r.id === "runner.report")).not.toHaveProperty("rootCause");
  });

  it("is the dependents' own error when runner.report is not selected (nothing to point at)", () => {
    const selected = new Set(RUNNER_DEPENDENTS);
    const result = get(run(runnerCannotRun(), selected), "fs.auth_json");
    expect(result.status).toBe("error");
    expect(result.observed).toBe(`could not test: runner: ${REPORT_MISSING}`);
    expect(result.rootCause).toBeUndefined();
    expect(result.remediation).not.toContain("auth.json");
  });
});

describe("the step each failure belongs to", () => {
  it("a host that cannot sandbox: host.sandbox, with its fix, for the runner and everything after it", () => {
    const facts = hostCannotSandbox();
    const results = run(facts);
    expect(get(results, "host.sandbox").status).toBe("error");
    expect(get(results, "host.sandbox").rootCause).toBeUndefined();
    expect(get(results, "host.sandbox").remediation).toContain("user namespaces");
    for (const id of ["runner.report", ...RUNNER_DEPENDENTS]) {
      expect(get(results, id).observed, id).toBe("not tested: host.sandbox could not test");
    }
    // The exec launch itself ran: its header is judged as usual.
    expect(get(results, "banner.sandbox").status).toBe("pass");
  });

  it("a host that cannot sandbox and a launch refused for it: one root cause, host.sandbox", () => {
    const facts = hostCannotSandbox();
    const refusal =
      "Error: thread/start failed: fs sandbox helper failed: bwrap: Creating new namespace failed (ENOSPC)";
    if (facts.exec.ok) facts.exec = gathered({ ...facts.exec.value, header: null, refused: refusal });
    const results = run(facts);
    for (const id of ["banner.sandbox", "banner.approval", "runner.report", "fs.auth_json"]) {
      expect(get(results, id).observed, id).toBe("not tested: host.sandbox could not test");
    }
  });

  it("a launch Codex refused: banner.sandbox reports it once, with a fix for the refusal", () => {
    const values = healthyFacts();
    const refusal =
      "Error: error loading config: unknown variant `sometimes`, expected one of `never`, `on-request`";
    values.exec = { ...values.exec, header: null, exitCode: 1, refused: refusal, commandOutputs: [] };
    const facts: Facts = {
      ...factsOf(values),
      runner: notGathered(`Codex refused to start: ${refusal}`, "exec"),
      network: notGathered(`Codex refused to start: ${refusal}`, "exec"),
    };
    const results = run(facts);
    const root = get(results, "banner.sandbox");
    expect(root.observed).toContain("could not test: Codex refused to start");
    expect(root.remediation).toContain("Make Codex start on this setup");
    for (const id of ["banner.approval", "runner.report", ...RUNNER_DEPENDENTS]) {
      expect(get(results, id).observed, id).toBe("not tested: banner.sandbox could not test");
    }
  });

  it("a refusal a config check explains: that check is the root cause, not the launch", () => {
    const values = healthyFacts();
    values.config.profile = {
      ...values.config.profile,
      parseError: { line: 3, column: 1, message: "expected `=`" },
    };
    delete values.config.profile.data;
    const refusal = `Error: ${PROFILE_PATH}:3:1: expected \`=\``;
    values.exec = { ...values.exec, header: null, exitCode: 1, refused: refusal, commandOutputs: [] };
    values.tui = { ...values.tui, refused: refusal };
    const facts: Facts = {
      ...factsOf(values),
      runner: notGathered(`Codex refused to start: ${refusal}`, "exec"),
      network: notGathered(`Codex refused to start: ${refusal}`, "exec"),
    };
    const results = run(facts);
    expect(get(results, "config.profile").status).toBe("fail");
    expect(get(results, "config.profile").rootCause).toBeUndefined();
    expect(get(results, "config.profile").remediation).toContain("Correct the TOML");
    for (const id of ["banner.sandbox", "tui.permissions", "mcp.servers", "runner.report", "fs.auth_json"]) {
      expect(get(results, id).observed, id).toBe("not tested: config.profile failed");
    }
  });

  it("no host record and so no side effects: runner.report reports it for the checks that read them", () => {
    const results = run({
      ...factsOf(healthyFacts()),
      staging: notGathered("the staging record is unreadable"),
      sideEffects: notGathered("the staging record is unreadable"),
    });
    expect(get(results, "runner.report").observed).toBe(
      "could not test: no host record: the staging record is unreadable",
    );
    expect(get(results, "fs.readonly_paths").observed).toBe("not tested: runner.report could not test");
  });

  it("an interactive session Codex refused for a reason no check explains: tui.permissions reports it", () => {
    const values = healthyFacts();
    const refusal = "Error: the terminal is too small";
    values.tui = { ...values.tui, refused: refusal };
    const results = run(factsOf(values));
    expect(get(results, "tui.permissions").status).toBe("error");
    expect(get(results, "tui.permissions").rootCause).toBeUndefined();
    expect(get(results, "mcp.servers").observed).toBe("not tested: tui.permissions could not test");
    expect(get(results, "mcp.servers").rootCause).toBe("tui.permissions");
  });

  it("a result that failed on its own is never rewritten, and a healthy setup has no root cause", () => {
    const values: FactValues = healthyFacts();
    const healthy = run(factsOf(values));
    expect([...healthy.values()].filter((r) => r.rootCause !== undefined)).toEqual([]);
    values.runner.project.write = { ok: false, code: "EROFS" };
    const broken = run({ ...factsOf(values), mcpGet: gathered(values.mcpGet) });
    expect(get(broken, "fs.project_write").status).toBe("fail");
    expect(get(broken, "fs.project_write").rootCause).toBeUndefined();
  });
});
