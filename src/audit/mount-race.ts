// Codex mounts each `:workspace_roots` subpath of the profile in every workspace root (the project and each
// `--add-dir`), and first makes the ones a root lacks. Two sandboxes starting at once in such a root race on them:
// one mounts what the other is still making, and Codex refuses to start (`bwrap: Can't find source path …`,
// `… Unable to find … in mount table`). Measured on 0.169.0 with an `--add-dir` folder lacking `.codex`,
// `www.azinstitute4autism.com` and `codex-auto`: every check that needs a launch `error` with all launches at
// once, none with `--concurrency 1`. A user's single start never meets this, so the audit must not either.
import { lstatSync } from "node:fs";
import type { PermissionProfile } from "../gather/profile-rules.js";

/** A workspace-root subpath entry, not the root itself (`"."`). */
const WORKSPACE_SUBPATH = /^":(?:workspace|project)_roots" "(?!\.")/;

const exists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/** The workspace-root subpaths of the profile that some workspace root lacks: Codex makes them at each start. */
export function racingMountPoints(profile: PermissionProfile | null): string[] {
  if (!profile) return [];
  return profile.rules
    .filter((rule) => rule.kind === "path" && WORKSPACE_SUBPATH.test(rule.text))
    .flatMap((rule) => rule.paths)
    .filter((path) => !exists(path));
}
