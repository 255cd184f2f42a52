// What the runner does to prove each filesystem entry of the profile (fs.profile_rules), chosen on the host from
// its own view of the disk: existing sample files the entry governs (opened inside, never read), an existing file
// opened for append and closed without writing (writability without a change), or a nonce-named file created in a
// folder the entry covers (a write rule must land on the host; a read rule must refuse it). For a deny glob inside
// a writable root, also a file created after launch that the glob matches: Codex 0.169 applies deny globs to the
// files present at launch only. Every created path is in the host record; restore removes it from there.
import { lstatSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import {
  globToRegExp,
  governingRule,
  type PermissionProfile,
  type ProfileRule,
} from "../gather/profile-rules.js";
import { ruleMarker } from "../runner/markers.js";
import type { RuleProbe } from "../runner/types.js";
import { isDirectory, isRegularFile, regularFilesUnder } from "./host-files.js";

export interface PlannedRule {
  text: string;
  access: ProfileRule["access"];
  /** What the runner does; null when nothing on the host can test the rule (the note says why). */
  probe: RuleProbe | null;
  note: string | null;
  /** `probe.create` is a file made after launch that a deny glob matches. */
  createdAfterLaunch: boolean;
}

interface PlanContext {
  project: string;
  nonce: string;
  rules: readonly ProfileRule[];
  globDepth: number;
}

const SAMPLES = 3;
/** Deep enough for a project's nested `.env` files; Codex's own default depth is smaller. */
const GLOB_SEARCH_DEPTH = 8;
const SYSTEM_DIRS = new Set(["/proc", "/sys", "/dev", "/run"]);
const NOT_A_SAMPLE = (name: string) => name === ".git" || name.startsWith(".codex-smoke");

/** An executable may be running (Codex's own binary is pid 1 inside): opening it for writing says ETXTBSY, not
 * whether the mount is read-only. A file whose mode cannot be read (its path past PATH_MAX) counts as one: the
 * runner could not open it either. */
function executable(path: string): boolean {
  try {
    return (statSync(path).mode & 0o111) !== 0;
  } catch {
    return true;
  }
}

/** Existing regular files under the rule's paths that this rule (not a more specific one) governs. */
function governedSamples(rule: ProfileRule, ctx: PlanContext, max: number): string[] {
  const samples: string[] = [];
  for (const path of rule.paths) {
    if (samples.length >= max) break;
    // Never through a symlink (one planted inside, e.g. an --add-dir's `.codex`, could point anywhere).
    if (!isRegularFile(path) && !isDirectory(path)) continue;
    const files = regularFilesUnder(path, {
      maxFiles: max - samples.length,
      maxDepth: 3,
      skipDirs: SYSTEM_DIRS,
      skipName: NOT_A_SAMPLE,
      accept: (file) => governingRule(file, ctx.rules) === rule && !executable(file),
    });
    samples.push(...files);
  }
  return samples;
}

/** Why a path entry has nothing to try: absent, a link the host does not follow, or executables only. */
function missing(rule: ProfileRule): string {
  const entries = rule.paths.map((path) => {
    try {
      return lstatSync(path);
    } catch {
      return null;
    }
  });
  if (entries.some((entry) => entry?.isSymbolicLink()))
    return "not tested: the path is a symbolic link on the host (the host never follows links)";
  return entries.some((entry) => entry !== null)
    ? "not tested here: only executable files (one may be running); launcher.integrity probes the launcher's files"
    : "nothing to test: the path does not exist on the host";
}

const existingDir = (rule: ProfileRule) => rule.paths.find((path) => isDirectory(path)) ?? null;

function planPathRule(
  rule: ProfileRule,
  index: number,
  ctx: PlanContext,
): Omit<PlannedRule, "text" | "access"> {
  const marker = (dir: string) => join(dir, ruleMarker(ctx.nonce, index));
  const dir = existingDir(rule);
  const none = { probe: null, createdAfterLaunch: false };
  if (rule.access === "write") {
    if (dir)
      return {
        probe: { read: [], append: null, create: marker(dir) },
        note: null,
        createdAfterLaunch: false,
      };
    const file = rule.paths.find(isRegularFile);
    if (file)
      return { probe: { read: [], append: file, create: null }, note: null, createdAfterLaunch: false };
    return { ...none, note: missing(rule) };
  }
  const samples = governedSamples(rule, ctx, rule.access === "read" ? 2 : SAMPLES);
  if (rule.access === "none") {
    if (samples.length > 0)
      return { probe: { read: samples, append: null, create: null }, note: null, createdAfterLaunch: false };
    return {
      ...none,
      note: dir ? "nothing to test: no file under it on the host" : missing(rule),
    };
  }
  const append = samples[0] ?? null;
  const create = append === null && dir ? marker(dir) : null;
  if (samples.length === 0 && create === null) return { ...none, note: missing(rule) };
  return { probe: { read: samples, append, create }, note: null, createdAfterLaunch: false };
}

/** The folder a glob's matches live under: its path up to the first segment with a wildcard. */
function literalBase(pattern: string): string {
  const segments = pattern.split("/");
  const first = segments.findIndex((segment) => /[*?[]/.test(segment));
  return segments.slice(0, first).join("/") || "/";
}

/**
 * A path the glob matches for a file that does not exist yet: `**` segments dropped, `*` made the nonce name; null
 * for patterns this cannot fill (character classes) or when the folder is missing or not writable.
 */
function newFileFor(pattern: string, ctx: PlanContext): string | null {
  const base = literalBase(pattern);
  const rest = relative(base, pattern)
    .split("/")
    .filter((segment) => segment !== "**");
  if (rest.some((segment) => segment.includes("["))) return null;
  const name = `codex-smoke-${ctx.nonce}`;
  const filled = rest.map((segment) => segment.replace("*", name).replaceAll("*", "").replaceAll("?", "x"));
  // The file's own name must hold the nonce, never be a name a user's file may have: a pattern ending in `**` gets
  // a nonce-named file in its folder; one without `*` in its last segment, a path it does not match (null below).
  if (!filled.at(-1)?.includes(name)) filled.push(name);
  const path = join(base, ...filled);
  if (!globToRegExp(pattern).test(path) || !isDirectory(dirname(path))) return null;
  const writable = governingRule(
    dirname(path),
    ctx.rules.filter((rule) => rule.kind !== "glob"),
  );
  return writable?.access === "write" ? path : null;
}

function planGlobRule(rule: ProfileRule, ctx: PlanContext): Omit<PlannedRule, "text" | "access"> {
  const pattern = rule.paths[0] ?? "";
  if (rule.access !== "none")
    return {
      probe: null,
      note: "not tested: Codex applies globs to deny reads only",
      createdAfterLaunch: false,
    };
  const matcher = globToRegExp(pattern);
  const matches = regularFilesUnder(literalBase(pattern), {
    maxFiles: SAMPLES,
    maxDepth: ctx.globDepth,
    skipName: NOT_A_SAMPLE,
    accept: (file) => matcher.test(file),
  });
  const created = newFileFor(pattern, ctx);
  if (matches.length === 0 && created === null)
    return {
      probe: null,
      note: "nothing to test: no matching file on the host and no writable folder to make one in",
      createdAfterLaunch: false,
    };
  return {
    probe: { read: matches, append: null, create: created },
    note: null,
    createdAfterLaunch: created !== null,
  };
}

/** One planned probe per filesystem entry of the profile, in the profile's order. */
export function planRuleProbes(
  profile: PermissionProfile,
  ctx: { project: string; nonce: string },
): PlannedRule[] {
  const context: PlanContext = { ...ctx, rules: profile.rules, globDepth: GLOB_SEARCH_DEPTH };
  return profile.rules.map((rule, index) => {
    const plan =
      rule.kind === "unknown"
        ? {
            probe: null,
            note: "grants nothing: not a special path this Codex knows",
            createdAfterLaunch: false,
          }
        : rule.kind === "glob"
          ? planGlobRule(rule, context)
          : planPathRule(rule, index, context);
    return { text: rule.text, access: rule.access, ...plan };
  });
}

/** Every file the probes may create on the host: restore removes exactly these. */
export const plannedWrites = (plan: readonly PlannedRule[]): string[] =>
  plan.flatMap((rule) => (rule.probe?.create ? [rule.probe.create] : []));

/** The folders write entries make writable besides the project (where Codex mounts its protected placeholders). */
export const writableRoots = (plan: readonly PlannedRule[], project: string): string[] =>
  plan.flatMap((rule) =>
    rule.access === "write" && rule.probe?.create && dirname(rule.probe.create) !== project
      ? [dirname(rule.probe.create)]
      : [],
  );
