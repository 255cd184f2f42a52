// Names of the files the runner's probes write, derived from the run's nonce. The host computes the same paths
// from its own record (project, home, the folders it chose) and never from a report: what comes out of the
// sandbox is untrusted input (decisions §8a).

export const markerContent = (nonce: string): string => `codex-smoke ${nonce}\n`;

export const PROBE_MARKERS = {
  /** In the project root (the positive control; also what `git add` stages). */
  project: (nonce: string) => `codex-smoke-${nonce}.txt`,
  /** Directly in `.git`. */
  git: (nonce: string) => `codex-smoke-${nonce}`,
  /** In each read-only folder. */
  readonly: (nonce: string) => `codex-smoke-${nonce}`,
  /** In `$HOME` and in each outside directory. */
  hidden: (nonce: string) => `.codex-smoke-${nonce}`,
} as const;

/** The probe commit's identity and subject: how the host recognises the probe's own commit. */
export const PROBE_COMMIT = {
  name: "codex-smoke",
  email: "codex-smoke@invalid",
  subject: (nonce: string) => `codex-smoke probe ${nonce}`,
} as const;

/** A file a profile-rule probe creates (host-chosen folder), one per rule: `.codex-smoke-rule-<nonce>-<index>`. */
export const ruleMarker = (nonce: string, index: number): string => `.codex-smoke-rule-${nonce}-${index}`;
