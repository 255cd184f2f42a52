// The credential files the runner tries to open inside the sandbox (decisions §26: opened, never read): the usual
// places of SSH keys, cloud, container, registry and VCS tokens under $HOME, and what Codex keeps in its home
// besides auth.json (which fs.auth_json tests). The host lists which exist, by name only; nothing is read.
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { regularFilesUnder } from "./host-files.js";

export interface CredentialFile {
  /** What the file holds, for the evidence: `SSH private key`, `Codex session transcript`, … */
  kind: string;
  path: string;
}

/** Files tried per folder: enough to show the folder is readable, few enough to stay fast. */
const PER_FOLDER = 3;

/** Single files under $HOME (a symlink counts: inside, opening it follows the link as any tool would). */
const HOME_FILES: Array<[string, string]> = [
  [".aws/credentials", "AWS credentials"],
  [".aws/config", "AWS config"],
  [".kube/config", "Kubernetes config"],
  [".docker/config.json", "Docker registry auth"],
  [".npmrc", "npm registry token"],
  [".yarnrc.yml", "Yarn registry token"],
  [".pypirc", "PyPI token"],
  [".netrc", "netrc passwords"],
  [".git-credentials", "git credentials"],
  [".config/gh/hosts.yml", "GitHub CLI token"],
];
const HOME_FOLDERS: Array<[string, string]> = [
  [".config/gcloud", "gcloud credentials"],
  [".azure", "Azure credentials"],
];
/** In ~/.ssh everything but public keys, known hosts and client config is treated as a private key. */
const SSH_PUBLIC = /(\.pub|^known_hosts.*|^config|^authorized_keys.*|^environment|^rc|\.sock)$/;

/** What Codex keeps in its home that an agent has no business reading (auth.json is fs.auth_json's). */
const CODEX_FILES: Array<[RegExp, string]> = [
  [/^config\.toml$/, "Codex config"],
  [/\.config\.toml$/, "Codex profile"],
  [/^history\.jsonl$/, "Codex history"],
  [/^\.credentials\.json$/, "MCP OAuth tokens"],
  [/\.sqlite(-wal)?$/, "Codex database"],
];
const CODEX_FOLDERS: Array<[string, string]> = [
  ["sessions", "Codex session transcript"],
  ["archived_sessions", "Codex session transcript"],
  ["log", "Codex log"],
  ["shell_snapshots", "Codex shell snapshot"],
  ["proxy", "Codex proxy CA"],
];
/** Codex exposes its proxy's public CA bundle inside the sandbox on purpose (SSL_CERT_FILE points at it). */
const PUBLIC_IN_PROXY = /^ca-bundle-.*\.pem$|\.lock$/;

function present(path: string): boolean {
  try {
    const entry = lstatSync(path);
    return entry.isFile() || entry.isSymbolicLink();
  } catch {
    return false;
  }
}

function folderFiles(dir: string, kind: string, skipName?: (name: string) => boolean): CredentialFile[] {
  return regularFilesUnder(dir, { maxFiles: PER_FOLDER, maxDepth: 4, skipName }).map((path) => ({
    kind,
    path,
  }));
}

function sshKeys(home: string): CredentialFile[] {
  return folderFiles(join(home, ".ssh"), "SSH private key", (name) => SSH_PUBLIC.test(name));
}

function codexHomeFiles(codexHome: string): CredentialFile[] {
  let names: string[];
  try {
    // In name order already: Node's readdir (libuv's scandir) sorts by the names' bytes.
    names = readdirSync(codexHome);
  } catch {
    return [];
  }
  const files = names.flatMap((name) => {
    const kind = CODEX_FILES.find(([pattern]) => pattern.test(name))?.[1];
    const path = join(codexHome, name);
    return kind && present(path) ? [{ kind, path }] : [];
  });
  const folders = CODEX_FOLDERS.flatMap(([name, kind]) =>
    folderFiles(join(codexHome, name), kind, (entry) => PUBLIC_IN_PROXY.test(entry)),
  );
  return [...files, ...folders];
}

/** The credential files that exist on this host, by name: never opened here, never read anywhere. */
export function listCredentialFiles(home: string, codexHome: string): CredentialFile[] {
  const homeFiles = HOME_FILES.map(([relative, kind]) => ({ kind, path: join(home, relative) })).filter(
    (file) => present(file.path),
  );
  const folders = HOME_FOLDERS.flatMap(([relative, kind]) => folderFiles(join(home, relative), kind));
  const listed = [...sshKeys(home), ...homeFiles, ...folders, ...codexHomeFiles(codexHome)];
  // The same file reached twice ($CODEX_HOME under ~/.config, say) is tried once.
  return listed.filter((file, index) => listed.findIndex((f) => f.path === file.path) === index);
}
