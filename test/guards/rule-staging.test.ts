// What staging adds for the setup's own rules (src/audit/rule-staging.ts), on a real tree: the credential files by
// name, one probe per filesystem entry with the files it may create recorded with their folders, the extra writable
// roots' absent protected names, and one runner part per domain probe — none for a live session.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { domainsFor, type RuleStagingRequest, stageRules } from "../../src/audit/rule-staging.js";
import { activeProfile } from "../../src/gather/profile-rules.js";

const NONCE = "0123456789ab";
let root: string;
let request: RuleStagingRequest;
beforeEach(() => {
  const parent = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(parent, { recursive: true });
  root = mkdtempSync(join(parent, "test-guard-rule-staging-"));
  const home = join(root, "home");
  mkdirSync(join(home, ".codex"), { recursive: true });
  mkdirSync(join(home, ".ssh"));
  writeFileSync(join(home, ".ssh", "id_ed25519"), "");
  mkdirSync(join(root, "proj"));
  mkdirSync(join(root, "shared"));
  request = {
    nonce: NONCE,
    project: join(root, "proj"),
    home,
    codexHome: join(home, ".codex"),
    registryUrl: null,
  };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The effective config of a profile `p` with these filesystem entries and network table. */
function rules(network: Record<string, unknown>, probeDomains = true) {
  const effective = {
    default_permissions: "p",
    features: { network_proxy: true },
    permissions: { p: { filesystem: { [join(root, "shared")]: "write", ":bogus": "read" }, network } },
  };
  const profile = activeProfile(effective, {
    home: request.home,
    workspaceRoots: [request.project],
    tmpdir: undefined,
  });
  return { profile, effective, probeDomains };
}

describe("stageRules", () => {
  it("without the rules: only the credential files, by name, and no extra part", () => {
    const staging = stageRules(request);
    const key = join(request.home, ".ssh", "id_ed25519");
    expect(staging.input).toEqual({ credentialFiles: [key] });
    expect(staging.record.credentialFiles?.map((file) => file.path)).toEqual([key]);
    expect(staging.parts).toEqual([]);
    // /tmp's absent protected names are recorded all the same: Codex's workspace-write sandbox makes it writable.
    expect(staging.record.ruleRoots?.map((r) => r.dir)).toEqual(["/tmp"]);
  });

  it("/tmp's absent protected names are recorded, and only those: restore removes just the empty ones Codex made", () => {
    const [tmp] = stageRules(request).record.ruleRoots ?? [];
    const absent = [".agents", ".aws", ".codex", ".git"].filter((name) => !existsSync(join("/tmp", name)));
    expect(tmp?.absent).toEqual(absent);
  });

  it("a project that is /tmp itself is left to restore", () => {
    expect(stageRules({ ...request, project: "/tmp" }).record.ruleRoots).toEqual([]);
  });

  it("with a profile: its probes, the files they may create with their folders, the new root's absent names, one part per domain", () => {
    const staging = stageRules({
      ...request,
      rules: rules({ enabled: true, domains: { "x.example": "deny" } }),
    });
    const shared = join(root, "shared");
    expect(staging.record.rulesProfile).toBe("p");
    expect(staging.input.credentialFiles).toEqual([join(request.home, ".ssh", "id_ed25519")]);
    // The runner gets each planned probe, and only those: an entry without a probe adds none.
    const planned = staging.record.rules ?? [];
    expect(planned.some((rule) => !rule.probe)).toBe(true);
    expect(staging.input.rules).toEqual(planned.flatMap((rule) => (rule.probe ? [rule.probe] : [])));
    expect(staging.input.rules?.length).toBeGreaterThan(0);
    // The files it may create are named with the run's nonce, in the folder the entry makes writable.
    const writes = staging.record.ruleWrites ?? [];
    expect(writes.length).toBeGreaterThan(0);
    expect(
      writes.every(
        (write) => write.path.startsWith(`${shared}/.codex-smoke-rule-${NONCE}-`) && write.folder !== null,
      ),
    ).toBe(true);
    expect(staging.record.ruleRoots?.map((r) => r.dir)).toEqual([shared, "/tmp"]);
    expect(staging.record.ruleRoots?.[0]?.absent).toEqual([".agents", ".aws", ".codex", ".git"]);
    expect(staging.input.domains).toEqual([
      { host: "x.example", url: "https://x.example/" },
      { host: `codex-smoke-${NONCE}.invalid`, url: `https://codex-smoke-${NONCE}.invalid/` },
    ]);
    expect(staging.parts).toEqual(["domains 0", "domains 1"]);
    expect(staging.record.domains?.probes.map((probe) => probe.host)).toEqual([
      "x.example",
      `codex-smoke-${NONCE}.invalid`,
    ]);
  });

  it("no custom profile in effect: no rule probes, the profile named null", () => {
    const staging = stageRules({ ...request, rules: { ...rules({ enabled: false }), profile: null } });
    expect(staging.input.rules).toEqual([]);
    expect(staging.record.rules).toEqual([]);
    expect(staging.record.rulesProfile).toBeNull();
    expect(staging.record.ruleWrites).toEqual([]);
    expect(staging.parts).toEqual([]);
  });

  it("a live session plans no domain probes: no part, no record of them", () => {
    const staging = stageRules({
      ...request,
      rules: rules({ enabled: true, domains: { "x.example": "deny" } }, false),
    });
    expect(staging.parts).toEqual([]);
    expect(staging.input.domains).toEqual([]);
    expect(staging.record).not.toHaveProperty("domains");
  });
});

describe("domainsFor", () => {
  it("no rules: undefined; a live session with probes to run: undefined; with none to run: the empty plan", () => {
    expect(domainsFor(request)).toBeUndefined();
    expect(domainsFor({ ...request, rules: rules({ enabled: true }, false) })).toBeUndefined();
    expect(domainsFor({ ...request, rules: rules({ enabled: false }, false) })).toEqual({
      probes: [],
      untested: [],
    });
  });

  it("the registry's host is probed at the registry's URL", () => {
    const plan = domainsFor({
      ...request,
      registryUrl: "http://127.0.0.1:4873/npm/",
      rules: rules({ enabled: true, domains: { "127.0.0.1": "allow" } }),
    });
    expect(plan?.probes.at(-1)).toMatchObject({ host: "127.0.0.1", url: "http://127.0.0.1:4873/npm/" });
  });
});
