// Shape of the report the in-sandbox runner writes. Type-only: the runner file itself imports nothing.

/** One attempted operation inside the sandbox. `ok` means the operation succeeded. */
export interface ProbeResult {
  ok: boolean;
  /** errno code (EACCES, EROFS, ENOENT, …), a process exit code as `exit:N`, or an HTTP status as `http:N`. */
  code?: string;
  /** Short, secret-free detail (first line of stderr, error message). */
  detail?: string;
}

export interface RunnerInput {
  nonce: string;
  /** Absolute path of the report file (inside the project). */
  reportPath: string;
  project: string;
  home: string;
  /** The auth.json the sandbox must deny, e.g. `$HOME/.codex/auth.json`. */
  authJsonPath: string;
  /** Project-relative paths that must be read-only. */
  readonlyPaths: string[];
  /** Directories outside the project to try to write a marker into. */
  outsideWriteDirs: string[];
  /** Files outside the roots that must not be readable (host-made canaries). */
  outsideReadFiles: string[];
  /** Full URL retrieved with curl and fetch, or null when unknown. */
  registryUrl: string | null;
  /** A loopback HTTPS URL served with an untrusted certificate (negative control), or null. */
  untrustedTlsUrl: string | null;
  /** Per-probe network timeout in ms (DNS included). */
  networkTimeoutMs: number;
}

export interface Attestation {
  /** `Seccomp:` of /proc/self/status: "2" means a filter is active. */
  seccomp: string | null;
  noNewPrivs: string | null;
  capEff: string | null;
  /** First word of /proc/1/cmdline (bwrap's init is `codex-linux-sandbox` or bwrap). */
  pid1: string | null;
  /** True when every attestation signal says "confined". */
  sandboxed: boolean;
}

export interface HttpProbe extends ProbeResult {
  /** curl exit code or null for fetch. */
  exitCode?: number | null;
  httpStatus?: number | null;
  /** curl's %{ssl_verify_result}: 0 means the certificate verified. */
  sslVerifyResult?: number | null;
}

export interface RunnerReport {
  schema: 1;
  tool: "codex-smoke-runner";
  nonce: string;
  startedAt: string;
  durationMs: number;
  node: string;
  uid: number;
  cwd: string;
  attestation: Attestation;
  authJson: { path: string; exists: boolean; open: ProbeResult };
  git: {
    isRepo: boolean;
    writeDir: ProbeResult;
    add: ProbeResult;
    commit: ProbeResult;
    status: ProbeResult;
    diff: ProbeResult;
    log: ProbeResult;
  };
  project: { write: ProbeResult; readBack: ProbeResult; remove: ProbeResult; marker: string };
  readonlyPaths: Array<{ path: string; existed: boolean; write: ProbeResult; marker: string }>;
  home: { path: string; write: ProbeResult; readBack: ProbeResult; marker: string };
  outside: {
    writes: Array<{ dir: string; write: ProbeResult; marker: string }>;
    reads: Array<{ path: string; open: ProbeResult }>;
  };
  network: { registryUrl: string | null; curl: HttpProbe | null; fetch: HttpProbe | null };
  tls: {
    url: string | null;
    curl: HttpProbe | null;
    fetch: HttpProbe | null;
    /** Variables that switch TLS verification off, with their values (these are not secrets). */
    insecureSwitches: Record<string, string>;
  };
  env: { secretNames: string[] };
}
