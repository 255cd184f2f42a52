// Phase 3: put the runner into the project for the agent to run, with the host's record of everything the probes
// may touch. The staging directory is a nonce-named dot-folder that ignores itself in git; the host removes exactly
// the files it put there, and the folder if nothing else appeared in it.
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { PACKAGE_DIR } from "../core/version.js";
import { ownNamespaces } from "../runner/attest.js";
import { RUNNER_PARTS, type RunnerInput } from "../runner/types.js";
import { generateCertificate } from "../tls/self-signed.js";
import { planCredentials, removeCanaries } from "./credentials.js";
import { existenceOf, gitHead, type HostRecord, isGitRepo, placeholderPaths } from "./record.js";

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

const STAGED_FILES = ["runner.mjs", "input.json", NET_INPUT, ".gitignore"];

/** Directories a writable-root mistake would expose: the project's parent, $HOME, temp dirs, the profile's extra
 * absolute write entries (the README says only the project is writable). */
export function outsideWriteDirs(project: string, home: string, writableFromConfig: string[]): string[] {
  const dirs = [dirname(project), home, "/tmp", "/var/tmp", ...writableFromConfig];
  return [
    ...new Set(dirs.filter((dir) => isAbsolute(dir) && existsSync(dir) && resolve(dir) !== resolve(project))),
  ];
}

/** What the host records before any Codex launch: Codex may create its mount points in the project as it starts,
 * and every launch must find the canaries already in place. */
export type BeforeLaunch = Pick<
  HostRecord,
  "credentials" | "canaries" | "existedBefore" | "headBefore" | "isRepo"
>;

export async function recordBeforeLaunch(
  request: Pick<StageRequest, "nonce" | "project" | "home" | "codexHome" | "readonlyPaths" | "placeCanaries">,
): Promise<BeforeLaunch> {
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
    headBefore: await gitHead(request.project),
    isRepo: isGitRepo(request.project),
  };
}

/** The agent's commands, relative to the project; the network part reads an input of its own when it has one. */
export function runnerCommands(stagingName: string, ownNetInput: boolean): string[] {
  const inputOf = (part: string) => (part === "net" && ownNetInput ? NET_INPUT : "input.json");
  return RUNNER_PARTS.map((part) => `node ${stagingName}/runner.mjs ${stagingName}/${inputOf(part)} ${part}`);
}

/** Stages the runner; `before` is what was recorded before the launches started (recorded now when absent). */
export async function stageRunner(request: StageRequest, before?: BeforeLaunch): Promise<Staged> {
  const recorded = before ?? (await recordBeforeLaunch(request));
  const dir = join(request.project, request.stagingName);
  mkdirSync(dir);
  const reports = Object.fromEntries(RUNNER_PARTS.map((part) => [part, join(dir, `report.${part}.json`)]));
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
    hostNamespaces: ownNamespaces(),
    isRepo: recorded.isRepo,
    authJson: recorded.credentials
      .filter((c) => c.onHost !== "missing")
      .map(({ label, path }) => ({ label, path })),
    readonlyPaths: request.readonlyPaths,
    outsideWriteDirs: request.outsideWriteDirs,
    outsideReadFiles: request.outsideReadFiles,
    registryUrl: typeof request.registryUrl === "string" ? request.registryUrl : null,
    tlsControl: { certPem, keyPem },
    networkTimeoutMs: NETWORK_TIMEOUT_MS,
  };
  writeFileSync(join(dir, ".gitignore"), "*\n");
  copyFileSync(RUNNER_FILE, join(dir, "runner.mjs"));
  writeFileSync(join(dir, "input.json"), inputText(input));
  const record: HostRecord = {
    nonce: request.nonce,
    project: request.project,
    home: request.home,
    codexHome: request.codexHome,
    readonlyPaths: request.readonlyPaths,
    outsideWriteDirs: request.outsideWriteDirs,
    stagingDir: dir,
    ...recorded,
  };
  const pending = request.registryUrl instanceof Promise ? request.registryUrl : null;
  const commands = runnerCommands(request.stagingName, pending !== null);
  const netInput = pending ? writeNetInput(dir, input, pending) : Promise.resolve();
  return { record, input, commands, netInput, unstage: () => unstage(record, input) };
}

const inputText = (input: RunnerInput) => `${JSON.stringify(input, null, 2)}\n`;

/**
 * The network part's input, with the registry once it is known. By then the agent has run inside the project, so
 * the host writes only into the staging folder it made (same device and inode, a real directory) and only a new
 * file (never through a link someone put there, decisions §27). If it cannot, the network part finds no input and
 * its checks say so.
 */
async function writeNetInput(
  dir: string,
  input: RunnerInput,
  registryUrl: Promise<string | null>,
): Promise<void> {
  const made = statSync(dir);
  const url = await registryUrl.catch(() => null);
  try {
    const now = lstatSync(dir);
    if (!now.isDirectory() || now.dev !== made.dev || now.ino !== made.ino) return;
    writeFileSync(join(dir, NET_INPUT), inputText({ ...input, registryUrl: url }), { flag: "wx" });
  } catch {
    // the folder went away or the name is taken: nothing is written
  }
}

/** Removes what the host put into the project (and the reports the runner wrote there), never anything else. */
export function unstage(record: HostRecord, input: RunnerInput): string[] {
  const leftAlone = removeCanaries(record.canaries);
  const files = [
    ...STAGED_FILES.map((name) => join(record.stagingDir, name)),
    ...Object.values(input.reports).flatMap((path) => [path, `${path}.tmp`]),
  ];
  for (const file of files) {
    try {
      unlinkSync(file);
    } catch {
      // not written, or removed already
    }
  }
  try {
    rmdirSync(record.stagingDir);
  } catch {
    if (existsSync(record.stagingDir))
      leftAlone.push(`${record.stagingDir} holds files the host did not put there: left as it is`);
  }
  return leftAlone;
}
