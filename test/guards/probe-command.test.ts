// The live-session door on the host, in-process: `probe --stage` stages the runner and keeps the host's record
// outside the project; `probe` outside a sandbox refuses and writes nothing unless forced, and forced it says its
// results describe this machine. Real project, real git, real files; the markers a forced probe leaves outside the
// project are removed by their exact paths. The commands are handed the project as their cwd (the process's own
// cwd stays put: Stryker's worker threads cannot change it).
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { checks } from "../../checks/index.js";
import { insideVerdicts, probeCommand } from "../../src/commands/probe.js";
import { STAGE_DIR, stageCommand } from "../../src/commands/probe-stage.js";
import { attest } from "../../src/runner/attest.js";
import { PROBE_MARKERS } from "../../src/runner/markers.js";
import type { RunnerInput } from "../../src/runner/types.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";
import { pinGitNowhere } from "../helpers/git-nowhere.js";

// The process's cwd is a folder outside every repository (test/helpers/git-nowhere.ts).
pinGitNowhere();

const STAGES = join(homedir(), ".cache", "codex-smoke", "stages");
const cleanups: Array<() => void> = [];
let printed: string[] = [];

beforeEach(() => {
  printed = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => {
    printed.push(line);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A git project with one commit and the launcher the session was started with. */
function project(): string {
  const parent = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, "test-guard-probe-"));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, "proj");
  mkdirSync(dir);
  execFileSync("git", ["init", "-q"], { cwd: dir });
  execFileSync(
    "git",
    ["-c", "user.name=t", "-c", "user.email=t@invalid", "commit", "-q", "--allow-empty", "-m", "init"],
    {
      cwd: dir,
    },
  );
  // The launcher the session was started with, as `probe --stage` requires it (./codex-auto by default).
  writeFileSync(join(dir, "codex-auto"), '#!/bin/sh\nexec codex "$@"\n', { mode: 0o755 });
  return dir;
}

async function stage(dir: string): Promise<RunnerInput> {
  expect(await stageCommand(["--stage", "--registry", "http://127.0.0.1:9/"], dir)).toBe(0);
  const input = JSON.parse(readFileSync(join(dir, STAGE_DIR, "input.json"), "utf8")) as RunnerInput;
  cleanups.push(() => rmSync(join(STAGES, `${input.nonce}.json`), { force: true }));
  return input;
}

const head = (dir: string) =>
  execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();

describe("probe --stage", () => {
  it("stages the runner, keeps the record outside the project, and prints the agent's two commands", async () => {
    const dir = project();
    const input = await stage(dir);
    expect(readdirSync(join(dir, STAGE_DIR)).sort()).toEqual([".gitignore", "input.json", "runner.mjs"]);
    const record = JSON.parse(readFileSync(join(STAGES, `${input.nonce}.json`), "utf8"));
    expect(record.record).toMatchObject({
      nonce: input.nonce,
      project: dir,
      stagingDir: join(dir, STAGE_DIR),
      canaries: [],
    });
    expect(input).toMatchObject({
      project: dir,
      registryUrl: "http://127.0.0.1:9/astro",
      readonlyPaths: [".codex", "www.azinstitute4autism.com"],
      outsideReadFiles: [],
    });
    expect(input.outsideWriteDirs).toContain(dirname(dir));
    expect(printed).toEqual([
      `Staged the runner in ${join(dir, STAGE_DIR)} (git-ignored).`,
      "Ask the agent in your ./codex-auto session to run exactly these two commands, one after the other:",
      "  node .codex-smoke/runner.mjs .codex-smoke/input.json local",
      "  node .codex-smoke/runner.mjs .codex-smoke/input.json net",
      "Then judge the facts on the host:",
      "  codex-smoke run --probe-report .codex-smoke/report.local.json",
    ]);
  });

  it("a registry that is not an http(s) URL, or an unknown option: a usage error, nothing staged", async () => {
    const dir = project();
    await expect(stageCommand(["--stage", "--registry", "ftp://mirror"], dir)).rejects.toThrow(
      '--registry: expected an http(s) URL, got "ftp://mirror"',
    );
    await expect(stageCommand(["--stage", "--registry", "http://a b"], dir)).rejects.toThrow("--registry:");
    await expect(stageCommand(["--stage", "--nope"], dir)).rejects.toThrow(
      /^probe --stage: Unknown option '--nope'/,
    );
    expect(existsSync(join(dir, STAGE_DIR))).toBe(false);
  });
});

describe("probe --stage's options", () => {
  /** Stages `dir` with `args`; returns the staged input and the host's record. */
  async function stageWith(dir: string, args: string[]) {
    expect(await stageCommand(["--stage", ...args], dir)).toBe(0);
    const input = JSON.parse(readFileSync(join(dir, STAGE_DIR, "input.json"), "utf8")) as RunnerInput;
    cleanups.push(() => rmSync(join(STAGES, `${input.nonce}.json`), { force: true }));
    const record = JSON.parse(readFileSync(join(STAGES, `${input.nonce}.json`), "utf8"));
    return { input, record };
  }

  it("without --registry, npm's configured registry is staged", async () => {
    const npm = execFileSync("npm", ["config", "get", "registry"], { encoding: "utf8" }).trim();
    const { input } = await stageWith(project(), []);
    expect(input.registryUrl).toBe(`${npm.replace(/\/?$/, "/")}astro`);
  });

  it("a registry URL must start with http(s)://; a launcher that does not exist is named", async () => {
    const dir = project();
    await expect(stageCommand(["--stage", "--registry", "xhttp://mirror/"], dir)).rejects.toThrow(
      '--registry: expected an http(s) URL, got "xhttp://mirror/"',
    );
    await expect(stageCommand(["--stage", "--launcher", "./gone"], dir)).rejects.toThrow(
      "probe --stage: --launcher ./gone: no such file (the launcher the session was started with)",
    );
  });

  it("the profile's file is hashed for the judging: --profile's, else the default one in CODEX_HOME", async () => {
    const dir = project();
    const codexHome = join(dirname(dir), "codex-home");
    mkdirSync(codexHome);
    vi.stubEnv("CODEX_HOME", codexHome);
    writeFileSync(join(codexHome, "mine.config.toml"), "");
    const chosen = await stageWith(dir, ["--registry", "http://127.0.0.1:9/", "--profile", "mine"]);
    expect(Object.keys(chosen.record.hashes)).toContain(join(codexHome, "mine.config.toml"));
    const byDefault = await stageWith(project(), ["--registry", "http://127.0.0.1:9/"]);
    expect(Object.keys(byDefault.record.hashes)).toContain(join(codexHome, "azi4a2-autonomous.config.toml"));
  });

  it("the profile's filesystem rules are staged as probes, `~` resolved against HOME", async () => {
    const dir = project();
    const home = join(dirname(dir), "home");
    mkdirSync(join(home, ".codex"), { recursive: true });
    mkdirSync(join(home, "notes"));
    writeFileSync(join(home, "notes", "a.txt"), "a");
    writeFileSync(
      join(home, ".codex", "azi4a2-autonomous.config.toml"),
      'default_permissions = "p"\n[permissions.p.filesystem]\n"~/notes" = "read"\n',
    );
    vi.stubEnv("HOME", home);
    expect(await stageCommand(["--stage", "--registry", "http://127.0.0.1:9/"], dir)).toBe(0);
    const input = JSON.parse(readFileSync(join(dir, STAGE_DIR, "input.json"), "utf8")) as RunnerInput;
    // The stages folder was fixed when the module loaded, under the real home: the record is there.
    cleanups.push(() => rmSync(join(STAGES, `${input.nonce}.json`), { force: true }));
    expect(JSON.stringify(input.rules)).toContain(join(home, "notes"));
  });

  it("another launcher (relative to the project) is recorded by its real path and named in the judging command", async () => {
    const dir = project();
    writeFileSync(join(dir, "my-launcher"), '#!/bin/sh\nexec codex "$@"\n', { mode: 0o755 });
    const { record } = await stageWith(dir, [
      "--registry",
      "http://127.0.0.1:9/",
      "--launcher",
      "my-launcher",
    ]);
    expect(record.launcher).toBe(join(dir, "my-launcher"));
    expect(printed.at(-1)).toBe(
      `  codex-smoke run --probe-report .codex-smoke/report.local.json --launcher ${join(dir, "my-launcher")}`,
    );
  });
});

describe("probe outside a sandbox", () => {
  it("with the host's staged input: refuses, naming the namespaces it shares, and writes nothing", async () => {
    const dir = project();
    const before = head(dir);
    const input = await stage(dir);
    await expect(probeCommand([], dir)).rejects.toThrow(
      "probe: not inside a Codex sandbox (shares the host's user, mnt, pid namespaces); nothing was written (run it inside the session, or pass --force)",
    );
    expect(head(dir)).toBe(before);
    expect(readdirSync(join(dir, STAGE_DIR)).sort()).toEqual([".gitignore", "input.json", "runner.mjs"]);
    expect(existsSync(join(dir, PROBE_MARKERS.project(input.nonce)))).toBe(false);
    expect(existsSync(join(input.home, PROBE_MARKERS.hidden(input.nonce)))).toBe(false);
  });

  it("without a staged input: refuses, naming pid 1", async () => {
    const dir = project();
    await expect(probeCommand(["--out", join(dir, "r.json")], dir)).rejects.toThrow(
      `probe: not inside a Codex sandbox (pid 1 is ${attest(null).pid1 ?? "unknown"}); nothing was written`,
    );
    expect(readdirSync(dir)).toEqual([".git", "codex-auto"]);
  });

  it("an unknown option is a usage error", async () => {
    await expect(probeCommand(["--nope"], project())).rejects.toThrow(/^probe: Unknown option '--nope'/);
  });

  it("--force: the probes run on this machine, the table and its last line say so, a failure exits 1", async () => {
    const dir = project();
    const input = await stage(dir);
    printed = [];
    for (const outside of [...input.outsideWriteDirs, input.home]) {
      cleanups.push(() => rmSync(join(outside, PROBE_MARKERS.hidden(input.nonce)), { force: true }));
    }
    expect(await probeCommand(["--force"], dir)).toBe(1);
    const report = JSON.parse(readFileSync(input.reports.local, "utf8"));
    expect(report).toMatchObject({ part: "local", nonce: input.nonce });
    expect(existsSync(input.reports.net)).toBe(true);
    const { results, hostSide } = insideVerdicts(report, JSON.parse(readFileSync(input.reports.net, "utf8")));
    const width = Math.max(...results.map((r) => r.id.length));
    expect(printed.slice(0, results.length)).toEqual(
      results.map((r) => `${r.status.toUpperCase().padEnd(5)} ${r.id.padEnd(width)}  ${r.observed}`),
    );
    expect(printed.slice(results.length)).toEqual([
      `host  ${hostSide.join(", ")}`,
      `report: ${input.reports.local}`,
      `Judge everything on the host: codex-smoke run --probe-report ${input.reports.local}`,
      "NOT SANDBOXED: these results describe this machine, not a sandbox (--force)",
    ]);
    // Nothing listens on the staged registry's port: the one failure.
    expect(printed.filter((line) => line.startsWith("FAIL"))).toEqual([
      expect.stringMatching(/^FAIL {2}net\.registry +curl: connection refused \(exit 7\)/),
    ]);
  });
});

describe("insideVerdicts", () => {
  it("the checks whose facts exist inside, over a healthy report; the rest listed for the host", () => {
    const facts = healthyFacts();
    const { results, hostSide } = insideVerdicts(facts.runner, facts.network.report);
    const inside = ["fs.git_read", "fs.project_write", "net.registry", "net.tls_verify", "env.secrets"];
    expect(results.map((r) => [r.id, r.status])).toEqual(inside.map((id) => [id, "pass"]));
    expect(hostSide).toEqual(checks.map((c) => c.id).filter((id) => !inside.includes(id)));
  });
});
