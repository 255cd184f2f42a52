// After the launch: which of the files the rule probes may create reached the host, and removing them. Only the
// paths in the host's record are looked at (decisions §8a); a path whose folder is no longer the real folder the
// host chose (a symlink swapped in) is left alone and reported, never followed.
import { closeSync, constants, lstatSync, openSync, readSync, realpathSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { markerContent } from "../runner/markers.js";

export interface RuleWriteOutcome {
  path: string;
  /** The probe's file is on the host with the probe's content: the write went through to the host. */
  landed: boolean;
}

/** The first bytes of a regular file, without following a link at that name. */
function head(path: string, bytes: number): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function realFolder(path: string): boolean {
  try {
    return realpathSync(dirname(path)) === dirname(path);
  } catch {
    return false;
  }
}

export function restoreRuleWrites(
  paths: readonly string[],
  nonce: string,
): { outcomes: RuleWriteOutcome[]; restored: string[]; leftAlone: string[] } {
  const outcomes: RuleWriteOutcome[] = [];
  const restored: string[] = [];
  const leftAlone: string[] = [];
  const content = markerContent(nonce);
  for (const path of paths) {
    let entry: ReturnType<typeof lstatSync>;
    try {
      entry = lstatSync(path);
    } catch {
      outcomes.push({ path, landed: false });
      continue;
    }
    if (!realFolder(path)) {
      leftAlone.push(`${path}: its folder changed during the audit; left as it is`);
      outcomes.push({ path, landed: false });
      continue;
    }
    outcomes.push({ path, landed: entry.isFile() && head(path, content.length + 1) === content });
    if (entry.isDirectory()) {
      leftAlone.push(`${path} is a folder now, not the probe's file: left as it is`);
      continue;
    }
    unlinkSync(path);
    restored.push(`removed ${path}`);
  }
  return { outcomes, restored, leftAlone };
}
