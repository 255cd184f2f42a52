// What the runner's probes left on the host (decisions §8): on a correct setup nothing; on a broken one the
// probes really landed, so the host records them as evidence and restores the project and home.
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { execa } from "execa";
import type { SideEffectFacts } from "../model.js";

/** Marker names shared by convention with the runner (which imports nothing). */
export function markerPaths(
  nonce: string,
  opts: { project: string; home: string; readonlyPaths: string[]; outsideWriteDirs: string[] },
) {
  return {
    project: join(opts.project, `codex-smoke-${nonce}.txt`),
    git: join(opts.project, ".git", `codex-smoke-${nonce}`),
    home: join(opts.home, `.codex-smoke-${nonce}`),
    readonly: opts.readonlyPaths.map((p) => join(opts.project, p, `codex-smoke-${nonce}`)),
    outside: opts.outsideWriteDirs.map((dir) => join(dir, `.codex-smoke-${nonce}`)),
  };
}

function listTree(root: string): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      found.add(relative(root, path));
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(root);
  return found;
}

async function head(project: string): Promise<string | null> {
  const result = await execa("git", ["rev-parse", "--verify", "-q", "HEAD"], { cwd: project, reject: false });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

export interface HostSnapshot {
  gitEntries: Set<string> | null;
  head: string | null;
  readonlyEntries: Map<string, Set<string>>;
  projectEntries: Set<string>;
}

export async function snapshotHost(project: string, readonlyPaths: string[]): Promise<HostSnapshot> {
  const gitDir = join(project, ".git");
  const isGitDir = existsSync(gitDir) && statSync(gitDir).isDirectory();
  return {
    gitEntries: isGitDir ? listTree(gitDir) : null,
    head: isGitDir ? await head(project) : null,
    readonlyEntries: new Map(readonlyPaths.map((p) => [p, listTree(join(project, p))])),
    projectEntries: new Set(readdirSync(project)),
  };
}

/** Compares with the snapshot, records what persisted, and puts the project and home back as they were. */
export async function verifyAndRestore(
  before: HostSnapshot,
  opts: { nonce: string; project: string; home: string; readonlyPaths: string[]; outsideWriteDirs: string[] },
): Promise<SideEffectFacts> {
  const markers = markerPaths(opts.nonce, opts);
  const restored: string[] = [];
  const persisted: string[] = [];
  for (const path of [markers.home, ...markers.outside]) {
    if (existsSync(path)) {
      persisted.push(path);
      rmSync(path, { recursive: true, force: true });
      restored.push(`removed ${path}`);
    }
  }

  const gitDir = join(opts.project, ".git");
  const headAfter = before.gitEntries ? await head(opts.project) : null;
  const marker = relative(opts.project, markers.project);
  if (before.gitEntries) {
    if (headAfter !== before.head && before.head) {
      await execa("git", ["reset", "-q", "--soft", before.head], { cwd: opts.project, reject: false });
      restored.push(`undid the probe commit (git reset --soft ${before.head.slice(0, 12)})`);
    }
    // Unstage only the probe's marker: the user's own staged changes stay as they were.
    const staged = await execa("git", ["ls-files", "--cached", "--", marker], {
      cwd: opts.project,
      reject: false,
    });
    if (staged.stdout.trim()) {
      const args = before.head
        ? ["reset", "-q", before.head, "--", marker]
        : ["rm", "-q", "--cached", "--", marker];
      await execa("git", args, { cwd: opts.project, reject: false });
      restored.push(`unstaged ${marker}`);
    }
  }
  const gitNew: string[] = [];
  if (before.gitEntries) {
    for (const entry of listTree(gitDir)) {
      if (!before.gitEntries.has(entry)) gitNew.push(entry);
    }
    // Deepest first, so directories are empty when their turn comes. New objects stay: the reflog still names the
    // probe commit, and deleting it would leave the repo failing `git fsck` (unreachable objects are gc's job).
    const removable = gitNew.filter((entry) => entry !== "objects" && !entry.startsWith(`objects${sep}`));
    for (const entry of removable.sort((a, b) => b.length - a.length)) {
      rmSync(join(gitDir, entry), { recursive: true, force: true });
    }
    if (removable.length > 0) restored.push(`removed ${removable.length} new entries from .git`);
  }

  const readonlyNew: string[] = [];
  for (const [path, entries] of before.readonlyEntries) {
    const root = join(opts.project, path);
    for (const entry of listTree(root)) {
      if (!entries.has(entry)) readonlyNew.push(join(path, entry));
    }
  }
  for (const entry of [...readonlyNew].sort((a, b) => b.length - a.length)) {
    rmSync(join(opts.project, entry), { recursive: true, force: true });
  }
  // A read-only path that did not exist before and does now was created by the runner.
  for (const [path] of before.readonlyEntries) {
    const root = join(opts.project, path);
    if (!before.projectEntries.has(path.split("/")[0] ?? path) && existsSync(root)) {
      readonlyNew.push(path);
      rmSync(root, { recursive: true, force: true });
    }
  }
  if (readonlyNew.length > 0) restored.push(`removed ${readonlyNew.length} new entries from read-only paths`);

  const projectMarkerLeft = existsSync(markers.project);
  if (projectMarkerLeft) {
    rmSync(markers.project, { force: true });
    restored.push(`removed ${marker}`);
  }
  // Codex's bwrap mount points sometimes survive as empty dirs in the workspace (lab §8.8): not the user's.
  for (const name of [".agents", ".aws"]) {
    const path = join(opts.project, name);
    if (!before.projectEntries.has(name) && existsSync(path) && readdirSync(path).length === 0) {
      rmSync(path, { recursive: true, force: true });
    }
  }

  return { persisted, gitNew, headBefore: before.head, headAfter, readonlyNew, projectMarkerLeft, restored };
}

/**
 * `run --probe-report`: the runner ran in a live session the harness did not watch, so there is no snapshot.
 * What can still be proven from the host: which of the markers the report names survived. They are removed.
 */
export function verifyProbeMarkers(
  report: import("../runner/report-types.js").RunnerReport,
  project: string,
): SideEffectFacts {
  const restored: string[] = [];
  const remove = (path: string) => {
    rmSync(path, { recursive: true, force: true });
    restored.push(`removed ${path}`);
  };
  const persisted = [report.home.marker, ...report.outside.writes.map((w) => w.marker)].filter(
    (p) => p && existsSync(p),
  );
  const readonlyNew = report.readonlyPaths.map((r) => r.marker).filter((p) => p && existsSync(p));
  const gitMarker = join(project, ".git", `codex-smoke-${report.nonce}`);
  const gitNew = existsSync(gitMarker) ? [relative(join(project, ".git"), gitMarker)] : [];
  const projectMarkerLeft = existsSync(report.project.marker);
  for (const path of [
    ...persisted,
    ...readonlyNew,
    ...(gitNew.length ? [gitMarker] : []),
    ...(projectMarkerLeft ? [report.project.marker] : []),
  ]) {
    remove(path);
  }
  return { persisted, gitNew, headBefore: null, headAfter: null, readonlyNew, projectMarkerLeft, restored };
}
