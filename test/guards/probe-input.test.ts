// What `probe` run without a staged input (the user's own session, no `probe --stage`) hands the runner: every field
// from the project it is given and the environment, and the exit code its table gives. Real folders; no runner run.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { probeExitCode, probeInput } from "../../src/commands/probe.js";

const roots: string[] = [];

afterEach(() => {
  vi.unstubAllEnvs();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function folder(): string {
  const root = mkdtempSync(join(tmpdir(), "test-guard-probe-input-"));
  roots.push(root);
  const project = join(root, "proj");
  mkdirSync(project);
  return project;
}

describe("probeInput without a staged input", () => {
  it("a git project with the README's launcher, HOME, CODEX_HOME and npm's registry set: each one used", () => {
    const project = folder();
    mkdirSync(join(project, ".git"));
    writeFileSync(join(project, ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(project, "codex-auto"), "#!/bin/sh\n");
    vi.stubEnv("HOME", "/home/someone");
    vi.stubEnv("CODEX_HOME", "/srv/codex");
    vi.stubEnv("npm_config_registry", "http://127.0.0.1:4873");

    const { nonce, tlsControl, ...input } = probeInput(project, undefined);

    expect(nonce).toMatch(/^[0-9a-f]{12}$/);
    expect(input).toEqual({
      schema: 2,
      project,
      home: "/home/someone",
      reports: {
        local: join(project, ".codex-smoke-report.json"),
        net: join(project, ".codex-smoke-report.net.json"),
        domains: join(project, ".codex-smoke-report.domains.json"),
      },
      hostNamespaces: null,
      isRepo: true,
      authJson: [
        { label: "/srv/codex/auth.json", path: "/srv/codex/auth.json" },
        { label: "/home/someone/.codex/auth.json", path: "/home/someone/.codex/auth.json" },
      ],
      readonlyPaths: [".codex", "www.azinstitute4autism.com"],
      outsideWriteDirs: [dirname(project), "/home/someone", "/tmp", "/var/tmp"],
      outsideReadFiles: [],
      registryUrl: "http://127.0.0.1:4873/astro",
      networkTimeoutMs: 5_000,
      launcherFiles: [join(project, "codex-auto")],
    });
    // The TLS control's own certificate: for the loopback address the runner serves it on.
    if (!tlsControl) throw new Error("no TLS control");
    const certificate = new X509Certificate(tlsControl.certPem);
    expect(certificate.subject).toContain("CN=codex-smoke-untrusted");
    expect(certificate.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(certificate.checkPrivateKey(createPrivateKey(tlsControl.keyPem))).toBe(true);
  });

  it("no HOME, CODEX_HOME or registry, a relative --out without .json, no git and no launcher: the defaults", () => {
    const project = folder();
    vi.stubEnv("HOME", undefined);
    vi.stubEnv("CODEX_HOME", undefined);
    vi.stubEnv("npm_config_registry", "http://127.0.0.1:4873/");
    const home = homedir();

    const input = probeInput(project, "out/report");

    expect(input.home).toBe(home);
    expect(input.reports).toEqual({
      local: join(project, "out/report"),
      net: join(project, "out/report.net.json"),
      domains: join(project, "out/report.domains.json"),
    });
    // One auth.json path when CODEX_HOME is the default one.
    expect(input.authJson).toEqual([
      { label: join(home, ".codex", "auth.json"), path: join(home, ".codex", "auth.json") },
    ]);
    expect(input.registryUrl).toBe("http://127.0.0.1:4873/astro");
    expect(input.isRepo).toBe(false);
    expect(input.launcherFiles).toEqual([]);
    vi.stubEnv("npm_config_registry", undefined);
    expect(probeInput(project, "r.json").registryUrl).toBeNull();
  });

  it("a .git folder without HEAD (Codex's placeholder inside the sandbox) is no repository", () => {
    const project = folder();
    mkdirSync(join(project, ".git"));
    expect(probeInput(project, undefined).isRepo).toBe(false);
  });
});

describe("probe's exit code", () => {
  it("1 when a check failed, 3 when one could not be tested and none failed, else 0", () => {
    expect(probeExitCode([{ status: "pass" }, { status: "error" }, { status: "fail" }])).toBe(1);
    expect(probeExitCode([{ status: "pass" }, { status: "error" }, { status: "warn" }])).toBe(3);
    expect(probeExitCode([{ status: "pass" }, { status: "warn" }])).toBe(0);
    expect(probeExitCode([])).toBe(0);
  });
});
