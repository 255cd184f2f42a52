import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffReports, hasRegressions, loadReport, renderDiff } from "../src/commands/diff.js";
import { type CheckResult, type Report, STATUSES, type Status } from "../src/core/model.js";
import { recordedExecHeader } from "../src/gather/exec-header.js";

let before: Report;
let after: Report;
let dir: string;

beforeAll(async () => {
  before = await loadReport("test/fixtures/reports/sample.json");
  after = await loadReport("test/fixtures/reports/sample-later.json");
  dir = await mkdtemp(join(tmpdir(), "codex-smoke-diff-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);

describe("diffReports", () => {
  it("finds regressions, fixes, changed evidence, added and removed checks", () => {
    const diff = diffReports(before, after);
    expect(diff.regressions).toEqual([
      {
        id: "fs.auth_json",
        title: "auth.json is not readable",
        from: "pass",
        to: "fail",
        before: "EACCES",
        after: "opened (read 412 bytes)",
      },
    ]);
    expect(diff.fixes.map((c) => [c.id, c.from, c.to])).toEqual([["fs.git_write", "fail", "pass"]]);
    expect(diff.otherStatusChanges.map((c) => [c.id, c.from, c.to])).toEqual([
      ["launcher.flags", "pass", "warn"],
    ]);
    expect(diff.changedEvidence.map((c) => [c.id, c.before, c.after])).toEqual([
      ["env.secrets", "GITHUB_TOKEN is visible", "GITHUB_TOKEN, NPM_TOKEN are visible"],
    ]);
    expect(diff.added).toEqual([
      { id: "host.sandbox", title: "The host can run the sandbox", status: "pass" },
    ]);
    expect(diff.removed).toEqual([
      { id: "tui.permissions", title: "/status shows workspace access", status: "skip" },
    ]);
    expect(hasRegressions(diff)).toBe(true);
  });

  it("reads the other way round as the mirror image", () => {
    const diff = diffReports(after, before);
    expect(ids(diff.regressions)).toEqual(["fs.git_write"]);
    expect(ids(diff.fixes)).toEqual(["fs.auth_json"]);
    expect(ids(diff.added)).toEqual(["tui.permissions"]);
    expect(ids(diff.removed)).toEqual(["host.sandbox"]);
  });

  it("finds nothing between a report and itself", () => {
    const diff = diffReports(before, before);
    expect(Object.values(diff).every((list) => list.length === 0)).toBe(true);
    expect(hasRegressions(diff)).toBe(false);
  });

  it("a removed check is not a regression, even if it passed", () => {
    const diff = diffReports(before, {
      ...before,
      results: before.results.filter((r) => r.id !== "fs.auth_json"),
    });
    expect(diff.regressions).toEqual([]);
    expect(ids(diff.removed)).toEqual(["fs.auth_json"]);
  });

  const BROKEN: Status[] = ["fail", "error"];
  const HOLDS: Status[] = ["pass", "warn"];
  const transitions = STATUSES.flatMap((from) =>
    STATUSES.filter((to) => to !== from).map((to) => [from, to]),
  );
  it.each(transitions)("%s → %s is classified once", (from, to) => {
    const check = before.results[0] as CheckResult;
    const one = (status: Status): Report => ({ ...before, results: [{ ...check, status }] });
    const diff = diffReports(one(from as Status), one(to as Status));
    const regression = !BROKEN.includes(from as Status) && BROKEN.includes(to as Status);
    const fix = BROKEN.includes(from as Status) && HOLDS.includes(to as Status);
    expect(diff.regressions.length).toBe(regression ? 1 : 0);
    expect(diff.fixes.length).toBe(fix ? 1 : 0);
    expect(diff.otherStatusChanges.length).toBe(regression || fix ? 0 : 1);
    expect(diff.changedEvidence).toEqual([]);
  });
});

describe("renderDiff", () => {
  it("lists each kind of change, without colour unless asked", () => {
    const text = renderDiff(diffReports(before, after), { color: false });
    expect(text.split("\n")[0]).toBe(
      "codex-smoke diff: 1 regression, 1 fix, 1 other status change, 1 changed evidence, 1 added, 1 removed",
    );
    expect(text).toMatch(/Regressions\n {2}PASS → FAIL {2}fs\.auth_json {2}auth\.json is not readable\n/);
    expect(text).toContain("      before: EACCES\n      after:  opened (read 412 bytes)");
    expect(text).toMatch(/Fixes\n {2}FAIL → PASS {2}fs\.git_write/);
    expect(text).toMatch(/Changed evidence\n {2}WARN {2}env\.secrets/);
    expect(text).toContain("Added\n  + PASS  host.sandbox");
    expect(text).toContain("Removed\n  - SKIP  tui.permissions");
    expect(text).not.toContain("\x1b");
    expect(renderDiff(diffReports(before, after), { color: true })).toContain("\x1b[31mFAIL\x1b[0m");
  });

  it("says so when nothing changed", () => {
    expect(renderDiff(diffReports(before, before), { color: false })).toBe(
      "codex-smoke diff: 0 regressions, 0 fixes, 0 other status changes, 0 changed evidence, 0 added, 0 removed\n",
    );
  });
});

describe("a Codex release change", () => {
  const HEADER = {
    version: "0.150.0",
    model: "mock-model",
    approval: "never",
    sandbox: "workspace-write [workdir] (network access enabled)",
  };
  const withTarget = (target: Partial<Report["target"]>): Report => ({
    ...before,
    target: { ...before.target, ...target },
  });

  it("a new Codex version and the header lines that changed are changed evidence, not a regression", () => {
    const diff = diffReports(
      withTarget({ codexVersion: "0.150.0", execHeader: HEADER }),
      withTarget({
        codexVersion: "0.169.0",
        execHeader: {
          ...HEADER,
          version: "0.169.0",
          sandbox: "workspace-write [workdir]",
          "service tier": "flex",
        },
      }),
    );
    expect(diff.changedTarget).toEqual([
      { what: "Codex version", before: "0.150.0", after: "0.169.0" },
      { what: "exec header version", before: "0.150.0", after: "0.169.0" },
      {
        what: "exec header sandbox",
        before: "workspace-write [workdir] (network access enabled)",
        after: "workspace-write [workdir]",
      },
      { what: "exec header service tier", before: "(no such line)", after: "flex" },
    ]);
    expect(hasRegressions(diff)).toBe(false);
    const text = renderDiff(diff, { color: false });
    expect(text.split("\n")[0]).toBe(
      "codex-smoke diff: 0 regressions, 0 fixes, 0 other status changes, 4 changed evidence, 0 added, 0 removed",
    );
    expect(text).toContain(
      "Changed evidence\n  Codex version\n      before: 0.150.0\n      after:  0.169.0\n  exec header version\n",
    );
  });

  it("a header that appears or disappears is one change", () => {
    const diff = diffReports(withTarget({ execHeader: null }), withTarget({ execHeader: HEADER }));
    expect(diff.changedTarget).toEqual([
      {
        what: "exec header",
        before: "no header printed",
        after:
          "version: 0.150.0 | model: mock-model | approval: never | sandbox: workspace-write [workdir] (network access enabled)",
      },
    ]);
  });

  it("the same release and header, or a report from before the header was recorded, change nothing", () => {
    expect(
      diffReports(withTarget({ execHeader: HEADER }), withTarget({ execHeader: { ...HEADER } }))
        .changedTarget,
    ).toEqual([]);
    expect(diffReports(before, withTarget({ execHeader: HEADER })).changedTarget).toEqual([]);
  });

  it("the report keeps the header without its per-run lines", () => {
    expect(recordedExecHeader({ ...HEADER, workdir: "/w/proj", "session id": "01a2" })).toEqual(HEADER);
    expect(recordedExecHeader(null)).toBeNull();
  });
});

describe("loadReport", () => {
  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it.each([
    ["not-json.json", "{ nope", "not valid JSON"],
    ["array.json", "[]", "not a codex-smoke report (not a JSON object)"],
    ["no-schema.json", '{"results": []}', "not a codex-smoke report (schemaVersion missing)"],
    ["schema-2.json", '{"schemaVersion": 2, "results": []}', "unsupported schemaVersion 2 (expected 1)"],
    ["no-results.json", '{"schemaVersion": 1}', "not a codex-smoke report (results missing)"],
  ])("%s is refused with one line naming the file", async (name, text, reason) => {
    const path = await write(name, text);
    const err = await loadReport(path).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`${path}: ${reason}`);
    expect((err as Error).message).not.toContain("\n");
  });

  it("refuses a result with an unknown status or missing fields", async () => {
    const bad = { ...before, results: [{ ...before.results[0], status: "ok" }] };
    const path = await write("bad-status.json", JSON.stringify(bad));
    await expect(loadReport(path)).rejects.toThrow(
      `${path}: results[0] (launcher.flags): status "ok" is not one of pass, fail, warn, skip, error`,
    );
    const { observed: _, ...noObserved } = before.results[0] as CheckResult;
    const path2 = await write("no-observed.json", JSON.stringify({ ...before, results: [noObserved] }));
    await expect(loadReport(path2)).rejects.toThrow(`${path2}: results[0]: observed missing or not a string`);
  });

  it("names a missing file", async () => {
    await expect(loadReport("reports/absent.json")).rejects.toThrow("reports/absent.json: no such file");
  });
});
