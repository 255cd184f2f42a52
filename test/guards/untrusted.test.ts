// A runner report is an adversary's file: the agent inside the sandbox can replace it with a symlink, make it huge,
// or copy another run's. Real files through the exported readers (`readRegularFile`, `parseRunnerReport`, and the
// `--probe-report` door `acceptProbeReport`); each test is named for the one-token bug it kills (issue 20).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acceptProbeReport, saveStagingRecord } from "../../src/audit/probe-staging.js";
import type { HostRecord } from "../../src/audit/record.js";
import { parseRunnerReport, readRegularFile, UntrustedInputError } from "../../src/audit/untrusted.js";
import type { RunnerInput } from "../../src/runner/types.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";
import { pinGitNowhere } from "../helpers/git-nowhere.js";
import { tempDirs } from "../helpers/temp-dirs.js";

// git run by the code under test never reaches this checkout (test/helpers/git-nowhere.ts).
pinGitNowhere();

const CAP = 2 * 1024 * 1024;
const NONCE = "0123456789ab";
const { tempDir, removeAfterTest } = tempDirs("test-guard-untrusted-");

/** A valid local report of the run with `nonce`, as the runner writes it. */
const localReport = (nonce = NONCE) => JSON.stringify({ ...healthyFacts().runner, nonce });

/** Whatever `fn` throws (the guard's refusal), or a failure naming what it returned instead. */
function refusal(fn: () => unknown): Error {
  let returned: unknown;
  try {
    returned = fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error(`accepted: ${String(returned).slice(0, 80)}`);
}

describe("readRegularFile", () => {
  it("a symlink to a valid report is refused, not followed (kills: O_NOFOLLOW dropped)", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "elsewhere.json"), localReport());
    symlinkSync(join(dir, "elsewhere.json"), join(dir, "report.local.json"));
    const error = refusal(() => readRegularFile(join(dir, "report.local.json")));
    expect(error).toBeInstanceOf(UntrustedInputError);
    expect(error.message).toBe(`${join(dir, "report.local.json")}: cannot open (ELOOP)`);
  });

  it("a report one byte over the 2 MB cap is refused unread (kills: the cap multiplied by 1024)", () => {
    const dir = tempDir();
    const report = localReport();
    // Valid JSON all the same: trailing whitespace, so only the cap can refuse it.
    writeFileSync(join(dir, "big.json"), report + " ".repeat(CAP + 1 - report.length));
    const error = refusal(() => readRegularFile(join(dir, "big.json")));
    expect(error).toBeInstanceOf(UntrustedInputError);
    expect(error.message).toBe(`${join(dir, "big.json")}: larger than ${CAP} bytes`);
  });

  it("a report of exactly 2 MB is read whole", () => {
    const dir = tempDir();
    const report = localReport();
    const text = report + " ".repeat(CAP - report.length);
    writeFileSync(join(dir, "full.json"), text);
    expect(readRegularFile(join(dir, "full.json"))).toBe(text);
  });

  it("a FIFO in the report's place is refused at once (kills: O_NONBLOCK dropped: the host would hang)", () => {
    const dir = tempDir();
    execFileSync("mkfifo", [join(dir, "report.local.json")]);
    const error = refusal(() => readRegularFile(join(dir, "report.local.json")));
    expect(error.message).toBe(`${join(dir, "report.local.json")}: not a regular file`);
  });

  it("a missing report is refused with its errno", () => {
    const dir = tempDir();
    expect(refusal(() => readRegularFile(join(dir, "none.json"))).message).toBe(
      `${join(dir, "none.json")}: cannot open (ENOENT)`,
    );
  });

  it("a read that fails on an opened regular file is the host's error, not the agent's input (not taken for a refusal)", () => {
    // /proc/self/mem is a regular file of size 0 whose first byte reads as EIO (address 0 is never mapped).
    let thrown: unknown;
    try {
      readRegularFile("/proc/self/mem");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).not.toBeInstanceOf(UntrustedInputError);
    expect((thrown as NodeJS.ErrnoException).code).toBe("EIO");
  });
});

describe("parseRunnerReport", () => {
  it("another run's report is refused (kills: the nonce check dropped)", () => {
    const error = refusal(() => parseRunnerReport(localReport("fedcba987654"), "report", "local", NONCE));
    expect(error).toBeInstanceOf(UntrustedInputError);
    expect(error.message).toBe("report.nonce: not the nonce this host issued");
  });

  it("this run's report is accepted as it is", () => {
    expect(parseRunnerReport(localReport(), "report", "local", NONCE)).toEqual(healthyFacts().runner);
  });

  it("a launcher file on a read-write mount is a finding, not a malformed report", () => {
    const report = { ...healthyFacts().runner, nonce: NONCE };
    const [first] = report.launcherFiles;
    if (!first) throw new Error("the healthy fixture has a launcher file");
    report.launcherFiles = [{ ...first, mount: "rw" }];
    expect(parseRunnerReport(JSON.stringify(report), "report", "local", NONCE).launcherFiles[0]?.mount).toBe(
      "rw",
    );
  });
});

describe("acceptProbeReport (the --probe-report door)", () => {
  /**
   * A staging this host recorded for `project` (a nonce of its own: the stages folder is shared with other tests),
   * its report expected at `<project>/.codex-smoke/report.local.json`.
   */
  function staged(project: string): { report: string; nonce: string } {
    const nonce = randomBytes(6).toString("hex");
    const report = join(project, ".codex-smoke", "report.local.json");
    mkdirSync(join(project, ".codex-smoke"));
    const record = { nonce, project } as HostRecord;
    const input = { nonce, reports: { local: report, net: `${report}.net` } } as RunnerInput;
    removeAfterTest(
      saveStagingRecord({
        record,
        input,
        stagedAt: new Date().toISOString(),
        launcher: "/bin/true",
        hashes: {},
      }),
    );
    return { report, nonce };
  }

  it("a staged report replaced by a symlink to a valid one is refused, and the staging is kept", () => {
    const project = tempDir();
    const { report, nonce } = staged(project);
    writeFileSync(join(project, "elsewhere.json"), localReport(nonce));
    symlinkSync(join(project, "elsewhere.json"), report);
    const error = refusal(() => acceptProbeReport(report, project));
    expect(error.message).toBe(`--probe-report ${report}: refused: ${report}: cannot open (ELOOP)`);
    expect(existsSync(join(homedir(), ".cache", "codex-smoke", "stages", `${nonce}.json`))).toBe(true);
  });

  it("an oversized staged report is refused", () => {
    const project = tempDir();
    const { report, nonce } = staged(project);
    const text = localReport(nonce);
    writeFileSync(report, text + " ".repeat(CAP + 1 - text.length));
    expect(refusal(() => acceptProbeReport(report, project)).message).toBe(
      `--probe-report ${report}: refused: ${report}: larger than ${CAP} bytes`,
    );
  });

  it("the staged report itself is accepted once", () => {
    const project = tempDir();
    const { report, nonce } = staged(project);
    writeFileSync(report, localReport(nonce));
    expect(acceptProbeReport(report, project).record.nonce).toBe(nonce);
    expect(refusal(() => acceptProbeReport(report, project)).message).toContain(
      "refused: no staging with this nonce on this host",
    );
  });
});
