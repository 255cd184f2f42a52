// Phase 3: put the runner into the project for the agent to run, with the host's record of everything the probes
// may touch. The staging directory is a nonce-named dot-folder that ignores itself in git; the host removes exactly
// the files it put there, and the folder if nothing else appeared in it.
import { copyFileSync, existsSync, mkdirSync, rmdirSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { PACKAGE_DIR } from "../core/version.js";
import { ownNamespaces } from "../runner/attest.js";
import { RUNNER_PARTS, type RunnerInput } from "../runner/types.js";
import { generateCertificate } from "../tls/self-signed.js";
import { planCredentials, removeCanaries } from "./credentials.js";
import { existenceOf, gitHead, type HostRecord, isGitRepo, placeholderPaths } from "./record.js";

const RUNNER_FILE = join(PACKAGE_DIR, "dist", "runner.mjs");
export const NETWORK_TIMEOUT_MS = 5_000;

/** What to stage: the record's own choices (the folders the probes may touch), and the runner's other input. */
export interface StageRequest
  extends Pick<
    HostRecord,
    "nonce" | "project" | "home" | "codexHome" | "readonlyPaths" | "outsideWriteDirs"
  > {
  /** Files only the host can read (canaries in its private run directory). */
  outsideReadFiles: string[];
  registryUrl: string | null;
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
  /** Removes the staged files, the canaries and the folder; returns what it left alone. */
  unstage(): string[];
}

const STAGED_FILES = ["runner.mjs", "input.json", ".gitignore"];

/** Directories a writable-root mistake would expose: the project's parent, $HOME, temp dirs, the profile's extra
 * absolute write entries (the README says only the project is writable). */
export function outsideWriteDirs(project: string, home: string, writableFromConfig: string[]): string[] {
  const dirs = [dirname(project), home, "/tmp", "/var/tmp", ...writableFromConfig];
  return [
    ...new Set(dirs.filter((dir) => isAbsolute(dir) && existsSync(dir) && resolve(dir) !== resolve(project))),
  ];
}

export async function stageRunner(request: StageRequest): Promise<Staged> {
  const dir = join(request.project, request.stagingName);
  mkdirSync(dir);
  const credentials = planCredentials(request.codexHome, request.home, request.nonce, request.placeCanaries);
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
    isRepo: isGitRepo(request.project),
    authJson: credentials.credentials
      .filter((c) => c.onHost !== "missing")
      .map(({ label, path }) => ({ label, path })),
    readonlyPaths: request.readonlyPaths,
    outsideWriteDirs: request.outsideWriteDirs,
    outsideReadFiles: request.outsideReadFiles,
    registryUrl: request.registryUrl,
    tlsControl: { certPem, keyPem },
    networkTimeoutMs: NETWORK_TIMEOUT_MS,
  };
  writeFileSync(join(dir, ".gitignore"), "*\n");
  copyFileSync(RUNNER_FILE, join(dir, "runner.mjs"));
  writeFileSync(join(dir, "input.json"), `${JSON.stringify(input, null, 2)}\n`);
  const record: HostRecord = {
    nonce: request.nonce,
    project: request.project,
    home: request.home,
    codexHome: request.codexHome,
    readonlyPaths: request.readonlyPaths,
    outsideWriteDirs: request.outsideWriteDirs,
    stagingDir: dir,
    credentials: credentials.credentials,
    canaries: credentials.canaries,
    existedBefore: existenceOf(request.project, placeholderPaths(request.readonlyPaths)),
    headBefore: await gitHead(request.project),
    isRepo: isGitRepo(request.project),
  };
  const relative = request.stagingName;
  const commands = RUNNER_PARTS.map((part) => `node ${relative}/runner.mjs ${relative}/input.json ${part}`);
  return { record, input, commands, unstage: () => unstage(record, input) };
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
