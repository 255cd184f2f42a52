// Small helpers shared by several checks.
import { outcome } from "../src/define-check.js";
import type { CheckOutcome, ConfigFacts, ConfigFile } from "../src/model.js";
import type { HttpProbe, ProbeResult } from "../src/runner/report-types.js";

/** errno codes that mean "the sandbox refused" (never a missing identity or file). */
export const BLOCKED_CODES = new Set(["EROFS", "EACCES", "EPERM"]);
const BLOCKED_TEXT =
  /Read-only file system|Permission denied|Operation not permitted|\b(EROFS|EACCES|EPERM)\b/;

/** The operation failed because of a permission or read-only error, by errno or in a tool's message. */
export function blockedByPermission(probe: ProbeResult): boolean {
  if (probe.ok) return false;
  return BLOCKED_CODES.has(probe.code ?? "") || BLOCKED_TEXT.test(probe.detail ?? "");
}

/** `ok`, or the code with the first line of the detail: `EROFS`, `exit:128 (fatal: … Read-only file system)`. */
export function describeProbe(probe: ProbeResult | null | undefined): string {
  if (!probe) return "not run";
  const detail = probe.detail ? ` (${probe.detail.split("\n")[0]})` : "";
  if (probe.ok) return probe.code ? `ok ${probe.code}${detail}` : "ok";
  return `${probe.code ?? "failed"}${detail}`;
}

export function describeHttp(name: string, probe: HttpProbe | null): string {
  if (!probe) return `${name}: not run`;
  const parts = [
    probe.exitCode === undefined || probe.exitCode === null ? null : `exit ${probe.exitCode}`,
    probe.httpStatus === undefined || probe.httpStatus === null ? null : `http ${probe.httpStatus}`,
    probe.sslVerifyResult === undefined || probe.sslVerifyResult === null
      ? null
      : `ssl_verify_result ${probe.sslVerifyResult}`,
    probe.ok || probe.code === `exit:${probe.exitCode}` ? null : (probe.code ?? "failed"),
    probe.ok || !probe.detail ? null : probe.detail.split("\n")[0],
  ].filter((part) => part !== null);
  return `${name}: ${probe.ok ? "ok" : "failed"}${parts.length > 0 ? `, ${parts.join(", ")}` : ""}`;
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The value at a key path of a parsed TOML document, or undefined. */
export function lookup(data: unknown, path: readonly string[]): unknown {
  let current = data;
  for (const key of path) {
    if (!isTable(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** TOML-ish rendering of a scalar for messages: `"never"`, `300`, `true`. */
export function tomlValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

export const fileLineColumn = (file: ConfigFile): string | null =>
  file.parseError
    ? `${file.path}:${file.parseError.line}:${file.parseError.column}: ${file.parseError.message}`
    : null;

/** Where an effective setting comes from, highest precedence first: launcher `-c`, profile file, config.toml. */
export function settingSource(config: ConfigFacts, key: string): { value: unknown; source: string } | null {
  const override = [...config.launcherOverrides].reverse().find((o) => o.key === key);
  if (override) return { value: override.value, source: `launcher -c ${override.raw}` };
  for (const file of [config.profile, config.base]) {
    const value = file.data?.[key];
    if (value !== undefined) return { value, source: file.path };
  }
  return null;
}

/** The parenthesis of `/status`'s Permissions value: `Profile x (workspace with network access, never)`. */
export function permissionsParenthesis(permissions: string): string | null {
  return /\(([^()]*)\)\s*$/.exec(permissions)?.[1]?.trim() ?? null;
}

/** First non-empty lines of a multi-line message, for `observed` and evidence. */
export function firstLines(text: string, count = 3): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .slice(0, count);
}

/** Codex refused to start on the config: a check that needs that launch could not test anything (decisions §10). */
export function refusedToStart(expected: string, refusal: string): CheckOutcome {
  return outcome(
    "error",
    expected,
    `could not test: Codex refused to start: ${firstLines(refusal, 1)[0]}`,
    firstLines(refusal, 4),
  );
}
