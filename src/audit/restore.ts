// Phase 5: what the probes left on the host, and undoing exactly that. Every path comes from the host's own record
// and the nonce; a probe that really landed (a broken setup, decisions §8) is evidence and is undone; anything else
// that changed during the audit (a user's commit, a build output) is left alone and reported.
import { lstatSync, readdirSync, rmdirSync, type Stats, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { SideEffectFacts } from "../core/model.js";
import { PROBE_COMMIT, PROBE_MARKERS } from "../runner/markers.js";
import { gitDirChanged, hostGit } from "./host-git.js";
import { gitHead, type HostRecord } from "./record.js";
import { removeRootPlaceholders, restoreRuleWrites } from "./rule-restore.js";

type Persisted = SideEffectFacts["persisted"][number];

/** A marker file the probes may have written: its folder `base` from the record, and its path below that. */
interface Marker {
  where: Persisted["where"];
  base: string;
  relative: string;
}

/** The marker files the probes may have written, computed from the record. */
function probeMarkers(record: HostRecord): Marker[] {
  const { nonce, project } = record;
  return [
    { where: "project", base: project, relative: PROBE_MARKERS.project(nonce) },
    { where: "git", base: project, relative: join(".git", PROBE_MARKERS.git(nonce)) },
    ...record.readonlyPaths.map(
      (p): Marker => ({ where: "readonly", base: project, relative: join(p, PROBE_MARKERS.readonly(nonce)) }),
    ),
    { where: "home", base: record.home, relative: PROBE_MARKERS.hidden(nonce) },
    ...record.outsideWriteDirs.map(
      (dir): Marker => ({ where: "outside", base: dir, relative: PROBE_MARKERS.hidden(nonce) }),
    ),
  ];
}

/** Unlinks a file or symlink (never follows it, never recurses); false when nothing of that kind is there. */
function unlinkEntry(path: string): boolean {
  try {
    if (lstatSync(path).isDirectory()) return false;
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

function removeEmptyDir(path: string): boolean {
  try {
    if (readdirSync(path).length > 0) return false;
    rmdirSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * What Codex leaves where it mounted a placeholder for a path that did not exist: an empty folder or an empty
 * regular file (seen with 0.169 when its sandbox helpers race). Anything with content is not Codex's and stays.
 */
function removeEmptyPlaceholder(path: string): boolean {
  try {
    const entry = lstatSync(path);
    if (entry.isDirectory()) return removeEmptyDir(path);
    if (!entry.isFile() || entry.size > 0) return false;
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Git in the recorded repository only, with nothing from its config able to run a command (host-git.ts). */
const git = (record: HostRecord, ...args: string[]) =>
  hostGit({ project: record.project, gitDir: record.gitDir }, args);

interface GitOutcome {
  git: SideEffectFacts["git"];
  restored: string[];
  leftAlone: string[];
}

/** Undoes the probe's commit only when it is HEAD and sits right on the recorded HEAD; anything else stays. */
async function restoreGit(record: HostRecord): Promise<GitOutcome> {
  const { nonce, headBefore } = record;
  const restored: string[] = [];
  const leftAlone: string[] = [];
  const swapped = gitDirChanged(record);
  if (swapped) {
    const git = { headBefore, headAfter: null, probeCommit: false, markerStaged: false };
    return { git, restored, leftAlone: [swapped] };
  }
  const repo = { project: record.project, gitDir: record.gitDir };
  const headAfter = await gitHead(repo);
  const marker = PROBE_MARKERS.project(nonce);
  let probeCommit = false;
  if (headAfter !== headBefore) {
    const range = headBefore ? [`${headBefore}..HEAD`] : ["HEAD"];
    const log = await git(record, "log", "--format=%H%x00%P%x00%ae%x00%s", ...range);
    const commits = log.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("\0"));
    const isProbe = (c: string[]) => c[2] === PROBE_COMMIT.email && c[3] === PROBE_COMMIT.subject(nonce);
    probeCommit = commits.some(isProbe);
    const head = commits[0];
    if (head && isProbe(head) && commits.length === 1 && (head[1] ?? "") === (headBefore ?? "")) {
      await (headBefore
        ? git(record, "reset", "-q", "--soft", headBefore)
        : git(record, "update-ref", "-d", "HEAD"));
      restored.push(
        `undid the probe's commit ${head[0]?.slice(0, 12)} (HEAD back to ${headBefore?.slice(0, 12) ?? "no commit"})`,
      );
    } else {
      leftAlone.push(
        `HEAD moved ${headBefore?.slice(0, 12) ?? "(none)"} → ${headAfter?.slice(0, 12) ?? "(none)"} by commits that are not only the probe's`,
      );
    }
  }
  const staged = (await git(record, "ls-files", "--cached", "--", marker)).stdout.trim() !== "";
  if (staged) {
    const current = await gitHead(repo);
    await (current
      ? git(record, "reset", "-q", current, "--", marker)
      : git(record, "rm", "-q", "--cached", "--", marker));
    restored.push(`unstaged the probe's ${marker}`);
  }
  return { git: { headBefore, headAfter, probeCommit, markerStaged: staged }, restored, leftAlone };
}

/**
 * Removes what the probe created (a read-only path absent before) or Codex left (its mount points, inside read-only
 * folders too): only entries the record says were absent before, and only while empty. Returns what went. Safe to
 * call again: the audit does so after the last process is gone, for a helper that outlived the restore.
 */
export function removePlaceholders(record: Pick<HostRecord, "project" | "existedBefore">): string[] {
  const removed: string[] = [];
  for (const [path, existed] of Object.entries(record.existedBefore)) {
    if (existed !== false || foldersOnTheWay(record.project, path) !== "real") continue;
    if (removeEmptyPlaceholder(join(record.project, path))) {
      removed.push(`removed the empty ${path} that was not there before`);
    }
  }
  return removed;
}

/** The folders between `base` and the last part of `path`: all real directories, one missing, or one that is not
 * a directory (a symlink the agent swapped in to lead the host elsewhere, decisions §27). */
function foldersOnTheWay(base: string, path: string): "real" | "missing" | "unsafe" {
  const parts = path.split("/").slice(0, -1);
  for (let depth = 1; depth <= parts.length; depth++) {
    let entry: Stats;
    try {
      entry = lstatSync(join(base, ...parts.slice(0, depth)));
    } catch {
      return "missing";
    }
    if (!entry.isDirectory()) return "unsafe";
  }
  return "real";
}

/** Compares the host with the record and undoes what the probes did; returns what was seen and done. */
export async function restoreHost(record: HostRecord): Promise<SideEffectFacts> {
  const gitOutcome = record.isRepo
    ? await restoreGit(record)
    : {
        git: { headBefore: null, headAfter: null, probeCommit: false, markerStaged: false },
        restored: [],
        leftAlone: [],
      };
  const restored = [...gitOutcome.restored];
  const leftAlone = [...gitOutcome.leftAlone];
  const persisted: Persisted[] = [];
  for (const { where, base, relative } of probeMarkers(record)) {
    const path = join(base, relative);
    // Never through a folder swapped for a symlink: the unlink would remove a file elsewhere on the host.
    if (foldersOnTheWay(base, relative) === "unsafe") {
      leftAlone.push(`${path}: a folder on its way is not a directory now (a symlink?); not looked into`);
      continue;
    }
    if (!unlinkEntry(path)) continue;
    // The project marker is the positive control's file: left behind, it is debris, not a finding.
    if (where !== "project") persisted.push({ where, path });
    restored.push(`removed ${path}`);
  }
  restored.push(...removePlaceholders(record));
  const absentBefore = record.readonlyPaths.filter((path) => record.existedBefore[path] === false);
  const rules = restoreRuleWrites(record.ruleWrites ?? [], record.nonce);
  return {
    persisted,
    git: gitOutcome.git,
    restored: [...restored, ...rules.restored, ...removeRootPlaceholders(record.ruleRoots ?? [])],
    leftAlone: [...leftAlone, ...rules.leftAlone],
    absentBefore,
    ruleWrites: rules.outcomes,
  };
}
