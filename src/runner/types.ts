// The runner's input and the facts it reports. Type-only: the runner imports nothing at run time but Node
// builtins, and decides nothing (issue "one engine"): every verdict is a check in checks/ over these facts.

import type { HttpAttempt, NetEnvironment, TlsControl } from "./net-types.js";

/** One attempted operation inside the sandbox. `ok` means the operation succeeded. */
export interface ProbeResult {
  ok: boolean;
  /** errno code (EACCES, EROFS, ENOENT, …), a process exit code as `exit:N`, or an HTTP status as `http:N`. */
  code?: string;
  /** Short, secret-free detail (first line of stderr, error message). */
  detail?: string;
}

/** `/proc/self/ns/<kind>` link targets, e.g. `user:[4026531837]`; null when unreadable. */
export interface Namespaces {
  user: string | null;
  mnt: string | null;
  pid: string | null;
  net: string | null;
}

export type RunnerPart = "local" | "net";
export const RUNNER_PARTS: readonly RunnerPart[] = ["local", "net"];

export interface RunnerInput {
  schema: 2;
  nonce: string;
  project: string;
  home: string;
  /** Where each part writes its report (absolute, inside the project's staging directory). */
  reports: Record<RunnerPart, string>;
  /** The host's own namespaces, for the attestation; null when unknown (a probe not staged by the host). */
  hostNamespaces: Namespaces | null;
  /** Credential files to try to open (never read): Codex's `$CODEX_HOME/auth.json`, and the README's path. */
  authJson: Array<{ label: string; path: string }>;
  /** Whether the project is a git repository, as the host sees it: inside, Codex mounts a placeholder `.git` in a
   * project without one, so the runner cannot tell. */
  isRepo: boolean;
  /** Project-relative folders that must be read-only. */
  readonlyPaths: string[];
  /** Directories outside the project to try to write a marker into. */
  outsideWriteDirs: string[];
  /** Files outside the roots that must not be readable (host-made canaries). */
  outsideReadFiles: string[];
  /** Full URL retrieved with curl and fetch, or null when unknown. */
  registryUrl: string | null;
  /** A throw-away self-signed certificate the runner serves inside the sandbox (TLS negative control). */
  tlsControl: { certPem: string; keyPem: string } | null;
  /** Per-probe network timeout in ms (DNS included). */
  networkTimeoutMs: number;
  /** The launcher and the project files it sources or runs, as the host resolved them: probed, never written. */
  launcherFiles: string[];
}

/** Whether a file the launcher depends on can be changed from inside (launcher.integrity). */
export interface LauncherFileProbe {
  path: string;
  /** Opened for append and closed, nothing written: ok means the file is writable here. */
  append: ProbeResult;
  /** `access(folder, W_OK)`: ok means the folder's entries can be replaced (unless the file is a mount point). */
  folderWritable: ProbeResult;
  /** The file is a mount point of its own (Codex binds a file under a read rule): `ro`/`rw`; null when it is not. */
  mount: "ro" | "rw" | null;
}

export interface Attestation {
  namespaces: Namespaces;
  /** Copied from the input: what the namespaces are compared with. */
  hostNamespaces: Namespaces | null;
  /** `/proc/1/cmdline`'s first word: Codex's sandbox init is `codex-linux-sandbox` (bwrap's argv0). */
  pid1: string | null;
  /** `CapEff:` of /proc/self/status (hex). */
  capEff: string | null;
  noNewPrivs: string | null;
  /** `Seccomp:` of /proc/self/status: "2" means a filter is active (evidence only: 0.150 installs none). */
  seccomp: string | null;
  /** Type and options of the mount at `/`, e.g. `tmpfs rw` (the :minimal in-memory root) or `ext4 ro`. */
  rootMount: string | null;
}

export interface EnvironmentFacts {
  /** Names (never values) of variables that hold secrets by name or by a known token prefix. */
  secretNames: string[];
  /** Variables (and ~/.curlrc) that switch TLS verification off, with their values (these are not secrets). */
  insecureSwitches: Record<string, string>;
}

export interface LocalReport {
  schema: 2;
  tool: "codex-smoke-runner";
  part: "local";
  nonce: string;
  startedAt: string;
  durationMs: number;
  node: string;
  uid: number;
  cwd: string;
  attestation: Attestation;
  authJson: Array<{ label: string; path: string; open: ProbeResult }>;
  git: {
    isRepo: boolean;
    writeDir: ProbeResult;
    add: ProbeResult;
    commit: ProbeResult;
    status: ProbeResult;
    diff: ProbeResult;
    log: ProbeResult;
  };
  project: { write: ProbeResult; readBack: ProbeResult; remove: ProbeResult };
  readonlyPaths: Array<{ path: string; existed: boolean; write: ProbeResult }>;
  home: { write: ProbeResult; readBack: ProbeResult };
  outside: {
    writes: Array<{ dir: string; write: ProbeResult }>;
    reads: Array<{ path: string; open: ProbeResult }>;
  };
  env: EnvironmentFacts;
  launcherFiles: LauncherFileProbe[];
}

export interface NetReport {
  schema: 2;
  tool: "codex-smoke-runner";
  part: "net";
  nonce: string;
  startedAt: string;
  durationMs: number;
  /** False while probes are still running: the report is rewritten after each one, so a probe Codex killed
   * costs only itself. */
  complete: boolean;
  /** Proxy and CA variables, Codex's proxy flag, whether sockets may be opened at all. */
  environment: NetEnvironment | null;
  /** The untrusted certificate served inside the sandbox and what each proxy-bypassing client did with it. */
  tlsControl: TlsControl | null;
  /** The registry retrievals, in the order they ran: curl (the README's claim), the proxy's answer, fetch. */
  registry: HttpAttempt[];
}
