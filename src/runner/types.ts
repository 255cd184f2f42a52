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

export type RunnerPart = "local" | "net" | "domains";
/** The parts every run has, one command each; `domains` runs once per domain probe (`domains <index>`), when any. */
export const RUNNER_PARTS: readonly RunnerPart[] = ["local", "net"];
export const REPORT_PARTS: readonly RunnerPart[] = [...RUNNER_PARTS, "domains"];

/** What the runner does for one filesystem entry of the profile (paths chosen by the host). */
export interface RuleProbe {
  /** Existing files to open for reading (never read). */
  read: string[];
  /** An existing file to open for append and close without writing: writable or not, nothing changes. */
  append: string | null;
  /** A file to create (never one that exists), then open for reading: a write rule must let it land on the host. */
  create: string | null;
}

/** One request through Codex's managed proxy to test a domain rule of the profile. */
interface DomainProbe {
  host: string;
  url: string;
}

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
  /** Credential files on the host (names chosen by the host) to open, never read (decisions §26). */
  credentialFiles?: string[];
  /** One probe per filesystem entry of the profile (fs.profile_rules), aligned with the host's plan. */
  rules?: RuleProbe[];
  /** Domain-rule probes, each run as a command of its own: a blocked request makes Codex kill its command. */
  domains?: DomainProbe[];
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
  /** `CODEX_PERMISSION_PROFILE` as Codex set it for the command: the profile really in force; null when unset. */
  permissionProfile?: string | null;
  credentialFiles?: Array<{ path: string; open: ProbeResult }>;
  rules?: RuleOutcome[];
}

/** What one profile-rule probe did, aligned with the input's `rules`. */
export interface RuleOutcome {
  read: Array<{ path: string; open: ProbeResult }>;
  append: { path: string; open: ProbeResult } | null;
  /** `readBack`: opening the created file for reading (a file a deny glob matches must not open). */
  create: { path: string; write: ProbeResult; readBack: ProbeResult } | null;
}

/** The domain probes that finished; a probe whose request the proxy blocked usually has none (Codex killed it). */
export interface DomainsReport {
  schema: 2;
  tool: "codex-smoke-runner";
  part: "domains";
  nonce: string;
  startedAt: string;
  durationMs: number;
  results: DomainResult[];
}

export interface DomainResult {
  index: number;
  host: string;
  /** `CODEX_NETWORK_PROXY_ACTIVE=1`: without Codex's proxy no domain rule applies, and no request is sent. */
  proxyActive: boolean;
  attempt: HttpAttempt | null;
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
