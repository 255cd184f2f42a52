// Small helpers shared by several checks.
import { outcome } from "../src/core/define-check.js";
import type { CheckOutcome, ConfigFacts, ConfigFile, FactName } from "../src/core/model.js";
import type { ProbeResult } from "../src/runner/types.js";

export { isTable, lookup, tomlValue } from "../src/util/toml.js";

/** errno codes that mean "the sandbox refused" (never a missing identity or file). */
const BLOCKED_CODES: ReadonlySet<string | undefined> = new Set(["EROFS", "EACCES", "EPERM"]);

/** The operation failed because of a permission or read-only error (the runner maps tools' messages to errno). */
export function blockedByPermission(probe: ProbeResult): boolean {
  return !probe.ok && BLOCKED_CODES.has(probe.code);
}

/** `ok`, or the code with the first line of the detail: `EROFS`, `exit:128 (fatal: … Read-only file system)`. */
export function describeProbe(probe: ProbeResult | null | undefined): string {
  if (!probe) return "not run";
  const detail = probe.detail ? ` (${probe.detail.split("\n")[0]})` : "";
  if (probe.ok) return probe.code ? `ok ${probe.code}${detail}` : "ok";
  return `${probe.code ?? "failed"}${detail}`;
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

/** First non-empty lines of a multi-line message, trimmed, for `observed` and evidence. */
export function firstLines(text: string, count = 3): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .slice(0, count);
}

/** Codex refused to start on the config: a check that needs that launch could not test anything (decisions §10). */
export function refusedToStart(expected: string, refusal: string): CheckOutcome {
  return {
    ...outcome(
      "error",
      expected,
      `could not test: Codex refused to start: ${firstLines(refusal, 1)[0]}`,
      firstLines(refusal, 4),
    ),
    remediation:
      "Make Codex start on this setup: correct what its error names (evidence); running the launcher by hand shows the same error.",
  };
}

/** The launches a broken config (or a host that cannot sandbox) makes Codex refuse: each one reads the same files. */
export const CONFIG_LAUNCHES: FactName[] = ["exec", "tui", "mcpGet", "mcpRuntime"];
