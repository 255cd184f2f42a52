// Can the launcher (and what it sources or runs from the project) be changed from here? Each file the host chose is
// opened for append and closed without a byte written, and its replaceability is read without trying it: a file can
// be replaced when its folder is writable and it is not a mount point of its own (Codex's read rule for one file
// binds it read-only: `rm`/`mv` then fail with EBUSY). Nothing changes, even where the file is writable.
import { accessSync, closeSync, constants, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { attempt } from "./kit.js";
import type { LauncherFileProbe } from "./types.js";

/** mountinfo escapes space, tab, newline and backslash as octal (`\040`). */
const unescapeMountPath = (text: string) =>
  text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));

/** Mount points in `mountinfo`, with `ro` or `rw` (the last mount on a path is the one in effect). */
export function mountAccess(mountinfo: string): Map<string, "ro" | "rw"> {
  const mounts = new Map<string, "ro" | "rw">();
  for (const line of mountinfo.split("\n")) {
    const fields = line.split(" ");
    const point = fields[4];
    if (point === undefined || fields[5] === undefined) continue;
    mounts.set(unescapeMountPath(point), fields[5].split(",").includes("ro") ? "ro" : "rw");
  }
  return mounts;
}

/** This mount namespace's mount points; none when /proc is not there to say. */
function mountPoints(): Map<string, "ro" | "rw"> {
  try {
    return mountAccess(readFileSync("/proc/self/mountinfo", "utf8"));
  } catch {
    return new Map();
  }
}

export function probeLauncherFiles(paths: readonly string[]): LauncherFileProbe[] {
  const mounts = mountPoints();
  return paths.map((path) => ({
    path,
    // O_APPEND without O_CREAT: never creates, never truncates; a swapped-in symlink is refused (ELOOP).
    append: attempt(() =>
      closeSync(
        openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW | constants.O_NONBLOCK),
      ),
    ),
    folderWritable: attempt(() => accessSync(dirname(path), constants.W_OK)),
    mount: mounts.get(path) ?? null,
  }));
}
