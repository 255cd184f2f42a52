// Reads the config layers Codex loads for the launcher's profile, and the effective config they produce.
import { readFileSync, type Stats, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parse, TomlError } from "smol-toml";
import type { ConfigFacts, ConfigFile } from "../core/model.js";

/** Where every Codex release from 0.139 to 0.171 reads its machine-wide layers on Linux (traced with strace). */
const SYSTEM_DIR = "/etc/codex";

export interface ConfigLayerOptions {
  codexHome: string;
  home: string;
  profileName: string;
  project: string;
  /** Raw `key=value` strings of the launcher's `-c` flags, in order. */
  launcherOverrides: string[];
  /** The launcher's `--add-dir` folders, absolute (none when it passes none). */
  addDirs?: readonly string[];
}

export function readConfigLayers(opts: ConfigLayerOptions): ConfigFacts {
  const base = readConfigFile(join(opts.codexHome, "config.toml"), "base");
  const profile = readConfigFile(join(opts.codexHome, `${opts.profileName}.config.toml`), "profile");
  const projectOverride = readConfigFile(join(opts.project, ".codex", "config.toml"), "project");
  const launcherOverrides = opts.launcherOverrides.map(parseOverride);
  const [system, managed, requirements] = [
    readConfigFile(join(SYSTEM_DIR, "config.toml"), "system"),
    readConfigFile(join(SYSTEM_DIR, "managed_config.toml"), "managed"),
    readConfigFile(join(SYSTEM_DIR, "requirements.toml"), "requirements"),
  ];
  const effective = mergeConfig([system.data ?? {}, base.data ?? {}, profile.data ?? {}], launcherOverrides);
  const merged = managed.data ? mergeInto(effective, managed.data) : effective;
  return {
    codexHome: opts.codexHome,
    home: opts.home,
    project: opts.project,
    workspaceRoots: [...new Set([opts.project, ...(opts.addDirs ?? [])])],
    profileName: opts.profileName,
    base,
    profile,
    projectOverride,
    trustRoots: trustRootsOf(opts.project, merged),
    system: [system, managed, requirements],
    launcherOverrides,
    effective: merged,
  };
}

/**
 * Where Codex looks up the project's trust after the project's own `[projects."<dir>"]` entry (its config loader's
 * trust decision): the project root, then the main checkout of the repository. No other folder above counts: a
 * trusted `~` does not trust the projects under it.
 */
function trustRootsOf(project: string, config: Record<string, unknown>): string[] {
  const configured = config.project_root_markers;
  const markers =
    Array.isArray(configured) && configured.every((m) => typeof m === "string") ? configured : [".git"];
  const repository = mainCheckout(project);
  const roots = [projectRoot(project, markers), ...(repository === null ? [] : [repository])];
  return [...new Set(roots)].filter((root) => root !== project);
}

const exists = (path: string): boolean => statSync(path, { throwIfNoEntry: false }) !== undefined;

/** The nearest folder up (the project included) holding one of the markers, else the project itself (also for an
 * empty list, which Codex reads as "no root search"). */
function projectRoot(project: string, markers: readonly string[]): string {
  for (let dir = project; ; dir = dirname(dir)) {
    if (markers.some((marker) => exists(join(dir, marker)))) return dir;
    if (dir === dirname(dir)) return project;
  }
}

/** The folder of the nearest `.git` up; for a linked worktree (a `.git` file `gitdir: <main>/.git/worktrees/<name>`)
 * the main checkout's folder; null outside a repository or when the `.git` file points elsewhere. */
function mainCheckout(project: string): string | null {
  for (let dir = project; ; dir = dirname(dir)) {
    const dotGit = statSync(join(dir, ".git"), { throwIfNoEntry: false });
    if (dotGit?.isDirectory()) return dir;
    if (dotGit) return worktreeMain(dir, dotGit);
    if (dir === dirname(dir)) return null;
  }
}

/** A worktree's `.git` file is one short line; the project's folders are the agent's to write, so a FIFO there (an
 * open that never returns) or a huge file is not read. */
const GIT_FILE_MAX = 4096;

function worktreeMain(dir: string, dotGit: Stats): string | null {
  if (!dotGit.isFile() || dotGit.size > GIT_FILE_MAX) return null;
  let text: string;
  try {
    text = readFileSync(join(dir, ".git"), "utf8").trim();
  } catch {
    return null;
  }
  if (!text.startsWith("gitdir:")) return null;
  const pointer = text.slice("gitdir:".length).trim();
  if (pointer === "") return null;
  const worktrees = dirname(resolve(dir, pointer));
  return basename(worktrees) === "worktrees" ? dirname(dirname(worktrees)) : null;
}

function readConfigFile(path: string, role: ConfigFile["role"]): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { path, role, exists: false };
  }
  try {
    return { path, role, exists: true, data: parse(text) as Record<string, unknown> };
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const message = (error.message.split("\n")[0] ?? "").replace(/^Invalid TOML document: /, "");
    return { path, role, exists: true, parseError: { line: error.line, column: error.column, message } };
  }
}

/** `key=value` as Codex reads `-c`: the value is TOML when it parses, otherwise the literal string. */
export function parseOverride(raw: string): { key: string; value: unknown; raw: string } {
  const eq = raw.indexOf("=");
  if (eq < 0) return { key: raw.trim(), value: true, raw };
  const key = raw.slice(0, eq).trim();
  const text = raw.slice(eq + 1).trim();
  try {
    return { key, value: parse(`x = ${text}`).x, raw };
  } catch {
    return { key, value: text, raw };
  }
}

/** Later layers win; tables merge key by key; dotted override keys split on `.` with quotes kept (as Codex). */
export function mergeConfig(
  layers: Record<string, unknown>[],
  overrides: Array<{ key: string; value: unknown }>,
): Record<string, unknown> {
  const effective: Record<string, unknown> = {};
  for (const layer of layers) mergeInto(effective, layer);
  for (const { key, value } of overrides) {
    const segments = key.split(".");
    const last = segments.pop() as string;
    let table = effective;
    for (const segment of segments) {
      const next = table[segment];
      if (!isTable(next)) table[segment] = {};
      table = table[segment] as Record<string, unknown>;
    }
    table[last] = isTable(value) && isTable(table[last]) ? mergeInto(table[last], value) : cloneValue(value);
  }
  return effective;
}

function mergeInto(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    target[key] = isTable(value) && isTable(current) ? mergeInto(current, value) : cloneValue(value);
  }
  return target;
}

function cloneValue(value: unknown): unknown {
  if (isTable(value)) return mergeInto({}, value);
  if (Array.isArray(value)) return value.map(cloneValue);
  return value;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
