// Validates `run`/`demo` options. Every problem with the harness's own input is a UsageError: one line that names
// the flag or file (exit 2). A broken *setup* is not a usage error: the audit reports it (contract, exit codes).
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { join, resolve } from "node:path";
import { checks } from "../checks/index.js";
import type { AuditSettings, AuditTarget } from "./audit.js";
import { matchesSelector } from "./engine.js";
import { UsageError } from "./errors.js";
import { DEFAULT_EXPECTATIONS, loadExpectations } from "./expectations.js";
import type { Report } from "./model.js";
import { type Format, parseFormats } from "./reporters/index.js";

export interface RunOptions extends AuditSettings, Omit<AuditTarget, "env"> {
  selected: Set<string>;
  formats: Format[];
  out: string;
  baseline: Report | undefined;
  failOn: "fail" | "warn";
}

export interface RawRunOptions {
  launcher?: string;
  project?: string;
  "codex-home"?: string;
  profile?: string;
  expect?: string;
  agent?: string;
  only?: string[];
  skip?: string[];
  format?: string[];
  out?: string;
  "probe-report"?: string;
  baseline?: string;
  "fail-on"?: string;
  registry?: string;
  timeout?: string;
  concurrency?: string;
  codex?: string;
}

const commaList = (values: string[] | undefined) =>
  (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);

function positiveNumber(flag: string, value: string | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag}: expected a positive ${integer ? "whole " : ""}number, got "${value}"`);
  }
  return n;
}

function selection(only: string[], skip: string[]): Set<string> {
  for (const [flag, selectors] of [
    ["--only", only],
    ["--skip", skip],
  ] as const) {
    for (const selector of selectors) {
      if (!checks.some((check) => matchesSelector(check.id, [selector]))) {
        throw new UsageError(`${flag}: no check matches "${selector}" (see codex-smoke list)`);
      }
    }
  }
  return new Set(
    checks
      .filter((check) => only.length === 0 || matchesSelector(check.id, only))
      .filter((check) => !matchesSelector(check.id, skip))
      .map((check) => check.id),
  );
}

/** An existing executable file, absolute. */
function executableFile(flag: string, path: string): string {
  const absolute = resolve(path);
  try {
    if (!statSync(absolute).isFile()) throw new UsageError(`${flag} ${path}: not a file`);
    accessSync(absolute, constants.X_OK);
    return absolute;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag} ${path}: ${code === "ENOENT" ? "no such file" : "not executable"}`);
  }
}

function writableDir(flag: string, dir: string): string {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return dir;
  } catch {
    throw new UsageError(`${flag} ${dir}: not a writable directory`);
  }
}

async function wrapInput<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export async function resolveRunOptions(command: "run" | "demo", raw: RawRunOptions): Promise<RunOptions> {
  if (command === "demo") {
    for (const flag of ["launcher", "project", "codex-home", "profile", "probe-report"] as const) {
      if (raw[flag] !== undefined)
        throw new UsageError(`--${flag}: not accepted by demo (it builds its own setup)`);
    }
  }
  const project = resolve(raw.project ?? ".");
  if (command === "run") {
    let isDir = false;
    try {
      isDir = statSync(project).isDirectory();
    } catch {
      throw new UsageError(`--project ${raw.project ?? "."}: no such directory`);
    }
    if (!isDir) throw new UsageError(`--project ${raw.project}: not a directory`);
  }
  const launcherArg = raw.launcher ?? "./codex-auto";
  const launcher = resolve(launcherArg);
  if (command === "run") {
    try {
      if (!statSync(launcher).isFile()) throw new UsageError(`--launcher ${launcherArg}: not a file`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--launcher ${launcherArg}: no such file`);
    }
    try {
      accessSync(launcher, constants.X_OK);
    } catch {
      throw new UsageError(`--launcher ${launcherArg}: not executable (chmod +x ${launcherArg})`);
    }
  }
  const agent = raw.agent ?? "mock";
  if (agent !== "mock" && agent !== "live")
    throw new UsageError(`--agent: expected mock or live, got "${agent}"`);
  const failOn = raw["fail-on"] ?? "fail";
  if (failOn !== "fail" && failOn !== "warn")
    throw new UsageError(`--fail-on: expected fail or warn, got "${failOn}"`);
  const formats = await wrapInput(async () => parseFormats(raw.format ?? ["console"]));
  const probeReport = raw["probe-report"] ? resolve(raw["probe-report"]) : undefined;
  if (probeReport) {
    try {
      statSync(probeReport);
    } catch {
      throw new UsageError(`--probe-report ${raw["probe-report"]}: no such file`);
    }
  }
  if (raw.registry !== undefined && !/^https?:\/\/\S+$/.test(raw.registry)) {
    throw new UsageError(`--registry: expected an http(s) URL, got "${raw.registry}"`);
  }
  const codex = raw.codex === undefined ? undefined : executableFile("--codex", raw.codex);
  const expectFile = raw.expect;
  const baselineFile = raw.baseline;
  const home = process.env.HOME ?? homedir();
  return {
    launcher,
    project,
    codexHome: resolve(raw["codex-home"] ?? process.env.CODEX_HOME ?? join(home, ".codex")),
    home,
    profile: raw.profile,
    expect: expectFile ? await wrapInput(() => loadExpectations(expectFile)) : DEFAULT_EXPECTATIONS,
    agent,
    selected: selection(commaList(raw.only), commaList(raw.skip)),
    formats,
    out: writableDir("--out", resolve(raw.out ?? "reports")),
    probeReport,
    baseline: baselineFile
      ? await wrapInput(async () => (await import("./diff.js")).loadReport(baselineFile))
      : undefined,
    failOn,
    registry: raw.registry,
    timeoutMs: positiveNumber("--timeout", raw.timeout, 60, false) * 1000,
    concurrency: positiveNumber("--concurrency", raw.concurrency, availableParallelism(), true),
    codex,
  };
}
