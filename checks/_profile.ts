// The permission profile as rules over paths, for checks that name the entry that let something through.
import { relative, sep } from "node:path";
import type { ConfigFacts, Fact } from "../src/core/model.js";
import { activeProfile, governingRule } from "../src/gather/profile-rules.js";

/** Why the sandbox let `path` through: `allowed by <the entry that decides it>`, or why no entry explains it. */
export function allowedBy(path: string, config: Fact<ConfigFacts>): string {
  if (!config.ok) return "the profile's entries are unknown (config not read)";
  const { effective, home, workspaceRoots } = config.value;
  const profile = activeProfile(effective, { home, workspaceRoots, tmpdir: undefined });
  if (profile === null) return "no permission profile is in effect";
  const rule = governingRule(path, profile.rules);
  return rule
    ? `allowed by ${rule.text}`
    : `no entry of [permissions.${profile.name}.filesystem] covers it: the sandbox in force is not the profile's (config.layers)`;
}

/** The profile key that denies the folder a file under $HOME lives in (`~/.ssh`, `~/.config/gcloud`), else the file. */
export function denyKey(path: string, home: string): string {
  const inside = relative(home, path);
  // Outside $HOME (or $HOME itself): the path as it is. A name that only begins with ".." (`~/..cache`) is inside.
  if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`)) return path;
  const parts = inside.split(sep);
  const folder = parts[0] === ".config" ? parts.slice(0, 2) : parts.slice(0, 1);
  return `~/${folder.join("/")}`;
}
