// The permission profile as rules over paths, for checks that name the entry that let something through.
import { relative, sep } from "node:path";
import type { ConfigFacts, Fact } from "../src/core/model.js";
import { activeProfile, governingRule } from "../src/gather/profile-rules.js";

/** The entry of the effective profile that decides access to `path`, as written; a sentence when none does. */
export function ruleFor(path: string, config: Fact<ConfigFacts>): string {
  if (!config.ok) return "the profile's entries are unknown (config not read)";
  const { effective, home, project } = config.value;
  const profile = activeProfile(effective, { home, project, tmpdir: undefined });
  if (profile === null) return "no permission profile is in effect";
  return (
    governingRule(path, profile.rules)?.text ??
    `no entry of [permissions.${profile.name}.filesystem] covers it`
  );
}

/** The profile key that denies the folder a file under $HOME lives in (`~/.ssh`, `~/.config/gcloud`), else the file. */
export function denyKey(path: string, home: string): string {
  const inside = relative(home, path);
  if (inside.startsWith("..") || inside === "") return path;
  const parts = inside.split(sep);
  const folder = parts[0] === ".config" ? parts.slice(0, 2) : parts.slice(0, 1);
  return folder.length < parts.length ? `~/${folder.join("/")}` : `~/${inside}`;
}
