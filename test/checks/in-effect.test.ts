// checks/_in-effect.ts: the fixes the filesystem, network and approval checks name from the setup as it is (a
// legacy flag first, then the profile's own rules), on the healthy facts with one thing changed per test.
import { describe, expect, it } from "vitest";
import {
  approvalFix,
  legacyFlagFix,
  networkOffFix,
  observedFix,
  rulesCovering,
  sandboxFix,
  workspaceRules,
} from "../../checks/_in-effect.js";
import {
  type CheckOutcome,
  type ConfigFacts,
  gathered,
  type LauncherFacts,
  notGathered,
} from "../../src/core/model.js";
import {
  CODEX_HOME,
  configFacts,
  effectiveConfig,
  HOME,
  healthyFacts,
  LAUNCHER,
  PROFILE_PATH,
} from "../fixtures/facts/healthy.js";

// biome-ignore lint/suspicious/noExplicitAny: tests change parsed TOML freely
type Table = Record<string, any>;

function launcherWith(change: (launcher: LauncherFacts) => void) {
  const launcher = healthyFacts().launcher;
  change(launcher);
  return gathered(launcher);
}

/** The static reading only (no launch observed), with `findings` as the launcher's flags. */
const staticOnly = (findings: LauncherFacts["static"]["findings"]) =>
  launcherWith((launcher) => {
    launcher.observed = { exec: null, tui: null } as unknown as LauncherFacts["observed"];
    launcher.static.findings = findings;
  });

function configWith(change: (effective: Table, profile: Table) => void, profileMissing = false): ConfigFacts {
  const effective = effectiveConfig() as Table;
  const profile = effectiveConfig() as Table;
  change(effective, profile);
  return configFacts({ effective, profile: profileMissing ? null : profile });
}

const fail: CheckOutcome = { status: "fail", expected: "e", observed: "o", evidence: [] };

describe("legacyFlagFix", () => {
  it("no launcher facts, or none passed: no legacy fix", () => {
    expect(legacyFlagFix(notGathered("no launcher"))).toBeNull();
    expect(legacyFlagFix(gathered(healthyFacts().launcher))).toBeNull();
  });

  it("the observed launch's flags, one or several", () => {
    const one = launcherWith((l) => {
      if (l.observed.exec) l.observed.exec.parsed.legacyFlags = ["--full-auto"];
    });
    expect(legacyFlagFix(one)).toBe(
      "Remove `--full-auto` from the launcher (see launcher.flags): Codex enforces it instead of the permission profile, whose rules then apply.",
    );
    const two = launcherWith((l) => {
      if (l.observed.exec) l.observed.exec.parsed.legacyFlags = ["--full-auto", "--sandbox workspace-write"];
    });
    expect(legacyFlagFix(two)).toBe(
      "Remove `--full-auto`, `--sandbox workspace-write` from the launcher (see launcher.flags): Codex enforces them instead of the permission profile, whose rules then apply.",
    );
  });

  it("without an observed launch, the legacy flags the launcher's text passes, with file and line", () => {
    const launcher = staticOnly([
      { line: 12, flag: "--full-auto", text: "codex --full-auto" },
      { line: 13, flag: "--not-legacy", text: "codex --not-legacy" },
    ] as unknown as LauncherFacts["static"]["findings"]);
    expect(legacyFlagFix(launcher)).toBe(
      `Remove \`--full-auto (${LAUNCHER}:12)\` from the launcher (see launcher.flags): Codex enforces it instead of the permission profile, whose rules then apply.`,
    );
  });
});

describe("observedFix", () => {
  const legacy = launcherWith((l) => {
    if (l.observed.exec) l.observed.exec.parsed.legacyFlags = ["--full-auto"];
  });
  const healthy = gathered(healthyFacts().launcher);

  it("a pass or error keeps its outcome; a fail or warn gets its own fix, else the flag's, else the rule's", () => {
    const pass: CheckOutcome = { ...fail, status: "pass" };
    expect(observedFix(pass, legacy, () => "rule")).toBe(pass);
    expect(observedFix({ ...fail, status: "error" }, legacy, () => "rule").remediation).toBeUndefined();
    expect(observedFix({ ...fail, remediation: "own" }, legacy, () => "rule").remediation).toBe("own");
    expect(observedFix({ ...fail, status: "warn" }, legacy, () => "rule").remediation).toContain(
      "Remove `--full-auto`",
    );
    expect(observedFix(fail, healthy, () => "rule").remediation).toBe("rule");
    expect(observedFix(fail, healthy, () => null)).toBe(fail);
  });
});

describe("workspaceRules and rulesCovering", () => {
  it("the project's table is :workspace_roots, else the older :project_roots, else an empty :workspace_roots", () => {
    expect(workspaceRules({ ":project_roots": { ".": "write" } })).toEqual({
      key: ":project_roots",
      table: { ".": "write" },
    });
    expect(workspaceRules({ ":workspace_roots": "write", ":project_roots": { ".": "read" } }).key).toBe(
      ":project_roots",
    );
    expect(workspaceRules({})).toEqual({ key: ":workspace_roots", table: {} });
  });

  const covering = (rules: Table, path: string, codexHome = CODEX_HOME, name: unknown = "p") => {
    const config = configFacts({
      effective: { default_permissions: name, permissions: { p: { filesystem: rules } } },
    });
    return rulesCovering(gathered({ ...config, codexHome }), path, new Set(["read", "write"]));
  };

  it("a rule covers its path and what lies under it, ~ meaning the folder above a ~/.codex Codex home", () => {
    const rules = { "~/.ssh": "read", "/srv/": "write", "/srvx": "read", relative: "read", ":root": "none" };
    expect(covering(rules, `${HOME}/.ssh/id_rsa`)).toEqual([["~/.ssh", "read"]]);
    expect(covering(rules, "/srv/data")).toEqual([["/srv/", "write"]]);
    expect(covering(rules, "/srvx")).toEqual([["/srvx", "read"]]);
    expect(covering(rules, "/srvxy")).toEqual([]);
    expect(covering({ "~": "read" }, `${HOME}/notes`)).toEqual([["~", "read"]]);
    expect(covering({ ":root": "read" }, "/anything")).toEqual([[":root", "read"]]);
  });

  it("with a Codex home that is not ~/.codex, ~ names nothing", () => {
    expect(covering({ "~": "read", "~/.ssh": "read" }, `${HOME}/.ssh/id_rsa`, "/srv/codex-home")).toEqual([]);
    // Not even the Codex home's parent folder.
    expect(covering({ "~": "read", "~/.ssh": "read" }, "/srv/.ssh/id_rsa", "/srv/codex-home")).toEqual([]);
  });

  it("no profile selected or no config: nothing covers", () => {
    expect(covering({ "/srv": "read" }, "/srv/x", CODEX_HOME, 7)).toEqual([]);
    // A default_permissions that is not a name selects nothing, even a table whose key reads the same.
    const numbered = configFacts({
      effective: { default_permissions: 7, permissions: { "7": { filesystem: { "/srv": "read" } } } },
    });
    expect(rulesCovering(gathered(numbered), "/srv/x", new Set(["read"]))).toEqual([]);
    expect(rulesCovering(notGathered("no config"), "/srv/x", new Set(["read"]))).toEqual([]);
  });
});

describe("networkOffFix", () => {
  it("says what the switch is now, and nothing when it is on or there is no profile", () => {
    const off = configWith((e) => {
      e.permissions["azi4a2-autonomous"].network.enabled = false;
    });
    expect(networkOffFix(gathered(off))).toBe(
      "Set `enabled = true` under [permissions.azi4a2-autonomous.network] (it is false).",
    );
    const unset = configWith((e) => {
      delete e.permissions["azi4a2-autonomous"].network.enabled;
    });
    expect(networkOffFix(gathered(unset))).toBe(
      "Set `enabled = true` under [permissions.azi4a2-autonomous.network] (it is not set).",
    );
    expect(networkOffFix(gathered(configWith(() => {})))).toBeNull();
    expect(networkOffFix(gathered(configWith((e) => delete e.default_permissions)))).toBeNull();
    expect(networkOffFix(notGathered("no config"))).toBeNull();
  });
});

describe("sandboxFix", () => {
  const healthy = gathered(healthyFacts().launcher);

  it("a missing profile file: create it", () => {
    expect(sandboxFix(healthy, gathered(configWith(() => {}, true)), false)).toBe(
      `Create ${PROFILE_PATH}: without it Codex ignores --profile and runs without the permission profile.`,
    );
  });

  it("an extends of a built-in: drop it; with no profile selected nothing is looked up", () => {
    const extended = configWith((e) => {
      e.permissions["azi4a2-autonomous"].extends = ":workspace";
    });
    expect(sandboxFix(healthy, gathered(extended), false)).toBe(
      'Drop `extends = ":workspace"` from [permissions.azi4a2-autonomous]: it adds the built-in\'s roots.',
    );
    const unselected = configWith((e) => {
      e.permissions["azi4a2-autonomous"].extends = ":workspace";
      delete e.default_permissions;
    });
    expect(sandboxFix(healthy, gathered(unselected), false)).toBeNull();
    const numbered = configWith((e) => {
      e.default_permissions = 7;
      e.permissions["7"] = { extends: ":workspace" };
    });
    expect(sandboxFix(healthy, gathered(numbered), false)).toBeNull();
  });

  it("nothing else: the network switch only when the network was lost", () => {
    const off = configWith((e) => {
      e.permissions["azi4a2-autonomous"].network.enabled = false;
    });
    expect(sandboxFix(healthy, gathered(off), false)).toBeNull();
    expect(sandboxFix(healthy, gathered(off), true)).toContain("Set `enabled = true`");
    expect(sandboxFix(healthy, notGathered("no config"), true)).toBeNull();
  });
});

describe("approvalFix", () => {
  it("no layer sets it: set it in the profile file or from the launcher", () => {
    const config = configFacts({ effective: effectiveConfig(), profile: {}, base: {} }, []);
    expect(approvalFix(config, "never")).toBe(
      'Set `approval_policy = "never"` in the profile file (or pass `-c approval_policy="never"` from the launcher).',
    );
  });
});
