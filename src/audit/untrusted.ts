// Reading what came out of the sandbox: a report file the agent could have written, replaced by a symlink or made
// huge or deeply nested. It is opened without following symlinks, size- and depth-capped, parsed, checked field by
// field, and accepted only with the nonce this host issued. A rejection says which field or limit, never the
// content.
import { closeSync, constants, openSync } from "node:fs";
import { parseBoundedJson } from "../core/bounded-json.js";
import { FileLimitError, readCapped } from "../core/safe-dir.js";
import type { DomainsReport, LocalReport, NetReport } from "../runner/types.js";

type ReportPart = "local" | "net" | "domains";
export type ReportOf<P extends ReportPart> = P extends "local"
  ? LocalReport
  : P extends "net"
    ? NetReport
    : DomainsReport;

/** The most a runner report may weigh: a real one is a few kilobytes. */
export const MAX_REPORT_BYTES = 2 * 1024 * 1024;
/** The deepest nesting a runner report may have: a real one is 4 levels deep. */
const MAX_REPORT_DEPTH = 32;

export class UntrustedInputError extends Error {
  override name = "UntrustedInputError";
}

/** The bytes of a regular file at `path` (no symlink, no FIFO or device, at most MAX_REPORT_BYTES). */
export function readRegularFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    // Every error openSync throws carries a code (errno, or Node's own for an invalid path).
    throw new UntrustedInputError(`${path}: cannot open (${(error as NodeJS.ErrnoException).code})`);
  }
  try {
    return readCapped(fd, path, MAX_REPORT_BYTES).toString("utf8");
  } catch (error) {
    if (error instanceof FileLimitError) throw new UntrustedInputError(error.message);
    throw error;
  } finally {
    closeSync(fd);
  }
}

type Check = (value: unknown, at: string) => void;

const fail = (at: string, what: string): never => {
  throw new UntrustedInputError(`${at}: ${what}`);
};
const str: Check = (v, at) => (typeof v === "string" ? undefined : fail(at, "expected a string"));
const num: Check = (v, at) => (typeof v === "number" ? undefined : fail(at, "expected a number"));
const bool: Check = (v, at) => (typeof v === "boolean" ? undefined : fail(at, "expected true or false"));
const nullable =
  (inner: Check): Check =>
  (v, at) =>
    v === null ? undefined : inner(v, at);
const optional =
  (inner: Check): Check =>
  (v, at) =>
    v === undefined ? undefined : inner(v, at);
const array =
  (item: Check): Check =>
  (v, at) => {
    if (!Array.isArray(v)) fail(at, "expected an array");
    for (const [i, entry] of (v as unknown[]).entries()) item(entry, `${at}[${i}]`);
  };
const object =
  (fields: Record<string, Check>): Check =>
  (v, at) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail(at, "expected an object");
    for (const [key, check] of Object.entries(fields))
      check((v as Record<string, unknown>)[key], `${at}.${key}`);
  };
const record =
  (value: Check): Check =>
  (v, at) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail(at, "expected an object");
    for (const [key, entry] of Object.entries(v as object)) value(entry, `${at}.${key}`);
  };

const probe: Check = object({ ok: bool, code: optional(str), detail: optional(str) });
const namespaces = object({
  user: nullable(str),
  mnt: nullable(str),
  pid: nullable(str),
  net: nullable(str),
});
const attempt: Check = object({
  client: str,
  url: str,
  mayUseProxy: bool,
  proxy: nullable(str),
  httpStatus: nullable(num),
  connectStatus: nullable(num),
  curlExit: nullable(num),
  errorCode: nullable(str),
  message: nullable(str),
  proxyError: nullable(str),
  errorBody: nullable(str),
  sslVerifyResult: nullable(num),
  timedOut: bool,
});

const LOCAL: Check = object({
  startedAt: str,
  durationMs: num,
  node: str,
  uid: num,
  cwd: str,
  attestation: object({
    namespaces,
    hostNamespaces: nullable(namespaces),
    pid1: nullable(str),
    capEff: nullable(str),
    noNewPrivs: nullable(str),
    seccomp: nullable(str),
    rootMount: nullable(str),
  }),
  authJson: array(object({ label: str, path: str, open: probe })),
  git: object({
    isRepo: bool,
    writeDir: probe,
    add: probe,
    commit: probe,
    status: probe,
    diff: probe,
    log: probe,
  }),
  project: object({ write: probe, readBack: probe, remove: probe }),
  readonlyPaths: array(object({ path: str, existed: bool, write: probe })),
  home: object({ write: probe, readBack: probe }),
  outside: object({
    writes: array(object({ dir: str, write: probe })),
    reads: array(object({ path: str, open: probe })),
  }),
  env: object({ secretNames: array(str), insecureSwitches: record(str) }),
  launcherFiles: array(
    object({
      path: str,
      append: probe,
      folderWritable: probe,
      mount: nullable((v, at) => (v === "ro" || v === "rw" ? undefined : fail(at, 'expected "ro" or "rw"'))),
    }),
  ),
  permissionProfile: optional(nullable(str)),
  credentialFiles: optional(array(object({ path: str, open: probe }))),
  rules: optional(
    array(
      object({
        read: array(object({ path: str, open: probe })),
        append: nullable(object({ path: str, open: probe })),
        create: nullable(object({ path: str, write: probe, readBack: probe })),
      }),
    ),
  ),
});

const DOMAINS: Check = object({
  results: array(object({ index: num, host: str, proxyActive: bool, attempt: nullable(attempt) })),
});

const NET: Check = object({
  complete: bool,
  environment: nullable(
    object({
      proxyVariables: record(str),
      caVariables: record(str),
      codexProxyActive: bool,
      allowLocalBinding: nullable(bool),
      inetSocket: str,
    }),
  ),
  tlsControl: nullable(object({ url: nullable(str), listenError: nullable(str), attempts: array(attempt) })),
  registry: array(attempt),
});

/** Parses `text` as the `part` report of the run with `nonce`; throws an UntrustedInputError naming the field. */
export function parseRunnerReport<P extends ReportPart>(
  text: string,
  where: string,
  part: P,
  nonce: string,
): ReportOf<P> {
  if (text.length > MAX_REPORT_BYTES) fail(where, `larger than ${MAX_REPORT_BYTES} bytes`);
  let parsed: { value: unknown; tooDeep: boolean };
  try {
    parsed = parseBoundedJson(text, MAX_REPORT_DEPTH);
  } catch {
    throw new UntrustedInputError(`${where}: not JSON`);
  }
  if (parsed.tooDeep) fail(where, `nested deeper than ${MAX_REPORT_DEPTH} levels`);
  const { value } = parsed;
  object({ schema: num, tool: str, part: str, nonce: str })(value, where);
  const header = value as { schema: number; tool: string; part: string; nonce: string };
  if (header.tool !== "codex-smoke-runner" || header.schema !== 2)
    fail(where, "not a codex-smoke runner report");
  if (header.part !== part) fail(`${where}.part`, `expected "${part}"`);
  if (header.nonce !== nonce) fail(`${where}.nonce`, "not the nonce this host issued");
  ({ local: LOCAL, net: NET, domains: DOMAINS })[part](value, where);
  return value as ReportOf<P>;
}
