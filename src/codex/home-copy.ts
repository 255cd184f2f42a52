// `matrix` with a release other than the user's own (decisions §1, the one exception to "audit the setup as it
// is"): a permission profile grants read on the Codex package the user installed, so a cached release cannot run
// under it (`bwrap: execvp …/codex: No such file or directory`). Such a release is audited on a temporary copy of
// CODEX_HOME in which that grant points at the release under test, and rules that name the user's Codex home by
// its path name the copy too (else the copy's auth.json would be a file no rule denies).
import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";

/** Codex's own state, not configuration: not needed by an audit (exec runs `--ephemeral`), so not copied. */
const STATE_ENTRIES = new Set(["sessions", "archived_sessions", "log", "shell_snapshots", "tmp", ".tmp"]);
const STATE_FILE = /(\.sqlite(-wal|-shm)?|^history\.jsonl)$/;
/** The credential is never copied. A live agent needs it: it is linked (no second copy of the secret on disk, the
 * original's protection applies to whatever opens it through the link, a token refresh reaches the user's own
 * file). The mock agent needs none: the copy has no auth.json, and the audit's canary stands in for it. */
const CREDENTIAL = "auth.json";

function copyEntry(source: string, target: string): void {
  const stat = lstatSync(source);
  if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
  else if (stat.isDirectory()) copyTree(source, target, stat.mode);
  else if (stat.isFile()) {
    copyFileSync(source, target); // the kernel copies the bytes: nothing is read into this process
    chmodSync(target, stat.mode & 0o7777);
  }
  // sockets and FIFOs are a running Codex's, not configuration
}

function copyTree(source: string, target: string, mode: number): void {
  mkdirSync(target, { mode: 0o700 });
  for (const name of readdirSync(source)) copyEntry(join(source, name), join(target, name));
  chmodSync(target, mode & 0o7777);
}

/** Copies the Codex home `source` into the new directory `target` (see the constants above for what is not). */
export function copyCodexHome(source: string, target: string, credential: "link" | "none"): void {
  mkdirSync(target, { mode: 0o700 });
  for (const name of readdirSync(source)) {
    if (STATE_ENTRIES.has(name) || STATE_FILE.test(name)) continue;
    if (name !== CREDENTIAL) copyEntry(join(source, name), join(target, name));
    else if (credential === "link") symlinkSync(join(source, name), join(target, name));
  }
  chmodSync(target, lstatSync(source).mode & 0o7777);
}

export interface GrantEdit {
  /** What was done, in one sentence, for the report. */
  summary: string;
  /** True when the copy's config now grants read on the release. */
  granted: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `[permissions.<name>.filesystem]` entries (path as written, access) of one TOML file. */
function filesystemRules(data: Record<string, unknown>): Array<[string, string]> {
  const permissions = isObject(data.permissions) ? data.permissions : {};
  return Object.values(permissions).flatMap((profile) => {
    const filesystem = isObject(profile) && isObject(profile.filesystem) ? profile.filesystem : {};
    return Object.entries(filesystem).filter((rule): rule is [string, string] => typeof rule[1] === "string");
  });
}

/** The entries that grant access (read or write). */
const grantKeys = (data: Record<string, unknown>): string[] =>
  filesystemRules(data)
    .filter(([, access]) => access === "read" || access === "write")
    .map(([key]) => key);

const expand = (key: string, home: string) => (key.startsWith("~/") ? join(home, key.slice(2)) : key);
const covers = (grant: string, dir: string) => dir === grant || dir.startsWith(`${grant}/`);

/** A grant of the user's Codex package: its vendor dir, or a dir above it inside the `@openai` packages. */
function isCodexGrant(grant: string, codexDir: string): boolean {
  return grant === codexDir || (covers(grant, codexDir) && grant.includes("/node_modules/@openai/"));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Replaces the TOML key `key` (a basic or literal string) by `replacement` wherever it is a key (`… =`). */
function replaceKey(text: string, key: string, replacement: string): string {
  const quoted = [JSON.stringify(key), `'${key}'`].map(escapeRegExp).join("|");
  return text.replace(new RegExp(`(${quoted})(\\s*=)`, "g"), (_match, _key, equals: string) => {
    return `${JSON.stringify(replacement)}${equals}`;
  });
}

interface TomlFile {
  path: string;
  text: string;
  grants: string[];
  rules: Array<[string, string]>;
}

function tomlFiles(codexHome: string): TomlFile[] {
  return readdirSync(codexHome)
    .filter((name) => name.endsWith(".toml"))
    .flatMap((name) => {
      const path = join(codexHome, name);
      try {
        const text = readFileSync(path, "utf8");
        const data = parse(text);
        return [{ path, text, grants: grantKeys(data), rules: filesystemRules(data) }];
      } catch {
        return []; // unparsable: the audit reports it (config.profile); nothing to point here
      }
    });
}

/** Adds a read grant on `dir` under every `[permissions.<name>.filesystem]` header of the file. */
function addGrant(text: string, dir: string): string {
  return text.replace(
    /^(\[permissions\.[^\]\n]+\.filesystem\][^\n]*\n)/gm,
    `$1${JSON.stringify(dir)} = "read"\n`,
  );
}

/**
 * Points the copy's grant of the user's Codex package (`from`, null when the user has none) at the release's
 * package dir `to`. When no grant names the user's Codex (it lives under `:minimal`, say), a read grant on `to`
 * is added to each permission profile instead. Returns what was done.
 */
export function pointCodexGrant(
  copy: string,
  opts: { from: string | null; to: string; home: string },
): GrantEdit {
  const files = tomlFiles(copy);
  if (files.some((file) => file.grants.some((key) => covers(expand(key, opts.home), opts.to)))) {
    return { summary: `the profile already grants access to ${opts.to}`, granted: true };
  }
  const edits: string[] = [];
  for (const file of files) {
    const from = opts.from;
    // A key granted in several profiles of the file is one key: replaceKey replaces it everywhere.
    const grants = new Set(file.grants);
    const keys = from === null ? [] : [...grants].filter((key) => isCodexGrant(expand(key, opts.home), from));
    let text = file.text;
    for (const key of keys) text = replaceKey(text, key, opts.to);
    if (keys.length > 0) edits.push(`${keys.map((key) => JSON.stringify(key)).join(", ")} in ${file.path}`);
    if (text !== file.text) writeFileSync(file.path, text);
  }
  if (edits.length > 0) return { summary: `grant ${edits.join("; ")} points at ${opts.to}`, granted: true };
  const added: string[] = [];
  for (const file of files) {
    const text = addGrant(file.text, opts.to);
    if (text === file.text) continue;
    writeFileSync(file.path, text);
    added.push(file.path);
  }
  if (added.length > 0) {
    return {
      summary: `no grant names the user's Codex; read on ${opts.to} added in ${added.join(", ")}`,
      granted: true,
    };
  }
  return { summary: "no permission profile filesystem table found: the copy is unchanged", granted: false };
}

/** Adds, after each line where `key` is a key, the same line with `twin` as the key (the same access). */
function addTwin(text: string, key: string, twin: string): string {
  const quoted = [JSON.stringify(key), `'${key}'`].map(escapeRegExp).join("|");
  return text.replace(
    new RegExp(`^([ \\t]*)(?:${quoted})(\\s*=[^\\n]*)$`, "gm"),
    (line, indent: string, rest: string) => `${line}\n${indent}${JSON.stringify(twin)}${rest}`,
  );
}

/** A path in the copy that is a symbolic link: bwrap cannot mount a rule's placeholder over it, so no twin. */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Gives every filesystem rule that names the user's Codex home by path (`"/home/u/.codex/auth.json" = "none"`,
 * or `~/.codex/…` when that is the Codex home) a twin naming the same entry in the copy, with the same access:
 * the audited Codex home is the copy, and the original rule keeps naming the user's own files. Returns what was
 * done in one sentence, or null when no rule names the Codex home.
 */
export function retargetHomeRules(copy: string, opts: { codexHome: string; home: string }): string | null {
  const twinned: string[] = [];
  for (const file of tomlFiles(copy)) {
    let text = file.text;
    const keys = new Set(file.rules.map(([key]) => key)); // a key in several profiles: each line gets its twin
    for (const key of keys) {
      const path = expand(key, opts.home);
      if (!covers(opts.codexHome, path)) continue;
      const twin = copy + path.slice(opts.codexHome.length);
      if (isLink(twin) || keys.has(twin)) continue;
      text = addTwin(text, key, twin);
      twinned.push(JSON.stringify(key));
    }
    if (text !== file.text) writeFileSync(file.path, text);
  }
  const named = [...new Set(twinned)];
  if (named.length === 0) return null;
  return `${named.join(", ")} ${named.length === 1 ? "names" : "name"} the copy too`;
}
