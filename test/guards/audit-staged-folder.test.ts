// The staging folder after the agent had it (stage.ts): its reports are read inside the very folder the host made,
// and unstaging removes only the host's own files from it. The agent can delete, replace or swap anything there;
// in each case the host reads nothing through the swap, removes nothing it did not make, and says so.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readStagedReport, stageRunner, unstage } from "../../src/audit/stage.js";
import { MAX_REPORT_BYTES } from "../../src/audit/untrusted.js";
import { pinGitNowhere } from "../helpers/git-nowhere.js";
import { stageRequest } from "../helpers/stage-request.js";

// git run by the code under test never reaches this checkout (test/helpers/git-nowhere.ts).
pinGitNowhere();

const NONCE = "0123456789ab";
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function staged() {
  const parent = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, "test-guard-staged-"));
  dirs.push(root);
  const project = join(root, "proj");
  const request = stageRequest({ project, home: join(root, "home"), nonce: NONCE });
  execFileSync("git", ["init", "-q"], { cwd: project });
  const result = await stageRunner(request);
  return { root, project, dir: result.record.stagingDir, ...result };
}

describe("readStagedReport", () => {
  it("the runner's report, from the folder the host made", async () => {
    const { dir, record } = await staged();
    writeFileSync(join(dir, "report.local.json"), '{"part":"local"}');
    expect(readStagedReport(record, "local")).toBe('{"part":"local"}');
  });

  it("no report, or one over the cap: refused, saying which", async () => {
    const { dir, record } = await staged();
    expect(() => readStagedReport(record, "net")).toThrow(
      `${join(dir, "report.net.json")}: cannot open (ENOENT)`,
    );
    writeFileSync(join(dir, "report.local.json"), " ".repeat(MAX_REPORT_BYTES + 1));
    expect(() => readStagedReport(record, "local")).toThrow(`larger than ${MAX_REPORT_BYTES} bytes`);
  });

  it("the folder swapped for a symlink or for another folder: nothing is read through it", async () => {
    const { root, dir, record } = await staged();
    const elsewhere = join(root, "elsewhere");
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, "report.local.json"), "{}");
    renameSync(dir, join(root, "moved"));
    symlinkSync(elsewhere, dir);
    expect(() => readStagedReport(record, "local")).toThrow(
      `${join(dir, "report.local.json")}: not read (staging folder a symlink or not a folder now)`,
    );
    rmSync(dir);
    renameSync(elsewhere, dir);
    expect(() => readStagedReport(record, "local")).toThrow(
      "not read (staging folder not the folder the host made)",
    );
  });

  it("a record without what the host staged: nothing is read or removed", async () => {
    const { dir, record } = await staged();
    writeFileSync(join(dir, "report.local.json"), "{}");
    const bare = { ...record, staged: undefined };
    expect(() => readStagedReport(bare, "local")).toThrow(
      "not read (staging folder no record of what the host staged there)",
    );
    expect(unstage(bare)).toEqual([`${dir}: no record of what the host staged there: left as it is`]);
    expect(readdirSync(dir).sort()).toEqual([".gitignore", "input.json", "report.local.json", "runner.mjs"]);
  });
});

describe("unstage against the agent's changes", () => {
  it("a staged file replaced by the agent's stays, and with it the folder", async () => {
    const { dir, record } = await staged();
    // Written first and renamed over, so it cannot get the freed inode of the host's file.
    writeFileSync(join(dir, "runner.new"), "the agent's\n");
    renameSync(join(dir, "runner.new"), join(dir, "runner.mjs"));
    expect(unstage(record)).toEqual([`${dir} holds files the host did not put there: left as it is`]);
    expect(readdirSync(dir)).toEqual(["runner.mjs"]);
  });

  it("the folder swapped for a symlink: nothing removed through it, and said so", async () => {
    const { root, dir, record } = await staged();
    const elsewhere = join(root, "elsewhere");
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, "input.json"), "keep\n");
    renameSync(dir, join(root, "moved"));
    symlinkSync(elsewhere, dir);
    expect(unstage(record)).toEqual([`${dir}: a symlink or not a folder now: left as it is`]);
    expect(readdirSync(elsewhere)).toEqual(["input.json"]);
    expect(lstatSync(dir).isSymbolicLink()).toBe(true);
  });

  it("the folder replaced by another: its files stay", async () => {
    const { root, dir, record } = await staged();
    mkdirSync(join(root, "other"));
    writeFileSync(join(root, "other", "input.json"), "the agent's\n");
    renameSync(dir, join(root, "moved"));
    renameSync(join(root, "other"), dir);
    expect(unstage(record)).toEqual([`${dir}: not the folder the host made: left as it is`]);
    expect(existsSync(join(dir, "input.json"))).toBe(true);
  });

  it("the host's git folder is recorded by identity; staging and unstaging leave no file open", async () => {
    const before = readdirSync("/proc/self/fd").length;
    const { project, record } = await staged();
    writeFileSync(join(record.stagingDir, "report.local.json"), "{}");
    readStagedReport(record, "local");
    expect(() => readStagedReport(record, "net")).toThrow();
    unstage(record);
    expect(readdirSync("/proc/self/fd").length).toBe(before);
    const git = lstatSync(join(project, ".git"));
    expect(record.gitDir).toEqual({ dev: git.dev, ino: git.ino });
  });
});
