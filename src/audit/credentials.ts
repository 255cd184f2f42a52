// The credentials the runner tries to open: `$CODEX_HOME/auth.json` (what Codex really uses) and, where it differs,
// the README's `~/.codex/auth.json`. A missing file would make "cannot open" a pass that tested nothing, so the host
// puts a temporary canary there (O_EXCL, mode 0600) and removes it only while it is still its own file: a
// `codex login` that raced it keeps its credentials. The canary is never read; it is identified by inode, size and
// modification time.
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { CredentialFacts } from "../core/model.js";
import type { CanaryIdentity } from "./record.js";

export interface CredentialPlan {
  credentials: CredentialFacts[];
  canaries: Array<{ path: string; identity: CanaryIdentity }>;
}

function identityOf(stat: { dev: number; ino: number; size: number; mtimeNs: bigint }): CanaryIdentity {
  return { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: String(stat.mtimeNs) };
}

/** Creates the canary only if nothing exists at `path`; null when the file appeared meanwhile. */
function placeCanary(path: string, nonce: string): CanaryIdentity | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch {
    return null;
  }
  try {
    // Valid auth.json for Codex (no key, no tokens), so a launch during the audit reads it as "not logged in".
    writeSync(fd, `{"OPENAI_API_KEY":null,"codex_smoke_canary":"${nonce}"}\n`);
    const stat = fstatSync(fd, { bigint: true });
    return identityOf({
      dev: Number(stat.dev),
      ino: Number(stat.ino),
      size: Number(stat.size),
      mtimeNs: stat.mtimeNs,
    });
  } finally {
    closeSync(fd);
  }
}

export function planCredentials(
  codexHome: string,
  home: string,
  nonce: string,
  placeCanaries: boolean,
): CredentialPlan {
  const paths = [{ label: "$CODEX_HOME/auth.json", path: join(codexHome, "auth.json") }];
  const readmePath = join(home, ".codex", "auth.json");
  if (readmePath !== paths[0]?.path) paths.push({ label: "~/.codex/auth.json", path: readmePath });
  const plan: CredentialPlan = { credentials: [], canaries: [] };
  for (const { label, path } of paths) {
    if (existsSync(path)) {
      plan.credentials.push({ label, path, onHost: "file" });
    } else if (!placeCanaries) {
      plan.credentials.push({
        label,
        path,
        onHost: "missing",
        note: "not logged in; `codex-smoke run` tests it with a temporary canary",
      });
    } else if (!existsSync(dirname(path))) {
      plan.credentials.push({ label, path, onHost: "missing", note: `${dirname(path)} does not exist` });
    } else {
      const identity = placeCanary(path, nonce);
      if (identity) plan.canaries.push({ path, identity });
      plan.credentials.push({ label, path, onHost: identity ? "canary" : "file" });
    }
  }
  return plan;
}

/** Removes each canary that is still the host's own file; a replaced one (a real login) is left alone. */
export function removeCanaries(canaries: CredentialPlan["canaries"]): string[] {
  const leftAlone: string[] = [];
  for (const { path, identity } of canaries) {
    let current: CanaryIdentity;
    try {
      const stat = statSync(path, { bigint: true });
      current = identityOf({
        dev: Number(stat.dev),
        ino: Number(stat.ino),
        size: Number(stat.size),
        mtimeNs: stat.mtimeNs,
      });
    } catch {
      continue; // gone already
    }
    if (JSON.stringify(current) === JSON.stringify(identity)) unlinkSync(path);
    else leftAlone.push(`${path} changed during the audit (a login?): left as it is`);
  }
  return leftAlone;
}
