// The shipped JSON Schemas: the report schema describes exactly what the JSON reporter writes, the expect schema is
// what `--expect` is validated against (one line per problem, naming the key), and the test hook that validates
// every report the suite writes catches a bad one.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_EXPECTATIONS, describeSchema, loadExpectations } from "../src/core/expectations.js";
import type { Report } from "../src/core/model.js";
import { pointerToPath, type SchemaNode, schemaValidator } from "../src/core/schemas.js";
import { renderJson } from "../src/reporters/json.js";
import { runCli } from "./helpers/audit.js";
import { outDirOf, readReport, validateWrittenReports } from "./helpers/report-schema.js";

const dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-schema-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

/** A report from before `codexPath` and `incomplete` existed (the diff tests' fixture). */
const older = JSON.parse(readFileSync("test/fixtures/reports/sample.json", "utf8")) as Report;
const current: Report = {
  ...older,
  target: {
    ...older.target,
    codexPath: "/home/dev/.local/bin/codex",
    execHeader: { version: "0.169.0", model: "gpt-5-codex" },
    codexHomeCopy: "audited a temporary copy of /home/dev/.codex",
  },
  incomplete: false,
};
const reportViolations = (value: unknown) =>
  schemaValidator("report")
    .violations(value)
    .map((v) => `${v.path || "(root)"} ${v.keyword} ${v.unknownKey ?? ""}`.trim());

describe("report schema", () => {
  it("accepts what the JSON reporter writes, every optional field included", () => {
    expect(reportViolations(JSON.parse(renderJson(current)))).toEqual([]);
    const { execHeader: _h, codexHomeCopy: _c, ...plainTarget } = current.target;
    expect(reportViolations(JSON.parse(renderJson({ ...current, target: plainTarget })))).toEqual([]);
    expect(reportViolations({ ...current, target: { ...current.target, execHeader: null } })).toEqual([]);
  });

  it("requires the fields a report has had since codexPath and incomplete, and no others", () => {
    expect(reportViolations(older)).toEqual(["(root) required", "target required"]);
    const result = current.results[0] as Report["results"][number];
    expect(reportViolations({ ...current, extra: 1 })).toEqual(["(root) additionalProperties extra"]);
    expect(reportViolations({ ...current, results: [{ ...result, note: "x" }] })).toEqual([
      "results[0] additionalProperties note",
    ]);
    const { remediation: _r, ...withoutRemediation } = result;
    expect(reportViolations({ ...current, results: [withoutRemediation] })).toEqual(["results[0] required"]);
  });

  it("rejects wrong values where a reader relies on them", () => {
    const result = current.results[0] as Report["results"][number];
    const bad = (patch: Record<string, unknown>) => reportViolations({ ...current, ...patch });
    expect(bad({ schemaVersion: 2 })).toEqual(["schemaVersion const"]);
    expect(bad({ tool: { name: "other", version: "1" } })).toEqual(["tool.name const"]);
    expect(bad({ startedAt: "June 1st" })).toEqual(["startedAt pattern"]);
    expect(bad({ durationMs: 1.5 })).toEqual(["durationMs type"]);
    expect(bad({ incomplete: "no" })).toEqual(["incomplete type"]);
    expect(bad({ summary: { ...current.summary, error: -1 } })).toEqual(["summary.error minimum"]);
    expect(bad({ results: [{ ...result, status: "weird" }] })).toEqual(["results[0].status enum"]);
    expect(bad({ results: [{ ...result, id: "Auth JSON" }] })).toEqual(["results[0].id pattern"]);
    expect(bad({ results: [{ ...result, evidence: [1] }] })).toEqual(["results[0].evidence[0] type"]);
    expect(bad({ target: { ...current.target, execHeader: { version: 1 } } })).toEqual([
      "target.execHeader.version type",
    ]);
  });

  it("JSON pointers become the paths positions are looked up by", () => {
    expect(pointerToPath("")).toBe("");
    expect(pointerToPath("/mcpServers/1")).toBe("mcpServers[1]");
    expect(pointerToPath("/results/3/status")).toBe("results[3].status");
    expect(pointerToPath("/target/execHeader/a~1b~0c")).toBe("target.execHeader.a/b~c");
  });
});

describe("the suite's report hook", () => {
  it("validates a report written since the run started, names the file and the violation", () => {
    const out = mkdtempSync(join(dir, "out-"));
    const { incomplete: _i, ...withoutIncomplete } = current;
    writeFileSync(join(out, "codex-smoke.json"), JSON.stringify(withoutIncomplete));
    expect(() => validateWrittenReports(out, Date.now() - 60_000)).toThrow(
      `${join(out, "codex-smoke.json")}: not a valid report (schemas/report.schema.json)\n  (root): must have required property 'incomplete'`,
    );
  });

  it("finds matrix's per-release reports; skips a file older than the run (planted by a test)", () => {
    const out = mkdtempSync(join(dir, "out-"));
    writeFileSync(join(out, "codex-smoke.json"), "old\n");
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(out, "codex-smoke.json"), old, old);
    writeFileSync(join(out, "codex-smoke.md"), "a file, not a release dir\n");
    expect(validateWrittenReports(out, Date.now() - 60_000)).toBe(0);
    const release = join(out, "codex-0.169.0");
    mkdirSync(release);
    writeFileSync(join(release, "codex-smoke.json"), renderJson(current));
    expect(validateWrittenReports(out, Date.now() - 60_000)).toBe(1);
    writeFileSync(join(release, "codex-smoke.json"), JSON.stringify({ ...current, schemaVersion: 2 }));
    expect(() => validateWrittenReports(out, Date.now() - 60_000)).toThrow(
      "  schemaVersion: must be equal to constant",
    );
  });

  it("reads --out as the CLI does", () => {
    expect(outDirOf(["run", "--out", "r"], "/p")).toBe("/p/r");
    expect(outDirOf(["run", "--out=/abs"], "/p")).toBe("/abs");
    expect(outDirOf(["run"], "/p")).toBe("/p/reports");
  });

  it("readReport refuses an invalid file", () => {
    const path = file("bad-report.json", JSON.stringify({ ...current, summary: {} }));
    expect(() => readReport(path)).toThrow("summary: must have required property 'pass'");
  });
});

describe("expect schema", () => {
  const schema = schemaValidator("expect").schema;

  it("lists every expectation with the built-in default, plus $schema for editors", () => {
    const defaults = Object.fromEntries(
      Object.entries(schema.properties ?? {})
        .filter(([key]) => key !== "$schema")
        .map(([key, node]) => [key, (node as SchemaNode & { default: unknown }).default]),
    );
    expect(defaults).toEqual(DEFAULT_EXPECTATIONS);
    expect(Object.keys(schema.properties ?? {})).toEqual(["$schema", ...Object.keys(DEFAULT_EXPECTATIONS)]);
  });

  it("words what each key must be from its schema node", () => {
    const wording = Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([key, node]) => [key, describeSchema(node, schema)]),
    );
    expect(wording).toEqual({
      $schema: "a string",
      profile: "a non-empty string",
      approval: "a non-empty string",
      sandboxHeader: "a non-empty string",
      tuiPermissions: "a non-empty string",
      mcpServers: "an array of non-empty strings",
      mcpOptional: "an array of non-empty strings",
      mcpApprovalMode: "a non-empty string",
      mcpToolTimeoutSec: "a positive number",
      readonlyPaths: "an array of non-empty strings",
      webSearch: "a non-empty string",
      envSecrets: '"warn" or "fail"',
      registryPackage: "a non-empty string",
      launcherIntegrity: '"warn" or "fail"',
    });
  });

  it("$schema is accepted and is no expectation; the rest replace the defaults key by key", async () => {
    const path = file(
      "ok.json",
      JSON.stringify({
        $schema: "./node_modules/codex-smoke/schemas/expect.schema.json",
        envSecrets: "fail",
      }),
    );
    expect(await loadExpectations(path)).toEqual({ ...DEFAULT_EXPECTATIONS, envSecrets: "fail" });
    expect(await loadExpectations(file("empty.json", "{}"))).toEqual(DEFAULT_EXPECTATIONS);
    expect(await loadExpectations(file("servers.json", '{"mcpServers": []}'))).toEqual({
      ...DEFAULT_EXPECTATIONS,
      mcpServers: [],
    });
  });

  it.each([
    ['{"profile": ""}', '1:13: "profile" must be a non-empty string'],
    ['{"approval": 1}', '1:14: "approval" must be a non-empty string'],
    ['{"mcpServers": "playwright"}', '1:16: "mcpServers" must be an array of non-empty strings'],
    ['{"readonlyPaths": [".codex", ""]}', '1:30: "readonlyPaths[1]" must be a non-empty string'],
    ['{"mcpToolTimeoutSec": 0}', '1:23: "mcpToolTimeoutSec" must be a positive number'],
    ['{"mcpToolTimeoutSec": "300"}', '1:23: "mcpToolTimeoutSec" must be a positive number'],
    ['{"envSecrets": "error"}', '1:16: "envSecrets" must be "warn" or "fail"'],
    ['{"$schema": 1}', '1:13: "$schema" must be a string'],
    ["[]", "1:1: must be a JSON object"],
    ["null", "1:1: must be a JSON object"],
  ])("%s: %s", async (text, line) => {
    const path = file("bad.json", text);
    await expect(loadExpectations(path)).rejects.toThrow(`--expect ${path}:${line}`);
  });

  it("every problem is its own line, in the order of the file", async () => {
    const path = file(
      "many.json",
      '{\n  "envSecrets": "error",\n  "mcpServers": ["a", 3, ""],\n  "profil": "x"\n}\n',
    );
    const known =
      "profile, approval, sandboxHeader, tuiPermissions, mcpServers, mcpOptional, mcpApprovalMode, mcpToolTimeoutSec, readonlyPaths, webSearch, envSecrets, registryPackage, launcherIntegrity";
    const launcher = file("codex-auto", "#!/bin/sh\nexit 1\n");
    chmodSync(launcher, 0o755);
    const run = await runCli(["run", "--launcher", launcher, "--project", dir, "--expect", path], {
      env: { PATH: process.env.PATH ?? "", HOME: homedir() },
      cwd: dir,
    });
    expect(run.stderr).toBe(
      [
        `codex-smoke: --expect ${path}:2:17: "envSecrets" must be "warn" or "fail"`,
        `codex-smoke: --expect ${path}:3:23: "mcpServers[1]" must be a non-empty string`,
        `codex-smoke: --expect ${path}:3:26: "mcpServers[2]" must be a non-empty string`,
        `codex-smoke: --expect ${path}:4:13: unknown key "profil" (known: ${known})`,
        "",
      ].join("\n"),
    );
    expect(run.exitCode).toBe(2);
  });
});
