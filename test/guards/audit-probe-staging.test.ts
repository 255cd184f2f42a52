// The host's staging records (probe-staging.ts) on real files: how long a record lives, what an expired one's report
// gets told, a report whose JSON is not an object, and expiring on a host that never staged (issue 20). The tests
// that expire records load the module with a $HOME of their own: the stages folder is then theirs alone, and no
// other test file's records (nor its expiry, run at the same time) meet theirs.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { acceptProbeReport } from "../../src/audit/probe-staging.js";
import type { HostRecord } from "../../src/audit/record.js";
import type { RunnerInput } from "../../src/runner/types.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";
import { tempDirs } from "../helpers/temp-dirs.js";

const { tempDir } = tempDirs("test-guard-probe-staging-");

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** probe-staging.ts loaded afresh with `home` as $HOME: its stages folder is fixed when the module loads. */
async function stagingWithHome(home: string): Promise<typeof import("../../src/audit/probe-staging.js")> {
  vi.doMock("node:os", async (original) => ({
    ...(await original<typeof import("node:os")>()),
    homedir: () => home,
  }));
  vi.resetModules();
  try {
    return await import("../../src/audit/probe-staging.js");
  } finally {
    vi.doUnmock("node:os");
    vi.resetModules();
  }
}

/** Whatever `fn` throws, or a failure naming that it returned. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return "accepted";
}

/** A staging recorded through `staging` for a fresh project, and its report (a valid one) where it was staged. */
function staged(staging: typeof import("../../src/audit/probe-staging.js")) {
  const project = tempDir();
  const nonce = randomBytes(6).toString("hex");
  mkdirSync(join(project, ".codex-smoke"));
  const report = join(project, ".codex-smoke", "report.local.json");
  const record = staging.saveStagingRecord({
    record: { nonce, project } as HostRecord,
    input: { nonce, reports: { local: report, net: `${report}.net` } } as RunnerInput,
    stagedAt: new Date().toISOString(),
    launcher: "/bin/true",
    hashes: {},
  });
  writeFileSync(report, JSON.stringify({ ...healthyFacts().runner, nonce }));
  return { project, report, record, name: `${nonce}.json` };
}

describe("stagings expire after a week", () => {
  it("a record is kept a week to the millisecond and removed the millisecond after", async () => {
    const staging = await stagingWithHome(tempDir());
    const { record, name } = staged(staging);
    const stagedAt = Date.UTC(2026, 0, 1);
    utimesSync(record, stagedAt / 1000, stagedAt / 1000);
    expect(staging.expireStagings(stagedAt + WEEK_MS)).toEqual([]);
    expect(existsSync(record)).toBe(true);
    expect(staging.expireStagings(stagedAt + WEEK_MS + 1)).toEqual([name]);
    expect(existsSync(record)).toBe(false);
  });

  it("a folder older than a week in the stages folder is left, and does not stop the records beside it expiring", async () => {
    const home = tempDir();
    const staging = await stagingWithHome(home);
    const old = staged(staging);
    const fresh = staged(staging);
    const folder = join(home, ".cache", "codex-smoke", "stages", "stray");
    mkdirSync(folder);
    const eightDaysAgo = (Date.now() - 8 * 24 * 60 * 60 * 1000) / 1000;
    for (const path of [folder, old.record]) utimesSync(path, eightDaysAgo, eightDaysAgo);
    expect(staging.expireStagings()).toEqual([old.name]);
    expect([existsSync(folder), existsSync(old.record)]).toEqual([true, false]);
    // The judging that expires first goes on: the fresh staging's report is accepted.
    expect(staging.acceptProbeReport(fresh.report, fresh.project).record.project).toBe(fresh.project);
  });

  it("a host that never staged (no stages folder) expires nothing and makes no folder", async () => {
    const home = tempDir();
    const staging = await stagingWithHome(home);
    expect(staging.expireStagings()).toEqual([]);
    expect(existsSync(join(home, ".cache"))).toBe(false);
    // Control: that module's folder is the empty $HOME's (an old record there expires).
    const { name } = staged(staging);
    expect(staging.expireStagings(Date.now() + WEEK_MS + 1000)).toEqual([name]);
  });
});

describe("acceptProbeReport", () => {
  it("a report whose staging is over a week old is refused as expired, and the record is gone", async () => {
    const staging = await stagingWithHome(tempDir());
    const { project, report, record } = staged(staging);
    const eightDaysAgo = (Date.now() - 8 * 24 * 60 * 60 * 1000) / 1000;
    utimesSync(record, eightDaysAgo, eightDaysAgo);
    expect(refusal(() => staging.acceptProbeReport(report, project))).toBe(
      `--probe-report ${report}: refused: the staging with this nonce expired (a week old): stage it again`,
    );
    expect(existsSync(record)).toBe(false);
  });

  it("a report that is JSON null has no valid nonce (not: not JSON)", () => {
    const project = tempDir();
    const report = join(project, "report.local.json");
    writeFileSync(report, "null");
    expect(refusal(() => acceptProbeReport(report, project))).toBe(
      `--probe-report ${report}: refused: ${report}: no valid nonce`,
    );
  });
});
