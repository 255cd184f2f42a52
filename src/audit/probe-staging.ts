// The live-session door (decisions §6): `probe --stage` stages the runner in the project and keeps the host's record
// of it OUTSIDE the project (the agent can write the project, so it could forge a record there). `run
// --probe-report` accepts a report only with the nonce of such a record, only once, and restores from the record.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { parseBoundedJson } from "../core/bounded-json.js";
import { UsageError } from "../core/errors.js";
import type { RunnerInput } from "../runner/types.js";
import type { HostRecord } from "./record.js";
import { CACHE_DIR } from "./session.js";
import { readRegularFile, UntrustedInputError } from "./untrusted.js";

const STAGES_DIR = join(CACHE_DIR, "stages");
const NONCE = /^[0-9a-f]{12}$/;

export interface StagingRecord {
  record: HostRecord;
  input: RunnerInput;
  /** When the host staged it (ISO-8601): a report that started before is not this staging's. */
  stagedAt: string;
  /** The launcher the session was started with (absolute). */
  launcher: string;
  /** SHA-256 of the launcher, the project files it runs and the profile file at staging (null: not readable). */
  hashes: Record<string, string | null>;
}

/** A staging never judged is dropped after a week (its folder in the project stays, git-ignored). */
const STAGING_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** Removes staging records older than a week: abandoned or refused live sessions do not pile up. */
export function expireStagings(now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(STAGES_DIR);
  } catch {
    return [];
  }
  const expired: string[] = [];
  for (const name of names) {
    const path = join(STAGES_DIR, name);
    try {
      if (now - lstatSync(path).mtimeMs <= STAGING_LIFETIME_MS) continue;
      rmSync(path);
      expired.push(name);
    } catch {
      // Taken meanwhile by another run's --probe-report, or no file (a folder someone made there): left as it is,
      // housekeeping never stops the staging or the judging it runs before.
    }
  }
  return expired;
}

const recordPath = (nonce: string) => join(STAGES_DIR, `${nonce}.json`);

export function saveStagingRecord(staging: StagingRecord): string {
  mkdirSync(STAGES_DIR, { recursive: true, mode: 0o700 });
  const path = recordPath(staging.record.nonce);
  writeFileSync(path, `${JSON.stringify(staging, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** The nonce a report claims, read as untrusted data (only used to find the host's record, never as a path part
 * unless it is 12 hex digits). */
function claimedNonce(path: string): string {
  const text = readRegularFile(path);
  let nonce: unknown;
  try {
    // Only the top level is needed: deeper nesting is cut here and judged as the report's content later.
    const { value } = parseBoundedJson(text, 1);
    nonce = (value as { nonce?: unknown } | null)?.nonce;
  } catch {
    throw new UntrustedInputError(`${path}: not JSON`);
  }
  if (typeof nonce !== "string" || !NONCE.test(nonce))
    throw new UntrustedInputError(`${path}: no valid nonce`);
  return nonce;
}

/**
 * The staging a `--probe-report` file belongs to; throws a UsageError (exit 2) for a report this host did not
 * stage, a second use, or a report outside the staging folder. Consumes the record.
 */
export function acceptProbeReport(reportFile: string, project: string): StagingRecord {
  const flag = `--probe-report ${reportFile}`;
  try {
    const path = resolve(reportFile);
    const nonce = claimedNonce(path);
    const file = recordPath(nonce);
    if (!existsSync(file))
      throw new UntrustedInputError(
        "no staging with this nonce on this host (stage it with `codex-smoke probe --stage`; a report is accepted once)",
      );
    expireStagings();
    if (!existsSync(file))
      throw new UntrustedInputError("the staging with this nonce expired (a week old): stage it again");
    const staging = JSON.parse(readFileSync(file, "utf8")) as StagingRecord;
    if (staging.record.project !== resolve(project))
      throw new UntrustedInputError(`staged for ${staging.record.project}, not this project`);
    if (staging.input.reports.local !== path)
      throw new UntrustedInputError(`expected ${staging.input.reports.local}`);
    // The content is the session's finding, judged with the checks: a report that breaks a field or a limit makes
    // them `error` with one line (exit 3), and the audit's report is still written.
    // Once: the record is taken away before anything acts on it.
    renameSync(file, `${file}.used`);
    rmSync(`${file}.used`, { force: true });
    return staging;
  } catch (error) {
    if (error instanceof UntrustedInputError) throw new UsageError(`${flag}: refused: ${error.message}`);
    throw error;
  }
}
