// The filesystem entries of the effective permission profile as rules over absolute paths (pure): which paths each
// entry covers, and which entry governs a given path. The host picks its sample paths with it, and the checks name
// the rule that allowed what the sandbox let through. Facts behind it: codex-sandbox-lab §2 (keys, special paths,
// `~/` expanded with $HOME, workspace-root subpaths, deny globs) and the built-ins `extends` adds (§2.3).
import { isAbsolute, join, normalize } from "node:path";
import { isTable, lookup, tomlValue } from "../util/toml.js";

type RuleAccess = "read" | "write" | "none";

export interface ProfileRule {
  /** The entry as written, e.g. `"~/.ssh" = "read"` or `":workspace_roots" "**\/*.env" = "none"`. */
  text: string;
  access: RuleAccess;
  /** `path` (absolute, `~/` or a workspace-root subpath), `special` (`:minimal`, …), `glob`, or `unknown` (a
   * special path this Codex does not know: it grants nothing). */
  kind: "path" | "special" | "glob" | "unknown";
  /** The absolute paths the entry covers; for a glob, its absolute pattern. */
  paths: string[];
}

export interface PermissionProfile {
  name: string;
  rules: ProfileRule[];
  /** `glob_scan_max_depth`: how deep Codex expands `**` deny globs on Linux; null when not set. */
  globScanMaxDepth: number | null;
}

export interface RuleContext {
  home: string;
  /** The project, then each `--add-dir` folder: Codex applies the workspace-root entries in every one. */
  workspaceRoots: readonly string[];
  /** `$TMPDIR` of the launches (`:tmpdir`); undefined when unset. */
  tmpdir: string | undefined;
}

const ACCESS: Record<string, RuleAccess> = { read: "read", write: "write", none: "none", deny: "none" };
const WORKSPACE_ROOTS = new Set([":workspace_roots", ":project_roots"]);
/** What the built-in profiles grant (codex-sandbox-lab §2.3): what `extends` adds under the profile's own entries. */
const BUILT_IN: Record<string, Array<[string, RuleAccess]>> = {
  ":workspace": [
    [":root", "read"],
    [":workspace_roots", "write"],
    [":slash_tmp", "write"],
    [":tmpdir", "write"],
  ],
  ":read-only": [[":root", "read"]],
};

const isGlob = (key: string): boolean => /[*?[]/.test(key);

/** The directories a special path stands for on Linux; null for one Codex does not know. */
function specialPaths(key: string, ctx: RuleContext): string[] | null {
  switch (key) {
    case ":minimal":
      return ["/bin", "/etc", "/lib", "/lib64", "/sbin", "/usr"];
    case ":root":
      return ["/"];
    case ":slash_tmp":
      return ["/tmp"];
    case ":tmpdir":
      return ctx.tmpdir ? [ctx.tmpdir] : [];
    default:
      return WORKSPACE_ROOTS.has(key) ? [...ctx.workspaceRoots] : null;
  }
}

function absoluteOf(key: string, ctx: RuleContext): string | null {
  if (key.startsWith("~/")) return normalize(join(ctx.home, key.slice(2)));
  return isAbsolute(key) ? normalize(key) : null;
}

function topLevelRule(key: string, access: RuleAccess, ctx: RuleContext, prefix = ""): ProfileRule | null {
  const text = `${prefix}${JSON.stringify(key)} = ${tomlValue(access)}`;
  if (key.startsWith(":")) {
    const paths = specialPaths(key, ctx);
    return { text, access, kind: paths === null ? "unknown" : "special", paths: paths ?? [] };
  }
  const absolute = absoluteOf(key, ctx);
  if (absolute === null) return null;
  return { text, access, kind: isGlob(key) ? "glob" : "path", paths: [absolute] };
}

/** A workspace-root entry: the subpath in each root (the project's first). A glob stays one pattern, the
 * project's: deny globs are probed there. */
function workspaceRule(
  table: string,
  sub: string,
  access: RuleAccess,
  roots: readonly string[],
): ProfileRule {
  const text = `${JSON.stringify(table)} ${JSON.stringify(sub)} = ${tomlValue(access)}`;
  const paths = roots.map((root) => (sub === "." ? root : join(root, sub)));
  return isGlob(sub)
    ? { text, access, kind: "glob", paths: paths.slice(0, 1) }
    : { text, access, kind: "path", paths };
}

/** The rules of `[permissions.<name>.filesystem]`, workspace-root tables expanded; invalid entries are left out
 * (Codex refuses to start on them, which other checks report). */
function filesystemRules(filesystem: Record<string, unknown>, ctx: RuleContext): ProfileRule[] {
  const rules: ProfileRule[] = [];
  for (const [key, value] of Object.entries(filesystem)) {
    if (WORKSPACE_ROOTS.has(key) && isTable(value)) {
      for (const [sub, access] of Object.entries(value)) {
        const known = typeof access === "string" ? ACCESS[access] : undefined;
        if (known) rules.push(workspaceRule(key, sub, known, ctx.workspaceRoots));
      }
      continue;
    }
    const access = typeof value === "string" ? ACCESS[value] : undefined;
    const rule = access ? topLevelRule(key, access, ctx) : null;
    if (rule) rules.push(rule);
  }
  return rules;
}

/** The effective custom permission profile, or null when `default_permissions` names none (a built-in or nothing). */
export function activeProfile(
  effective: Record<string, unknown>,
  ctx: RuleContext,
): PermissionProfile | null {
  const name = effective.default_permissions;
  if (typeof name !== "string" || name.startsWith(":")) return null;
  const profile = lookup(effective, ["permissions", name]);
  if (!isTable(profile)) return null;
  const filesystem = isTable(profile.filesystem) ? profile.filesystem : {};
  const rules = filesystemRules(filesystem, ctx);
  const inherited = typeof profile.extends === "string" ? (BUILT_IN[profile.extends] ?? []) : [];
  for (const [key, access] of inherited) {
    // The profile's own entry for the same key replaces the built-in's.
    if (filesystem[key] !== undefined) continue;
    const rule = topLevelRule(key, access, ctx, `(extends ${JSON.stringify(profile.extends)}) `);
    if (rule) rules.push(rule);
  }
  const depth = filesystem.glob_scan_max_depth;
  return { name, rules, globScanMaxDepth: typeof depth === "number" ? depth : null };
}

/** A glob as a regular expression over absolute paths: `**` spans folders, `*` and `?` stay within one. */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (pattern.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 2;
    } else if (pattern.startsWith("**", i)) {
      source += ".*";
      i += 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else if (char === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) source += "\\[";
      else {
        source += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replaceAll("\\", "\\\\")}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

const covers = (dir: string, path: string): boolean =>
  dir === "/" || path === dir || path.startsWith(`${dir}/`);

const RESTRICTIVENESS: Record<RuleAccess, number> = { none: 2, read: 1, write: 0 };

/**
 * The entry that decides access to `path`: a deny glob that matches it, else the most specific path or special
 * entry that covers it (on a tie, the more restrictive). Null when no entry covers it.
 */
export function governingRule(path: string, rules: readonly ProfileRule[]): ProfileRule | null {
  const glob = rules.find(
    (rule) => rule.kind === "glob" && rule.access === "none" && globToRegExp(rule.paths[0] ?? "").test(path),
  );
  if (glob) return glob;
  let best: { rule: ProfileRule; length: number } | null = null;
  for (const rule of rules) {
    if (rule.kind !== "path" && rule.kind !== "special") continue;
    for (const dir of rule.paths) {
      if (!covers(dir, path)) continue;
      const length = dir === "/" ? 0 : dir.length;
      const better =
        best === null ||
        length > best.length ||
        (length === best.length && RESTRICTIVENESS[rule.access] > RESTRICTIVENESS[best.rule.access]);
      if (better) best = { rule, length };
    }
  }
  return best?.rule ?? null;
}
