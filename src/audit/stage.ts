// Phase 3: put the runner into the project for the agent to run, with the host's record of everything the probes
// may touch. The staging directory is a nonce-named dot-folder that ignores itself in git; the host removes exactly
// the files it put there, and the folder if nothing else appeared in it.
// The agent can watch the project and swap the folder for a symlink at any moment (decisions §27): the folder is
// opened once right after it is made, without following, and every file is created relative to that open folder
// (new files only, never an existing entry). Unstaging opens it the same way, goes on only when it is still the
// folder the host made (device and inode), and removes only the files it made (by identity) and the runner's
// reports (by name, inside that folder); unlink never follows.
import { existsSync, readFileSync, realpathSync, rmdirSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { FileLimitError, type Identity, SafeDir, sameIdentity, UnsafePathError } from "../core/safe-dir.js";
import { PACKAGE_DIR } from "../core/version.js";
import { ownNamespaces } from "../runner/attest.js";
import { REPORT_PARTS, RUNNER_PARTS, type RunnerInput, type RunnerPart } from "../runner/types.js";
import { generateCertificate } from "../tls/self-signed.js";
import { planCredentials, removeCanaries } from "./credentials.js";
import { gitDirIdentity } from "./host-git.js";
import {
  existenceOf,
  gitHead,
  type HostRecord,
  isGitRepo,
  placeholderPaths,
  type StagedFiles,
} from "./record.js";
import { domainsFor, type RuleStaging, type RuleStagingRequest, stageRules } from "./rule-staging.js";
import { MAX_REPORT_BYTES, UntrustedInputError } from "./untrusted.js";

const RUNNER_FILE = join(PACKAGE_DIR, "dist", "runner.mjs");
/** The network part's own input, when the registry was still being resolved at staging. */
const NET_INPUT = "input.net.json";
export const NETWORK_TIMEOUT_MS = 5_000;

/** What to stage: the record's own choices (the folders the probes may touch), and the runner's other input. */
export interface StageRequest
  extends Pick<
    HostRecord,
    "nonce" | "project" | "home" | "codexHome" | "readonlyPaths" | "outsideWriteDirs"
  > {
  /** Files only the host can read (canaries in its private run directory). */
  outsideReadFiles: string[];
  /**
   * The registry the network part retrieves. Still being resolved (a promise): the network part gets an input file
   * of its own, written once the URL is known, so that the exec launch need not wait for it (`netInput`).
   */
  registryUrl: string | null | Promise<string | null>;
  /** The folder's name in the project: `.codex-smoke-<nonce>` for `run`, `.codex-smoke` for `probe --stage`. */
  stagingName: string;
  /** Place temporary auth.json canaries where none exists: only when the host removes them minutes later (`run`),
   * never for a live session that may never be completed. */
  placeCanaries: boolean;
  /** The launcher and the files it sources or runs, resolved by the host: probed for append, never written. */
  launcherFiles: string[];
  /** `run` watches its launch and restores from its record, so its runner probes even when it finds itself
   * outside a sandbox (`--force`); the live session's runner refuses there. */
  watched: boolean;
  /** The effective profile and config: the profile's own rules get probes (src/audit/rule-staging.ts). */
  rules?: RuleStagingRequest["rules"];
}

export interface Staged {
  record: HostRecord;
  input: RunnerInput;
  /** The commands the agent runs, relative to the project (the network part is a command of its own). */
  commands: string[];
  /** Settles once the network command's input is in place: its command must not be handed out before. */
  netInput: Promise<void>;
  /** Removes the staged files, the canaries and the folder; returns what it left alone. */
  unstage(): string[];
}

/** The runner's report of `part`, in the staging folder (written by the runner: not host-made). */
const reportName = (part: RunnerPart) => `report.${part}.json`;

/** Directories a writable-root mistake would expose: the project's parent, $HOME, temp dirs, the profile's extra
 * absolute write entries (the README says only the project is writable). */
export function outsideWriteDirs(project: string, home: string, writableFromConfig: string[]): string[] {
  const dirs = [dirname(project), home, "/tmp", "/var/tmp", ...writableFromConfig];
  return [
    ...new Set(dirs.filter((dir) => isAbsolute(dir) && existsSync(dir) && resolve(dir) !== resolve(project))),
  ];
}

/** What the host records before any Codex launch: Codex may create its mount points in the project and in the extra
 * writable roots as it starts, and every launch must find the canaries already in place. The profile's own rules
 * are planned then too: the placeholders of their roots are recorded, and the agent's commands are known. */
export type BeforeLaunch = Pick<
  HostRecord,
  "credentials" | "canaries" | "existedBefore" | "headBefore" | "isRepo" | "gitDir" | "namespaces"
> & { ruleStaging: RuleStaging };

/** What `recordBeforeLaunch` needs; the profile's rules may still be being read (from the launcher and the layers). */
type BeforeLaunchRequest = Pick<
  StageRequest,
  "nonce" | "project" | "home" | "codexHome" | "readonlyPaths" | "placeCanaries" | "registryUrl"
> & { rules?: StageRequest["rules"] | Promise<StageRequest["rules"]> };

export async function recordBeforeLaunch(request: BeforeLaunchRequest): Promise<BeforeLaunch> {
  // A git process (~0.3 s on a busy machine): started first, it runs while the rules are still being read.
  const head = gitHead({ project: request.project });
  void head.catch(() => undefined);
  const rules = await request.rules;
  const { credentials, canaries } = planCredentials(
    request.codexHome,
    request.home,
    request.nonce,
    request.placeCanaries,
  );
  return {
    credentials,
    canaries,
    existedBefore: existenceOf(request.project, placeholderPaths(request.readonlyPaths)),
    headBefore: await head,
    isRepo: isGitRepo(request.project),
    gitDir: gitDirIdentity(request.project) ?? undefined,
    namespaces: ownNamespaces(),
    // Domains are planned again with the registry's URL once it is known (the network input, below).
    ruleStaging: stageRules({ ...request, rules, registryUrl: knownUrl(request.registryUrl) }),
  };
}

const knownUrl = (url: StageRequest["registryUrl"]) => (typeof url === "string" ? url : null);

/**
 * The agent's commands, relative to the project: the runner's parts, then one per domain probe (`domains <index>`).
 * The network part and the domain probes read an input of their own when there is one (it has the registry's URL).
 * A watched run (`run` restores from its record) passes `--force`: its runner probes even outside a sandbox.
 */
export function runnerCommands(
  stagingName: string,
  ownNetInput: boolean,
  watched: boolean,
  domainParts: readonly string[],
): string[] {
  const inputOf = (part: string) => (part !== "local" && ownNetInput ? NET_INPUT : "input.json");
  const force = watched ? " --force" : "";
  return [...RUNNER_PARTS, ...domainParts].map(
    (part) => `node ${stagingName}/runner.mjs ${stagingName}/${inputOf(part)} ${part}${force}`,
  );
}

/** Stages the runner; `before` is what was recorded before the launches started (recorded now when absent). */
export async function stageRunner(request: StageRequest, before?: BeforeLaunch): Promise<Staged> {
  const { ruleStaging: own, ...recorded } = before ?? (await recordBeforeLaunch(request));
  const dir = join(request.project, request.stagingName);
  const reports = Object.fromEntries(REPORT_PARTS.map((part) => [part, join(dir, reportName(part))]));
  const { certPem, keyPem } = generateCertificate({
    commonName: "codex-smoke-untrusted",
    ipAddresses: ["127.0.0.1"],
  });
  const input: RunnerInput = {
    schema: 2,
    nonce: request.nonce,
    project: request.project,
    home: request.home,
    reports: reports as RunnerInput["reports"],
    hostNamespaces: recorded.namespaces,
    isRepo: recorded.isRepo,
    authJson: recorded.credentials
      .filter((c) => c.onHost !== "missing")
      .map(({ label, path }) => ({ label, path })),
    readonlyPaths: request.readonlyPaths,
    outsideWriteDirs: request.outsideWriteDirs,
    outsideReadFiles: request.outsideReadFiles,
    ...own.input,
    registryUrl: knownUrl(request.registryUrl),
    tlsControl: { certPem, keyPem },
    networkTimeoutMs: NETWORK_TIMEOUT_MS,
    launcherFiles: request.launcherFiles,
  };
  const staged = writeStagingFolder(request.project, request.stagingName, {
    ".gitignore": "*\n",
    "runner.mjs": readFileSync(RUNNER_FILE),
    "input.json": inputText(input),
  });
  const record: HostRecord = {
    nonce: request.nonce,
    project: request.project,
    home: request.home,
    codexHome: request.codexHome,
    readonlyPaths: request.readonlyPaths,
    outsideWriteDirs: request.outsideWriteDirs,
    stagingDir: dir,
    staged,
    ...recorded,
    ...own.record,
  };
  const pending = request.registryUrl instanceof Promise ? request.registryUrl : null;
  let unstaged = false;
  const netInput = pending
    ? writeNetInput({ record, staged, input, request }, pending, () => unstaged)
    : Promise.resolve();
  return {
    record,
    input,
    commands: runnerCommands(request.stagingName, pending !== null, request.watched, own.parts),
    netInput,
    unstage: () => {
      unstaged = true;
      return unstage(record);
    },
  };
}

const inputText = (input: RunnerInput) => `${JSON.stringify(input, null, 2)}\n`;

/**
 * The input of the network part and the domain probes, with the registry once it is known (the domain probe of the
 * registry's host then uses its URL; the record judges them by this plan). By then the agent has run inside the
 * project, so it is created like the other staged files: inside the staging folder the host made (opened without
 * following, still the same device and inode), as a new file, recorded so that unstaging removes it. Nothing is
 * written once unstaging began. If it cannot be written, those parts find no input and their checks say so.
 */
async function writeNetInput(
  {
    record,
    staged,
    input,
    request,
  }: { record: HostRecord; staged: StagedFiles; input: RunnerInput; request: StageRequest },
  registryUrl: Promise<string | null>,
  unstaged: () => boolean,
): Promise<void> {
  const url = await registryUrl.catch(() => null);
  if (unstaged()) return;
  const domains = domainsFor({ ...request, registryUrl: url });
  const probes = domains?.probes.map((probe) => ({ host: probe.host, url: probe.url }));
  const folder = openStagingFolder(record);
  if (!(folder instanceof SafeDir)) return;
  try {
    const own = { ...input, registryUrl: url, ...(probes ? { domains: probes } : {}) };
    const identity = folder.createFile(NET_INPUT, inputText(own));
    // The same request as at staging but for the URL: a plan now exactly when there was one then.
    record.domains = domains;
    staged.files[NET_INPUT] = identity;
  } catch {
    // the name is taken: nothing is written
  } finally {
    folder.close();
  }
}

/** The project itself is the user's (the agent cannot replace its root): opened by its real path. */
const openProject = (project: string): SafeDir => SafeDir.open(realpathSync(project), { create: false });

/**
 * Makes the folder `name` in the project (it must not exist), opens it without following, and creates each file
 * in it (none may exist): nothing is written through a symlink swapped in at any moment. Returns the identities.
 * A swap is a UsageError naming the folder; what was made by then is removed again.
 */
function writeStagingFolder(
  project: string,
  name: string,
  files: Record<string, string | Buffer>,
): StagedFiles {
  const root = openProject(project);
  let folder: SafeDir;
  try {
    root.makeDir(name);
    folder = root.openDir(name, { create: false });
  } catch (error) {
    throw stagingRefused(join(project, name), error);
  } finally {
    root.close();
  }
  const staged: StagedFiles = { dir: folder.identity(), files: {} };
  try {
    for (const [file, content] of Object.entries(files))
      staged.files[file] = folder.createFile(file, content);
    return staged;
  } catch (error) {
    removeOwnFiles(folder, staged.files);
    removeFolder(project, name, staged.dir);
    throw stagingRefused(join(project, name), error);
  } finally {
    folder.close();
  }
}

function stagingRefused(dir: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EEXIST")
    return new UsageError(`${dir}: cannot stage the runner (it, or a file in it, exists already)`);
  // A swap between the steps: the folder or the project gone (ENOENT), a symlink where the folder was (openDir's
  // UnsafePathError; makeDir and createFile never follow the last component, so no ELOOP).
  if (error instanceof UnsafePathError || code === "ENOENT")
    return new UsageError(
      `${dir}: cannot stage the runner (moved or replaced while it was made); nothing was written through it`,
    );
  return error as Error;
}

/** Removes the entries of `files` that are still the very files the host made (device and inode). */
function removeOwnFiles(folder: SafeDir, files: Record<string, Identity>): void {
  for (const [name, identity] of Object.entries(files)) {
    const entry = folder.lstat(name);
    if (entry && sameIdentity(entry, identity)) folder.unlink(name);
  }
}

/** Removes the folder `name` of the project when it is still the host's and empty (rmdir refuses a folder that
 * holds files, and a symlink or file has another identity). */
function removeFolder(project: string, name: string, identity: Identity): void {
  const root = openProject(project);
  try {
    const entry = root.lstat(name);
    if (entry && sameIdentity(entry, identity)) rmdirSync(root.entry(name));
  } catch {
    // not empty: what the agent added stays, and the folder with it
  } finally {
    root.close();
  }
}

/** The staging folder the host made, opened without following; else why not (gone, swapped, replaced). */
function openStagingFolder(record: HostRecord): SafeDir | { why: string } {
  if (!record.staged) return { why: "no record of what the host staged there" };
  let folder: SafeDir;
  try {
    const root = openProject(record.project);
    try {
      folder = root.openDir(basename(record.stagingDir), { create: false });
    } finally {
      root.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { why: "gone" };
    return {
      why: error instanceof UnsafePathError ? "a symlink or not a folder now" : `cannot open (${code})`,
    };
  }
  if (sameIdentity(folder.identity(), record.staged.dir)) return folder;
  folder.close();
  return { why: "not the folder the host made" };
}

/**
 * The runner's `part` report, read inside the staging folder the host made (no symlink, no FIFO, size-capped):
 * a folder swapped for a symlink is not read through. Throws an UntrustedInputError saying why not.
 */
export function readStagedReport(record: HostRecord, part: RunnerPart): string {
  const where = join(record.stagingDir, reportName(part));
  const folder = openStagingFolder(record);
  if (!(folder instanceof SafeDir))
    throw new UntrustedInputError(`${where}: not read (staging folder ${folder.why})`);
  try {
    return folder.readRegularFile(reportName(part), MAX_REPORT_BYTES);
  } catch (error) {
    if (error instanceof FileLimitError) throw new UntrustedInputError(error.message);
    throw new UntrustedInputError(
      // Every other error is the system's, with its code (an UnsafePathError has one too).
      `${where}: cannot open (${(error as NodeJS.ErrnoException).code})`,
    );
  } finally {
    folder.close();
  }
}

/** Removes what the host put into the project (and the reports the runner wrote there), never anything else. */
export function unstage(record: HostRecord): string[] {
  const leftAlone = removeCanaries(record.canaries);
  const folder = openStagingFolder(record);
  if (!(folder instanceof SafeDir)) {
    if (folder.why !== "gone") leftAlone.push(`${record.stagingDir}: ${folder.why}: left as it is`);
    return leftAlone;
  }
  // The folder opened: the record says what the host staged there.
  const staged = record.staged as StagedFiles;
  try {
    removeOwnFiles(folder, staged.files);
    for (const part of REPORT_PARTS)
      for (const name of [reportName(part), `${reportName(part)}.tmp`]) folder.unlink(name);
  } finally {
    folder.close();
  }
  removeFolder(record.project, basename(record.stagingDir), staged.dir);
  if (existsSync(record.stagingDir))
    leftAlone.push(`${record.stagingDir} holds files the host did not put there: left as it is`);
  return leftAlone;
}
