// The host's own record of a probe run: every path it will later verify, restore or remove, chosen by the host
// before the runner started. Restore reads only this record, never a report from inside (decisions §8a).
import { existsSync, lstatSync } from "node:fs";
import { join } from "node:path";
import type { CredentialFacts } from "../core/model.js";
import type { Identity } from "../core/safe-dir.js";
import type { Namespaces } from "../runner/types.js";
import type { CredentialFile } from "./credential-files.js";
import type { DomainPlan } from "./domain-plan.js";
import { type HostGitRepo, hostGit } from "./host-git.js";
import type { PlannedRule } from "./rule-plan.js";
import type { RootPlaceholders, RuleWrite } from "./rule-restore.js";

export interface CanaryIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeNs: string;
}

/** What the host made in the staging folder, by identity: only these are ever removed as the host's own. */
export interface StagedFiles {
  dir: Identity;
  files: Record<string, Identity>;
}

export interface HostRecord {
  nonce: string;
  project: string;
  home: string;
  codexHome: string;
  /** Project-relative folders that must be read-only (from the expectations in force). */
  readonlyPaths: string[];
  /** Directories outside the project a write must not persist in (the host's choice, from the config it read). */
  outsideWriteDirs: string[];
  /** The staging directory the host created in the project (runner, input, reports). */
  stagingDir: string;
  /** The staging folder and the files in it as the host made them (absent: nothing there is removed). */
  staged?: StagedFiles;
  credentials: CredentialFacts[];
  /** Canaries the host placed where no credentials file existed, with what identifies them as still its own. */
  canaries: Array<{ path: string; identity: CanaryIdentity }>;
  /** Project entries whose existence the probes or Codex may change (`placeholderPaths`). */
  existedBefore: Record<string, boolean>;
  /** `HEAD` before the probe ran, or null (no repository, or no commit yet). */
  headBefore: string | null;
  isRepo: boolean;
  /** `.git`'s device and inode before the probe ran: restore runs git only in that very folder. */
  gitDir?: Identity;
  /** The host's own namespaces, read on the host at staging: what runner.report compares the runner's with (never
   * the copy a report carries). */
  namespaces: Namespaces;
  /** Credential files that existed on the host at staging (names only): what the runner tried to open. */
  credentialFiles?: CredentialFile[];
  /** The custom permission profile whose entries were planned (null: none in effect). */
  rulesProfile?: string | null;
  /** The probe planned for each filesystem entry of the profile (fs.profile_rules). */
  rules?: PlannedRule[];
  /** Files the rule probes may create (host-chosen), with their folders as found at staging: restore removes
   * exactly these. */
  ruleWrites?: RuleWrite[];
  /** The writable roots write entries add outside the project, and /tmp (writable in Codex's workspace-write
   * sandbox), with the protected names (`.git`, `.codex`, …) absent there before the launch: Codex leaves empty
   * placeholders for them. */
  ruleRoots?: RootPlaceholders[];
  /** The domain-rule probes (net.profile_rules), one command each. */
  domains?: DomainPlan;
}

/** What Codex protects in every writable root: a missing one gets a placeholder to mount over (lab §2.3), which is
 * sometimes left behind as an empty folder or file (lab §8.8: a race; an interrupt that kills the helper). */
const CODEX_MOUNT_POINTS = [".agents", ".aws", ".codex", ".git"];

/**
 * Project-relative paths where Codex (or a probe) may leave an empty entry: the read-only folders themselves, and
 * Codex's mount points in the project root and in each read-only folder (one made writable by mistake is a
 * writable root of its own). Deepest first, so that a folder is emptied before it is looked at.
 */
export function placeholderPaths(readonlyPaths: readonly string[]): string[] {
  const roots = ["", ...readonlyPaths];
  const paths = [
    ...readonlyPaths,
    ...roots.flatMap((root) => CODEX_MOUNT_POINTS.map((name) => join(root, name))),
  ];
  const depth = (path: string) => path.split("/").length;
  return [...new Set(paths)].sort((a, b) => depth(b) - depth(a));
}

export async function gitHead(repo: HostGitRepo): Promise<string | null> {
  const result = await hostGit(repo, ["rev-parse", "--verify", "-q", "HEAD"]);
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

export function isGitRepo(project: string): boolean {
  try {
    return lstatSync(join(project, ".git")).isDirectory();
  } catch {
    return false;
  }
}

export function existenceOf(project: string, relativePaths: readonly string[]): Record<string, boolean> {
  return Object.fromEntries(relativePaths.map((path) => [path, existsSync(join(project, path))]));
}
