// The bundled reference setup, built for real and checked with the pinned Codex: the files and modes, the
// profile's entries, the exec header, `mcp get`, the auth.json denial, and that dispose leaves nothing behind.
import { randomBytes } from "node:crypto";
import { existsSync, realpathSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { parse } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockResponses } from "../src/agent/mock-responses.js";
import { findCodexInstall } from "../src/demo/codex-install.js";
import { buildReferenceSetup, type ReferenceSetup, SITE_DIR } from "../src/demo/reference-setup.js";
import { launch } from "../src/gather/launch.js";
import { killMarked, MARKER_VAR } from "./helpers/marked.js";

const nonce = randomBytes(8).toString("hex");
let setup: ReferenceSetup;

beforeAll(async () => {
  setup = await buildReferenceSetup();
});

afterAll(async () => {
  // Sandboxed commands run in their own sessions, out of the group's reach; they carry the marker.
  await killMarked(nonce);
  await setup?.dispose();
});

interface ProfileToml {
  permissions: Record<string, { filesystem: Record<string, unknown>; network: unknown }>;
  mcp_servers: { playwright: { command: string; args: string[] }; openaiDeveloperDocs: { url: string } };
  [key: string]: unknown;
}
const readProfile = async () => parse(await readFile(setup.profileFile, "utf8")) as unknown as ProfileToml;

/** Runs `file` in the project with the setup's environment through the product's launch (its session killed). */
const run = (file: string, args: string[], env: Record<string, string> = {}) =>
  launch(file, args, {
    cwd: setup.project,
    env: { ...setup.env, [MARKER_VAR]: nonce, ...env },
    timeoutMs: 60_000,
  });

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe("files", () => {
  it("puts a canary auth.json and a fake ssh key in the fake home", async () => {
    expect(setup.root).toContain(join(".cache", "codex-smoke", "demo-"));
    expect(setup.codexHome).toBe(join(setup.home, ".codex"));
    const authFile = join(setup.codexHome, "auth.json");
    expect(await mode(authFile)).toBe(0o600);
    expect(JSON.parse(await readFile(authFile, "utf8"))).toEqual({ OPENAI_API_KEY: setup.canary });
    expect(setup.canary).toMatch(/^sk-codexsmoke-canary-[0-9a-f]{24}$/);
    expect(await mode(join(setup.home, ".ssh", "id_rsa"))).toBe(0o600);
  });

  it("makes a committed git project with the read-only folders and an executable launcher", async () => {
    expect(setup.launcher).toBe(join(setup.project, "codex-auto"));
    expect(await mode(setup.launcher)).toBe(0o755);
    expect(existsSync(join(setup.project, ".codex", "keep"))).toBe(true);
    expect(existsSync(join(setup.project, ".codex", "config.toml"))).toBe(false);
    expect(existsSync(join(setup.project, SITE_DIR, "index.html"))).toBe(true);
    const git = (...args: string[]) => execa("git", args, { cwd: setup.project, env: { HOME: setup.home } });
    expect((await git("rev-list", "--count", "HEAD")).stdout).toBe("1");
    expect((await git("status", "--porcelain")).stdout).toBe("");
  });

  it("starts Codex offline: analytics, plugins and the update check off", async () => {
    expect(parse(await readFile(setup.baseConfigFile, "utf8"))).toEqual({
      check_for_update_on_startup: false,
      analytics: { enabled: false },
      features: { plugins: false },
    });
  });

  it("writes the permission profile the README describes", async () => {
    const profile = await readProfile();
    expect(setup.profileFile).toBe(join(setup.codexHome, "azi4a2-autonomous.config.toml"));
    expect(profile).toMatchObject({
      approval_policy: "never",
      web_search: "live",
      default_permissions: "azi4a2-autonomous",
    });
    const permissions = profile.permissions["azi4a2-autonomous"];
    if (permissions === undefined) throw new Error("no [permissions.azi4a2-autonomous]");
    expect(permissions.filesystem).toMatchObject({
      ":minimal": "read",
      [findCodexInstall().vendorDir]: "read",
      "~/.codex/auth.json": "none",
      ":workspace_roots": { ".": "write", ".codex": "read", [SITE_DIR]: "read" },
    });
    expect(permissions.network).toEqual({ enabled: true });
    // No legacy sandbox settings: they would replace the permission profile.
    expect(profile.sandbox_mode).toBeUndefined();
    expect(profile.sandbox_workspace_write).toBeUndefined();
    expect(profile.mcp_servers.playwright.command).toBe(process.execPath);
    expect(profile.mcp_servers.openaiDeveloperDocs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it("curates the launch environment", () => {
    expect(setup.env.PATH?.split(":")[0]).toBe(join(setup.root, "bin"));
    expect(realpathSync(join(setup.root, "bin", "codex"))).toBe(realpathSync(findCodexInstall().bin));
    expect(setup.env).toMatchObject({ HOME: setup.home, CODEX_HOME: setup.codexHome });
    const allowed =
      /^(PATH|HOME|CODEX_HOME|LANG|TERM|TZ|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|CURL_CA_BUNDLE|(HTTPS?|ALL|NO)_PROXY|(https?|all|no)_proxy)$/;
    expect(Object.keys(setup.env).filter((name) => !allowed.test(name))).toEqual([]);
  });
});

describe("launcher", () => {
  it("refuses legacy sandbox flags and a missing profile before starting Codex", async () => {
    for (const flag of [
      "--sandbox",
      "-s",
      "--sandbox=workspace-write",
      "--dangerously-bypass-approvals-and-sandbox",
    ]) {
      const result = await run(setup.launcher, ["exec", flag, "hi"]);
      expect(result.exitCode, flag).toBe(2);
      expect(result.stderr).toContain("refusing");
    }
    const missing = await run(setup.launcher, ["exec", "hi"], { CODEX_PROFILE: "nosuch" });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("nosuch.config.toml");
  });
});

describe("with the pinned Codex", () => {
  it("exec prints the README's header, and a command cannot read auth.json", async () => {
    const mock = await startMockResponses({ commands: ['cat "$HOME/.codex/auth.json"; echo "rc=$?"'] });
    try {
      const result = await run(setup.launcher, [
        "exec",
        "--disable",
        "unbounded_connection_retries",
        ...mock.providerOverrides(),
        "hi",
      ]);
      expect(result.exitCode, result.stderr).toBe(0);
      const header = result.stderr.split("\n");
      expect(header).toContain("approval: never");
      expect(header).toContain("sandbox: workspace-write [workdir] (network access enabled)");
      expect(result.stderr).not.toMatch(/unrecognized configuration setting|rmcp|ERROR/);
      const outputs = mock.commandOutputs().join("\n");
      expect(outputs).toContain("Permission denied");
      expect(`${result.stdout}${result.stderr}${outputs}`).not.toContain(setup.canary);
    } finally {
      await mock.close();
    }
  });

  it("mcp get shows the launcher's approval mode and tool timeout for both servers", async () => {
    for (const server of ["playwright", "openaiDeveloperDocs"]) {
      const result = await run(setup.launcher, ["mcp", "get", server]);
      expect(result.exitCode, result.stderr).toBe(0);
      const lines = result.stdout.split("\n").map((line) => line.trim());
      expect(lines).toContain("tool_timeout_sec: 300");
      expect(lines).toContain("default_tools_approval_mode: approve");
    }
  });

  it("codex sandbox under the profile denies auth.json (EACCES)", async () => {
    const codex = findCodexInstall().bin;
    const profile = setup.profileName;
    const args = ["sandbox", "-p", profile, "-P", profile, "-C", setup.project, "--"];
    const result = await run(codex, [...args, "cat", join(setup.codexHome, "auth.json")]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Permission denied");
    expect(result.stdout).not.toContain(setup.canary);
  });
});

describe("dispose", () => {
  it("stops the HTTP stand-in and removes the root", async () => {
    const { url } = (await readProfile()).mcp_servers.openaiDeveloperDocs;
    const ping = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
    expect((await fetch(url, { method: "POST", body: ping })).status).toBe(200);
    await setup.dispose();
    expect(existsSync(setup.root)).toBe(false);
    await expect(fetch(url, { method: "POST", body: ping })).rejects.toThrow();
    await setup.dispose(); // idempotent: afterAll disposes again
  });
});
