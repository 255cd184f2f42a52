// parseCodexArgs against Codex's own `--help` (0.139.0–0.171.0): every subcommand word, and every option that takes
// a value, per subcommand, written out here as the help texts list them. launcher-static.test.ts covers the
// spellings (attached values, clusters, `--`) through parseObservedArgv.
import { describe, expect, it } from "vitest";
import { LEGACY_FLAGS, parseCodexArgs, parseObservedArgv } from "../src/gather/codex-argv.js";

const SUBCOMMANDS = [
  "agents",
  "app-server",
  "apply",
  "archive",
  "cloud",
  "completion",
  "debug",
  "delete",
  "doctor",
  "exec",
  "exec-server",
  "execpolicy",
  "features",
  "fork",
  "help",
  "login",
  "logout",
  "mcp",
  "mcp-server",
  "migrate-nfs-db",
  "migrate-rollouts",
  "plugin",
  "queue",
  "remote-control",
  "responses-api-proxy",
  "resume",
  "review",
  "sandbox",
  "stdio-to-uds",
  "unarchive",
  "update",
];

const COMMON = ["-c/--config", "--enable", "--disable"];
const REMOTE = ["--remote", "--remote-auth-token-env"];
const SESSION = [
  ...COMMON,
  ...REMOTE,
  "-m/--model",
  "--local-provider",
  "-p/--profile",
  "-s/--sandbox",
  "-C/--cd",
  "--add-dir",
  "-a/--ask-for-approval",
];
const WS_AUTH = [
  "--ws-audience",
  "--ws-auth",
  "--ws-issuer",
  "--ws-max-clock-skew-seconds",
  "--ws-shared-secret-file",
  "--ws-token-file",
  "--ws-token-sha256",
];
/** The options that take one value, per subcommand ("" is the interactive session). */
const VALUE_OPTIONS: Record<string, string[]> = {
  "": SESSION,
  resume: SESSION,
  fork: SESSION,
  archive: SESSION,
  unarchive: SESSION,
  delete: SESSION,
  queue: [...SESSION, "--message", "--thread"],
  exec: [
    ...SESSION,
    "--color",
    "--cyber-access-program",
    "-o/--output-last-message",
    "--output-schema",
    "--thread-source",
    "--base",
    "--commit",
    "--title",
  ],
  review: [...COMMON, "--base", "--commit", "--title"],
  agents: [...COMMON, ...REMOTE, "-C/--cd"],
  sandbox: [
    ...COMMON,
    "-C/--cd",
    "-p/--profile",
    "-P/--permission-profile",
    "--permissions-profile",
    "--sandbox-state-json",
    "--sandbox-state-readable-root",
  ],
  mcp: [
    ...COMMON,
    "--env",
    "--url",
    "--bearer-token-env-var",
    "--scopes",
    "--oauth-client-id",
    "--oauth-client-registration",
    "--oauth-client-secret",
    "--oauth-resource",
  ],
  "app-server": [
    ...COMMON,
    ...WS_AUTH,
    "--listen",
    "--code-mode-host",
    "--cloud-skills-snapshot",
    "--startup-client-info",
    "--sock",
    "-o/--out",
    "-p/--prettier",
  ],
  "exec-server": [
    ...COMMON,
    ...WS_AUTH,
    "--remote",
    "--listen",
    "--name",
    "--connect",
    "--environment-id",
    "--concurrent-requests",
    "--remote-transport",
    "--chatgpt-account-id",
    "--aws-profile",
    "--aws-region",
    "--aws-service",
    "--linux-sandbox-pid-namespace",
    "--tcp-upstream-proxy",
  ],
  cloud: [...COMMON, "--attempt", "--attempts", "--branch", "--cursor", "--env", "--limit"],
  plugin: [...COMMON, "-m/--marketplace"],
  debug: COMMON,
  "migrate-rollouts": [...COMMON, "--max-mib-per-second", "--thread"],
  "migrate-nfs-db": [...COMMON, "--staging-dir"],
};

/** Each spelling of each value option: [subcommand, spelled, long name]. */
const SPELLINGS = Object.entries(VALUE_OPTIONS).flatMap(([subcommand, specs]) =>
  specs.flatMap((spec) => {
    const names = spec.split("/");
    const long = names[names.length - 1] as string;
    return names.map((spelled) => [subcommand, spelled, long] as const);
  }),
);

describe("parseCodexArgs: subcommands", () => {
  it.each(SUBCOMMANDS)("%s", (word) => {
    expect(parseCodexArgs([word, "x"]).subcommand).toBe(word);
  });

  it("resolves the aliases e and a", () => {
    expect(parseCodexArgs(["e", "-o", "out.txt"])).toEqual({
      subcommand: "exec",
      options: [{ name: "--output-last-message", spelled: "-o", value: "out.txt", at: 1, valueAt: 2 }],
    });
    expect(parseCodexArgs(["a", "task"]).subcommand).toBe("apply");
  });

  it("a subcommand without options of its own still reads -c", () => {
    expect(parseCodexArgs(["login", "-c", "k=v", "--profile", "p"]).options).toEqual([
      { name: "--config", spelled: "-c", value: "k=v", at: 1, valueAt: 2 },
      { name: "--profile", spelled: "--profile", value: null, at: 3, valueAt: null },
    ]);
  });
});

describe("parseCodexArgs: options that take a value", () => {
  it.each(SPELLINGS)("%s %s", (subcommand, spelled, long) => {
    const args = subcommand === "" ? [spelled, "v"] : [subcommand, spelled, "v"];
    const at = subcommand === "" ? 0 : 1;
    expect(parseCodexArgs(args).options).toEqual([{ name: long, spelled, value: "v", at, valueAt: at + 1 }]);
  });

  it("-i/--image takes several values until the next option", () => {
    for (const subcommand of ["", "exec", "resume", "debug"]) {
      const prefix = subcommand === "" ? [] : [subcommand];
      const image = (value: string, valueAt: number) => ({
        name: "--image",
        spelled: "-i",
        value,
        at: prefix.length,
        valueAt: prefix.length + valueAt,
      });
      expect(parseCodexArgs([...prefix, "-i", "a.png", "b.png", "-c", "k=v"]).options).toEqual([
        image("a.png", 1),
        image("b.png", 2),
        { name: "--config", spelled: "-c", value: "k=v", at: prefix.length + 3, valueAt: prefix.length + 4 },
      ]);
    }
  });

  it("an option at the end without its value", () => {
    expect(parseCodexArgs(["--profile"]).options).toEqual([
      { name: "--profile", spelled: "--profile", value: null, at: 0, valueAt: null },
    ]);
  });
});

describe("legacy flags", () => {
  it("names each one as spelled", () => {
    const argv = ["--sandbox", "x", "-s", "y", "--dangerously-bypass-approvals-and-sandbox", "--yolo"];
    const more = ["--approve-for-me", "--not-so-yolo", "--add-dir", "/srv", "-c", "sandbox_mode=x"];
    expect(parseObservedArgv([...argv, ...more, "-c", "sandbox_workspace_write.a=1"]).legacyFlags).toEqual([
      "--sandbox x",
      "-s y",
      "--dangerously-bypass-approvals-and-sandbox",
      "--yolo",
      "--approve-for-me",
      "--not-so-yolo",
      "--add-dir /srv",
      "-c sandbox_mode=x",
      "-c sandbox_workspace_write.a=1",
    ]);
    expect(parseObservedArgv(["exec", "--full-auto"]).legacyFlags).toEqual(["--full-auto"]);
    expect(LEGACY_FLAGS).toEqual([
      "--sandbox",
      "-s",
      "--full-auto",
      "--dangerously-bypass-approvals-and-sandbox",
      "--yolo",
      "--approve-for-me",
      "--not-so-yolo",
      "--add-dir",
      "-c sandbox_mode",
      "-c sandbox_workspace_write",
    ]);
  });
});
