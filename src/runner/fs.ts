// Filesystem probes: open (never read) the credentials and the host's canaries, write into the project, the
// read-only folders, $HOME and directories outside the project. What persisted is for the host to see.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { attempt, failed, SKIPPED } from "./kit.js";
import { markerContent, PROBE_MARKERS } from "./markers.js";
import type { LocalReport, ProbeResult, RunnerInput } from "./types.js";

/** Opens and closes at once: proves readability without reading a byte. */
function openOnly(path: string): ProbeResult {
  return attempt(() => closeSync(openSync(path, "r")));
}

function readBack(path: string, nonce: string): ProbeResult {
  try {
    const same = readFileSync(path, "utf8") === markerContent(nonce);
    return same ? { ok: true } : { ok: false, code: "MISMATCH", detail: "read back different content" };
  } catch (error) {
    return failed(error);
  }
}

export function probeAuthJson(input: RunnerInput): LocalReport["authJson"] {
  return input.authJson.map(({ label, path }) => ({ label, path, open: openOnly(path) }));
}

/** Write, read back; the marker stays until `removeProjectMarker` (git add stages it in between). */
export function writeProjectMarker(input: RunnerInput): { write: ProbeResult; readBack: ProbeResult } {
  const marker = join(input.project, PROBE_MARKERS.project(input.nonce));
  const write = attempt(() => writeFileSync(marker, markerContent(input.nonce)));
  return { write, readBack: write.ok ? readBack(marker, input.nonce) : SKIPPED };
}

export function removeProjectMarker(input: RunnerInput, written: boolean): ProbeResult {
  if (!written) return SKIPPED;
  return attempt(() => unlinkSync(join(input.project, PROBE_MARKERS.project(input.nonce))));
}

export function probeReadonlyPaths(input: RunnerInput): LocalReport["readonlyPaths"] {
  return input.readonlyPaths.map((relative) => {
    const dir = join(input.project, relative);
    const marker = join(dir, PROBE_MARKERS.readonly(input.nonce));
    const existed = existsSync(dir);
    // Non-recursive: a recursive mkdir on a read-only tree reports ENOENT instead of EROFS.
    const write = attempt(() => {
      if (!existed) mkdirSync(dir);
      writeFileSync(marker, markerContent(input.nonce));
    });
    return { path: relative, existed, write };
  });
}

export function probeHome(input: RunnerInput): LocalReport["home"] {
  const marker = join(input.home, PROBE_MARKERS.hidden(input.nonce));
  let write = attempt(() => writeFileSync(marker, markerContent(input.nonce)));
  // Under a :minimal profile $HOME exists only if something under it is bound; the tmpfs root lets us make it.
  if (write.code === "ENOENT") {
    write = attempt(() => {
      mkdirSync(input.home, { recursive: true });
      writeFileSync(marker, markerContent(input.nonce));
    });
  }
  return { write, readBack: write.ok ? readBack(marker, input.nonce) : SKIPPED };
}

export function probeOutside(input: RunnerInput): LocalReport["outside"] {
  return {
    writes: input.outsideWriteDirs.map((dir) => ({
      dir,
      write: attempt(() =>
        writeFileSync(join(dir, PROBE_MARKERS.hidden(input.nonce)), markerContent(input.nonce)),
      ),
    })),
    reads: input.outsideReadFiles.map((path) => ({ path, open: openOnly(path) })),
  };
}
