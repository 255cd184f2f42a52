// Edits of the healthy facts that the checks' fix tables share (observed-fixes, fs-fixes): the effective profile's
// filesystem table, its workspace table, and auth.json opened inside.
import type { FactValues } from "../../src/core/model.js";

/** The effective permission profile's filesystem table (the checks read the effective config). */
export function rules(f: FactValues): Record<string, unknown> {
  const permissions = f.config.effective.permissions as Record<
    string,
    { filesystem: Record<string, unknown> }
  >;
  return (permissions["azi4a2-autonomous"] as { filesystem: Record<string, unknown> }).filesystem;
}

export const roots = (f: FactValues) => rules(f)[":workspace_roots"] as Record<string, unknown>;

export const authOpened = (f: FactValues) => {
  for (const entry of f.runner.authJson) entry.open = { ok: true };
};
