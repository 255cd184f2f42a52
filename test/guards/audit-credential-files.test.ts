// The credential files the host lists for the runner to try inside the sandbox (credential-files.ts), on real
// folders: which names count, with what kind, which are skipped as public, and that each file is listed once
// (issue 20: every one-token change of the name lists, patterns and kinds changes what is listed).
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { listCredentialFiles } from "../../src/audit/credential-files.js";
import { tempDirs } from "../helpers/temp-dirs.js";

const { tempDir } = tempDirs("test-guard-credential-files-");

/** A fresh $HOME holding `files` (paths relative to it, each made with its folders). */
function homeWith(files: string[]): string {
  const home = tempDir();
  for (const file of files) {
    mkdirSync(dirname(join(home, file)), { recursive: true });
    writeFileSync(join(home, file), "x");
  }
  return home;
}

/** What is listed for a $HOME with `files`, as [kind, path relative to $HOME]; Codex's home is ~/.codex. */
function listed(home: string, codexHome = join(home, ".codex")): Array<[string, string]> {
  return listCredentialFiles(home, codexHome).map((file) => [file.kind, file.path.slice(home.length + 1)]);
}

describe("the files under $HOME", () => {
  it("every known credential file is listed with what it holds, a symlink too, then the two credential folders", () => {
    const home = homeWith([
      ".aws/credentials",
      ".aws/config",
      ".kube/config",
      ".docker/config.json",
      ".npmrc",
      ".yarnrc.yml",
      ".pypirc",
      ".git-credentials",
      ".config/gh/hosts.yml",
      ".config/gcloud/application_default_credentials.json",
      ".azure/msal_token_cache.json",
      "dotfiles/netrc",
    ]);
    symlinkSync(join(home, "dotfiles/netrc"), join(home, ".netrc"));
    expect(listed(home)).toEqual([
      ["AWS credentials", ".aws/credentials"],
      ["AWS config", ".aws/config"],
      ["Kubernetes config", ".kube/config"],
      ["Docker registry auth", ".docker/config.json"],
      ["npm registry token", ".npmrc"],
      ["Yarn registry token", ".yarnrc.yml"],
      ["PyPI token", ".pypirc"],
      ["netrc passwords", ".netrc"],
      ["git credentials", ".git-credentials"],
      ["GitHub CLI token", ".config/gh/hosts.yml"],
      ["gcloud credentials", ".config/gcloud/application_default_credentials.json"],
      ["Azure credentials", ".azure/msal_token_cache.json"],
    ]);
  });

  it("a folder where a credential file is expected is no file to open: nothing is listed", () => {
    const home = tempDir();
    for (const folder of [".npmrc", ".aws/credentials", ".codex/config.toml"])
      mkdirSync(join(home, folder), { recursive: true });
    expect(listed(home)).toEqual([]);
  });

  it("a file reached twice (Codex's home inside ~/.config/gcloud) is listed once, as the first kind found", () => {
    const home = homeWith([".config/gcloud/codex/config.toml"]);
    expect(listed(home, join(home, ".config/gcloud/codex"))).toEqual([
      ["gcloud credentials", ".config/gcloud/codex/config.toml"],
    ]);
  });
});

describe("~/.ssh: everything but public keys, known hosts and client config is a private key", () => {
  /** The names listed from a ~/.ssh holding only `name`, each as an SSH private key. */
  const listedInSsh = (name: string): string[] =>
    listed(homeWith([`.ssh/${name}`])).map(([kind, path]) => `${kind}: ${basename(path)}`);

  it("the public files are skipped by their whole name", () => {
    const publicNames = [
      "id_ed25519.pub",
      "known_hosts",
      "known_hosts.old",
      "config",
      "authorized_keys",
      "authorized_keys2",
      "environment",
      "rc",
      "agent.sock",
    ];
    expect(publicNames.flatMap(listedInSsh)).toEqual([]);
  });

  it("a key whose name only starts or ends with a public file's name is a private key", () => {
    const keyNames = [
      "rc_deploy_key",
      "deploy_known_hosts_key",
      "key_for_config",
      "key_for_authorized_keys",
      "key_for_environment",
      "key_for_rc",
    ];
    expect(keyNames.flatMap(listedInSsh)).toEqual(keyNames.map((name) => `SSH private key: ${name}`));
  });
});

describe("Codex's home", () => {
  it("its config, profiles, history, MCP tokens and databases by whole name; backups, auth.json and the rest not", () => {
    const home = homeWith(
      [
        ".credentials.json",
        ".credentials.json.bak",
        "auth.json",
        "config.toml",
        "config.toml.bak",
        "history.jsonl",
        "history.jsonl.1",
        "old-history.jsonl",
        "old.credentials.json",
        "state_5.sqlite",
        "state_5.sqlite-shm",
        "state_5.sqlite-wal",
        "work.config.toml",
        "work.config.toml.bak",
      ].map((name) => `.codex/${name}`),
    );
    expect(listed(home)).toEqual([
      ["MCP OAuth tokens", ".codex/.credentials.json"],
      ["Codex config", ".codex/config.toml"],
      ["Codex history", ".codex/history.jsonl"],
      ["Codex database", ".codex/state_5.sqlite"],
      ["Codex database", ".codex/state_5.sqlite-wal"],
      ["Codex profile", ".codex/work.config.toml"],
    ]);
  });

  it("each of its folders is listed with its kind", () => {
    const home = homeWith(
      [
        "archived_sessions/rollout-1.jsonl",
        "log/codex-tui.log",
        "proxy/ca.pem",
        "sessions/2026/12/06/rollout-2.jsonl",
        "shell_snapshots/snapshot.sh",
        "version.json",
      ].map((name) => `.codex/${name}`),
    );
    expect(listed(home)).toEqual([
      ["Codex session transcript", ".codex/sessions/2026/12/06/rollout-2.jsonl"],
      ["Codex session transcript", ".codex/archived_sessions/rollout-1.jsonl"],
      ["Codex log", ".codex/log/codex-tui.log"],
      ["Codex shell snapshot", ".codex/shell_snapshots/snapshot.sh"],
      ["Codex proxy CA", ".codex/proxy/ca.pem"],
    ]);
  });

  it("the proxy's public CA bundle and lock files are skipped by their whole name, any other file is the CA", () => {
    const home = homeWith(
      ["ca-bundle-1.pem", "ca-bundle-1.pem.bak", "ca.lock", "ca.lock.pem", "my-ca-bundle-1.pem"].map(
        (name) => `.codex/proxy/${name}`,
      ),
    );
    expect(listed(home)).toEqual([
      ["Codex proxy CA", ".codex/proxy/ca-bundle-1.pem.bak"],
      ["Codex proxy CA", ".codex/proxy/ca.lock.pem"],
      ["Codex proxy CA", ".codex/proxy/my-ca-bundle-1.pem"],
    ]);
  });
});
