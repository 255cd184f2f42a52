// Which config layer decides each setting, what the launches applied, and the conflicts (src/audit/settings.ts),
// read in full for a few setups: the healthy one, one with every layer and requirement in play and a runtime that
// shows the legacy sandbox, and one where no launch showed anything. The whole reading is asserted: each line is
// what the report's target and config.layers/config.profile say.
import { describe, expect, it } from "vitest";
import { type RuntimeFacts, readLayerSettings } from "../../src/audit/settings.js";
import { type ConfigFacts, gathered, notGathered } from "../../src/core/model.js";
import {
  configFacts,
  effectiveConfig,
  healthyFacts,
  PROFILE_PATH,
  PROJECT,
} from "../fixtures/facts/healthy.js";

const runtimeOf = (f: ReturnType<typeof healthyFacts>): RuntimeFacts => ({
  runner: gathered(f.runner),
  tui: gathered(f.tui),
  exec: gathered(f.exec),
  network: gathered(f.network),
});
const nothing: RuntimeFacts = {
  runner: notGathered("no launch"),
  tui: notGathered("no launch"),
  exec: notGathered("no launch"),
  network: notGathered("no launch"),
};

describe("readLayerSettings", () => {
  it("the healthy setup: the profile decides, the launches applied it", () => {
    const f = healthyFacts();
    expect(readLayerSettings(f.config, runtimeOf(f))).toMatchInlineSnapshot(`
      {
        "conflicts": [],
        "layers": [
          "/etc/codex/config.toml: absent",
          "/home/alice/.codex/config.toml: loaded",
          "/home/alice/.codex/azi4a2-autonomous.config.toml: loaded; sets default_permissions, approval_policy, [permissions.azi4a2-autonomous]",
          "/home/alice/work/azinstitute/.codex/config.toml: absent",
          "launcher -c: approval_policy="never" mcp_servers.playwright.default_tools_approval_mode="approve" mcp_servers.playwright.tool_timeout_sec=300 mcp_servers.openaiDeveloperDocs.default_tools_approval_mode="approve" mcp_servers.openaiDeveloperDocs.tool_timeout_sec=300",
          "/etc/codex/managed_config.toml: absent",
          "/etc/codex/requirements.toml: absent",
        ],
        "settings": {
          "approval": {
            "applied": "never",
            "appliedFrom": "/status",
            "decidedBy": "launcher -c",
            "requested": "never",
          },
          "network": {
            "applied": "enabled",
            "appliedFrom": "the runner's sockets",
            "decidedBy": "/home/alice/.codex/azi4a2-autonomous.config.toml",
            "requested": "enabled",
          },
          "permissionProfile": {
            "applied": "azi4a2-autonomous",
            "appliedFrom": "CODEX_PERMISSION_PROFILE inside the sandbox",
            "decidedBy": "/home/alice/.codex/azi4a2-autonomous.config.toml",
            "requested": "azi4a2-autonomous",
          },
          "sandbox": {
            "applied": "workspace-write [workdir] (network access enabled)",
            "appliedFrom": "exec header",
            "decidedBy": "/home/alice/.codex/azi4a2-autonomous.config.toml",
            "requested": "permission profile "azi4a2-autonomous"",
          },
        },
      }
    `);
  });

  it("every layer in play: a system default, a trusted project's own file, a managed layer and requirements forcing another profile", () => {
    const f = healthyFacts();
    const config: ConfigFacts = {
      ...configFacts({
        base: {
          sandbox_mode: "workspace-write",
          sandbox_workspace_write: { network_access: true },
          network_proxy: { enabled: true },
          default_permissions: "other",
          projects: { [PROJECT.split("/").slice(0, -1).join("/")]: { trust_level: "trusted" } },
        },
        project: { approval_policy: "on-request", permissions: { mine: {}, yours: {} } },
        effective: { ...effectiveConfig(), features: { network_proxy: { enabled: true } } },
      }),
    };
    config.system = [
      { path: "/etc/codex/config.toml", role: "system", exists: true, data: { sandbox_mode: "read-only" } },
      {
        path: "/etc/codex/managed_config.toml",
        role: "system",
        exists: true,
        parseError: { line: 3, column: 1, message: "x" },
      },
      {
        path: "/etc/codex/requirements.toml",
        role: "system",
        exists: true,
        data: { allowed_permission_profiles: { forced: true }, default_permissions: "forced" },
      },
    ];
    const environment = f.network.report.environment;
    const runtime: RuntimeFacts = {
      runner: gathered({ ...f.runner, permissionProfile: undefined }),
      tui: gathered({ ...f.tui, permissions: "Profile forced (workspace, on-request)" }),
      exec: gathered(f.exec),
      network: gathered({
        ...f.network,
        report: {
          ...f.network.report,
          environment: environment && { ...environment, codexProxyActive: false, inetSocket: "EPERM" },
        },
      }),
    };
    expect(readLayerSettings(config, runtime)).toMatchInlineSnapshot(`
      {
        "conflicts": [
          {
            "hazard": "Codex runs "forced" instead of "azi4a2-autonomous"",
            "overridden": false,
            "setting": "permissionProfile",
            "text": "/etc/codex/requirements.toml (allowed_permission_profiles leaves "azi4a2-autonomous" out) forces default_permissions = "forced"",
          },
          {
            "hazard": "ignored while /etc/codex/requirements.toml's allowed_permission_profiles makes Codex use permission profiles; without it, a plain \`codex\` start (without --profile) would run the legacy sandbox instead of "azi4a2-autonomous", and the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile (sandbox_mode: auth.json and the whole disk readable under workspace-write)",
            "overridden": true,
            "setting": "sandbox",
            "text": "/etc/codex/config.toml sets sandbox_mode = "read-only"",
          },
          {
            "hazard": "ignored while /etc/codex/requirements.toml's allowed_permission_profiles makes Codex use permission profiles; without it, a plain \`codex\` start (without --profile) would run the legacy sandbox instead of "azi4a2-autonomous", and the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile (sandbox_mode: auth.json and the whole disk readable under workspace-write)",
            "overridden": true,
            "setting": "sandbox",
            "text": "/home/alice/.codex/config.toml sets sandbox_mode = "workspace-write"",
          },
          {
            "hazard": "ignored while /etc/codex/requirements.toml's allowed_permission_profiles makes Codex use permission profiles; without it, a plain \`codex\` start (without --profile) would run the legacy sandbox instead of "azi4a2-autonomous", and the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile (sandbox_workspace_write: auth.json and the whole disk readable under workspace-write)",
            "overridden": true,
            "setting": "sandbox",
            "text": "/home/alice/.codex/config.toml sets sandbox_workspace_write",
          },
          {
            "hazard": "where this layer decides (a start without --profile), Codex runs "other" instead of "azi4a2-autonomous"",
            "overridden": true,
            "setting": "permissionProfile",
            "text": "/home/alice/.codex/config.toml sets default_permissions = "other"",
          },
          {
            "hazard": "Codex ignores it: no proxy filters the network because of it (the managed proxy is [features] network_proxy with the profile's network table)",
            "overridden": true,
            "setting": "network",
            "text": "/home/alice/.codex/config.toml has a legacy [network_proxy] table",
          },
        ],
        "layers": [
          "/etc/codex/config.toml: loaded; sets sandbox_mode",
          "/home/alice/.codex/config.toml: loaded; sets default_permissions, sandbox_mode, sandbox_workspace_write, network_proxy",
          "/home/alice/.codex/azi4a2-autonomous.config.toml: loaded; sets default_permissions, approval_policy, [permissions.azi4a2-autonomous]",
          "/home/alice/work/azinstitute/.codex/config.toml: not loaded (the project is not trusted); sets approval_policy, [permissions.mine|yours]",
          "launcher -c: approval_policy="never" mcp_servers.playwright.default_tools_approval_mode="approve" mcp_servers.playwright.tool_timeout_sec=300 mcp_servers.openaiDeveloperDocs.default_tools_approval_mode="approve" mcp_servers.openaiDeveloperDocs.tool_timeout_sec=300",
          "/etc/codex/managed_config.toml: does not parse (line 3)",
          "/etc/codex/requirements.toml: loaded; sets default_permissions",
        ],
        "settings": {
          "approval": {
            "applied": "on-request",
            "appliedFrom": "/status",
            "decidedBy": "launcher -c",
            "requested": "never",
          },
          "network": {
            "applied": "disabled",
            "appliedFrom": "the runner's sockets",
            "decidedBy": null,
            "requested": null,
          },
          "permissionProfile": {
            "applied": "forced",
            "appliedFrom": "/status",
            "decidedBy": "/etc/codex/requirements.toml (allowed_permission_profiles leaves "azi4a2-autonomous" out)",
            "requested": "forced",
          },
          "sandbox": {
            "applied": "workspace-write [workdir] (network access enabled)",
            "appliedFrom": "exec header",
            "decidedBy": "/etc/codex/requirements.toml (allowed_permission_profiles leaves "azi4a2-autonomous" out)",
            "requested": "permission profile "forced"",
          },
        },
      }
    `);
  });

  it("no launch showed anything, no profile file, no launcher -c, a trusted project's file: the legacy keys and the project decide, nothing is applied", () => {
    const config = configFacts(
      {
        base: { sandbox_mode: "workspace-write", sandbox_workspace_write: { network_access: false } },
        profile: null,
        // The project's own file is loaded: the repository it is in (a folder above it) is trusted.
        project: { approval_policy: "untrusted" },
        effective: { projects: { "/home/alice": { trust_level: "trusted" } } },
      },
      [],
    );
    config.trustRoots = ["/home/alice"];
    expect(readLayerSettings(config, nothing)).toMatchInlineSnapshot(`
      {
        "conflicts": [],
        "layers": [
          "/etc/codex/config.toml: absent",
          "/home/alice/.codex/config.toml: loaded; sets sandbox_mode, sandbox_workspace_write",
          "/home/alice/.codex/azi4a2-autonomous.config.toml: absent",
          "/home/alice/work/azinstitute/.codex/config.toml: loaded; sets approval_policy",
          "launcher -c: none",
          "/etc/codex/managed_config.toml: absent",
          "/etc/codex/requirements.toml: absent",
        ],
        "settings": {
          "approval": {
            "applied": null,
            "appliedFrom": null,
            "decidedBy": "/home/alice/work/azinstitute/.codex/config.toml",
            "requested": "untrusted",
          },
          "network": {
            "applied": null,
            "appliedFrom": null,
            "decidedBy": "/home/alice/.codex/config.toml",
            "requested": "disabled",
          },
          "permissionProfile": {
            "applied": null,
            "appliedFrom": null,
            "decidedBy": null,
            "requested": null,
          },
          "sandbox": {
            "applied": null,
            "appliedFrom": null,
            "decidedBy": "/home/alice/.codex/config.toml",
            "requested": "sandbox_mode "workspace-write"",
          },
        },
      }
    `);
  });

  it("Codex's managed proxy, a managed layer, requirements forcing a profile no layer asks for, /status naming the profile", () => {
    const f = healthyFacts();
    const config = configFacts(
      {
        base: { projects: { [PROJECT]: { trust_level: "trusted" } } },
        profile: {
          sandbox_mode: "read-only",
          default_permissions: "mine",
          permissions: { mine: { network: { enabled: true } } },
        },
        project: { default_permissions: "theirs" },
        effective: { features: { network_proxy: true }, projects: { [PROJECT]: { trust_level: "trusted" } } },
      },
      [],
    );
    config.system = [
      { path: "/etc/codex/config.toml", role: "system", exists: false },
      {
        path: "/etc/codex/managed_config.toml",
        role: "system",
        exists: true,
        data: { approval_policy: "on-failure" },
      },
      {
        path: "/etc/codex/requirements.toml",
        role: "system",
        exists: true,
        data: { default_permissions: "forced" },
      },
    ];
    const environment = f.network.report.environment;
    const runtime: RuntimeFacts = {
      runner: gathered({ ...f.runner, permissionProfile: undefined }),
      tui: gathered({ ...f.tui, permissions: "Profile theirs (workspace, never)" }),
      exec: notGathered("no launch"),
      network: gathered({
        ...f.network,
        report: {
          ...f.network.report,
          environment: environment && { ...environment, codexProxyActive: true },
        },
      }),
    };
    expect(readLayerSettings(config, runtime)).toMatchInlineSnapshot(`
      {
        "conflicts": [
          {
            "hazard": "the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile (sandbox_mode: auth.json and the whole disk readable under workspace-write)",
            "overridden": true,
            "setting": "sandbox",
            "text": "/home/alice/.codex/azi4a2-autonomous.config.toml sets sandbox_mode = "read-only"",
          },
          {
            "hazard": "where this layer decides (a start without this layer above it), Codex runs "mine" instead of "theirs"",
            "overridden": true,
            "setting": "permissionProfile",
            "text": "/home/alice/.codex/azi4a2-autonomous.config.toml sets default_permissions = "mine"",
          },
        ],
        "layers": [
          "/etc/codex/config.toml: absent",
          "/home/alice/.codex/config.toml: loaded",
          "/home/alice/.codex/azi4a2-autonomous.config.toml: loaded; sets default_permissions, sandbox_mode, [permissions.mine]",
          "/home/alice/work/azinstitute/.codex/config.toml: loaded; sets default_permissions",
          "launcher -c: none",
          "/etc/codex/managed_config.toml: loaded; sets approval_policy",
          "/etc/codex/requirements.toml: loaded; sets default_permissions",
        ],
        "settings": {
          "approval": {
            "applied": "never",
            "appliedFrom": "/status",
            "decidedBy": "/etc/codex/managed_config.toml",
            "requested": "on-failure",
          },
          "network": {
            "applied": "enabled, Codex's managed proxy",
            "appliedFrom": "the runner's environment",
            "decidedBy": null,
            "requested": null,
          },
          "permissionProfile": {
            "applied": "theirs",
            "appliedFrom": "/status",
            "decidedBy": "/home/alice/work/azinstitute/.codex/config.toml",
            "requested": "theirs",
          },
          "sandbox": {
            "applied": null,
            "appliedFrom": null,
            "decidedBy": "/home/alice/work/azinstitute/.codex/config.toml",
            "requested": "permission profile "theirs"",
          },
        },
      }
    `);
  });

  it("only the exec header: the sandbox line, exec's approval and the network from it", () => {
    const f = healthyFacts();
    const exec = gathered({
      ...f.exec,
      header: { sandbox: "workspace-write [network access enabled]", approval: "never" },
    });
    expect(readLayerSettings(f.config, { ...nothing, exec }).settings).toMatchInlineSnapshot(`
      {
        "approval": {
          "applied": "never",
          "appliedFrom": "exec header (exec always reports never)",
          "decidedBy": "launcher -c",
          "requested": "never",
        },
        "network": {
          "applied": "enabled",
          "appliedFrom": "exec header",
          "decidedBy": "/home/alice/.codex/azi4a2-autonomous.config.toml",
          "requested": "enabled",
        },
        "permissionProfile": {
          "applied": null,
          "appliedFrom": null,
          "decidedBy": "/home/alice/.codex/azi4a2-autonomous.config.toml",
          "requested": "azi4a2-autonomous",
        },
        "sandbox": {
          "applied": "workspace-write [network access enabled]",
          "appliedFrom": "exec header",
          "decidedBy": "/home/alice/.codex/azi4a2-autonomous.config.toml",
          "requested": "permission profile "azi4a2-autonomous"",
        },
      }
    `);
  });
});

/** The healthy config with requirements.toml holding `data`. */
function withRequirements(config: ConfigFacts, data: Record<string, unknown>): ConfigFacts {
  config.system[2] = { path: "/etc/codex/requirements.toml", role: "requirements", exists: true, data };
  return config;
}

describe("the project's trust, as Codex's config loader decides it", () => {
  const REPOSITORY = "/home/alice/work";
  const MAIN = "/home/alice/main";
  const projectLine = (projects: Record<string, string>, trustRoots: string[]) => {
    const config = configFacts(
      {
        project: { approval_policy: "untrusted" },
        effective: {
          projects: Object.fromEntries(
            Object.entries(projects).map(([dir, level]) => [dir, { trust_level: level }]),
          ),
        },
      },
      [],
    );
    config.trustRoots = trustRoots;
    const reading = readLayerSettings(config, nothing);
    return [reading.layers[3], reading.settings.approval.decidedBy];
  };
  const LOADED = [
    `${PROJECT}/.codex/config.toml: loaded; sets approval_policy`,
    `${PROJECT}/.codex/config.toml`,
  ];
  const SKIPPED = [
    `${PROJECT}/.codex/config.toml: not loaded (the project is not trusted); sets approval_policy`,
    PROFILE_PATH,
  ];

  it("a trusted folder above that is neither the project root nor the main checkout (a trusted ~) trusts nothing", () => {
    expect(projectLine({ "/home/alice": "trusted" }, [])).toEqual(SKIPPED);
    expect(projectLine({ "/home/alice": "trusted" }, [REPOSITORY])).toEqual(SKIPPED);
  });

  it("the project root's or the main checkout's entry decides when the project has none", () => {
    expect(projectLine({ [REPOSITORY]: "trusted" }, [REPOSITORY])).toEqual(LOADED);
    expect(projectLine({ [MAIN]: "trusted" }, [REPOSITORY, MAIN])).toEqual(LOADED);
  });

  it("the first entry found decides: the project's own untrusted stands over a trusted repository", () => {
    expect(projectLine({ [PROJECT]: "untrusted", [REPOSITORY]: "trusted" }, [REPOSITORY])).toEqual(SKIPPED);
    expect(projectLine({ [REPOSITORY]: "untrusted", [MAIN]: "trusted" }, [REPOSITORY, MAIN])).toEqual(
      SKIPPED,
    );
    expect(projectLine({ [PROJECT]: "trusted", [REPOSITORY]: "untrusted" }, [REPOSITORY])).toEqual(LOADED);
  });
});

describe("requirements.toml and the profile", () => {
  const profileOf = (config: ConfigFacts, runtime: RuntimeFacts = nothing) => {
    const reading = readLayerSettings(config, runtime);
    return {
      requested: reading.settings.permissionProfile.requested,
      decidedBy: reading.settings.permissionProfile.decidedBy,
      conflicts: reading.conflicts.map((c) => c.text),
    };
  };

  it("an allowlist that names the user's profile keeps it, whatever default_permissions the requirements set", () => {
    const config = withRequirements(healthyFacts().config, {
      allowed_permission_profiles: { "azi4a2-autonomous": true, forced: true },
      default_permissions: "forced",
    });
    expect(profileOf(config)).toEqual({
      requested: "azi4a2-autonomous",
      decidedBy: PROFILE_PATH,
      conflicts: [],
    });
  });

  it("an allowlist that leaves the profile out without a default of its own forces nothing this reading can name", () => {
    const config = withRequirements(healthyFacts().config, { allowed_permission_profiles: { forced: true } });
    expect(profileOf(config)).toEqual({
      requested: "azi4a2-autonomous",
      decidedBy: PROFILE_PATH,
      conflicts: [],
    });
  });

  it("requirements that leave the profile out, and the launches still ran the user's profile: the requirement shows overridden", () => {
    const f = healthyFacts();
    const config = withRequirements(healthyFacts().config, {
      allowed_permission_profiles: { forced: true },
      default_permissions: "forced",
    });
    const judged = (permissionProfile: string) =>
      readLayerSettings(config, {
        ...nothing,
        runner: gathered({ ...f.runner, permissionProfile }),
      }).conflicts.map((c) => [c.text, c.overridden]);
    const text =
      '/etc/codex/requirements.toml (allowed_permission_profiles leaves "azi4a2-autonomous" out) forces default_permissions = "forced"';
    expect(judged("azi4a2-autonomous")).toEqual([[text, true]]);
    expect(judged("forced")).toEqual([[text, false]]);
  });

  it("no layer asks for a profile: the requirements' default decides, with no conflict (nothing of the user's is overruled)", () => {
    const config = withRequirements(configFacts({ profile: null, effective: {} }, []), {
      allowed_permission_profiles: { forced: true },
      default_permissions: "forced",
    });
    expect(profileOf(config)).toEqual({
      requested: "forced",
      decidedBy: "/etc/codex/requirements.toml",
      conflicts: [],
    });
  });

  it("a managed allowlist makes Codex use permission profiles: the user's legacy keys are overridden with no launch to show it", () => {
    const config = withRequirements(
      configFacts({
        base: { sandbox_mode: "workspace-write", sandbox_workspace_write: { network_access: true } },
        effective: {},
      }),
      { allowed_permission_profiles: { forced: true }, default_permissions: "forced" },
    );
    const legacy = readLayerSettings(config, nothing).conflicts.filter((c) => c.setting === "sandbox");
    expect(legacy.map((c) => [c.text, c.overridden, c.hazard.split(";")[0]])).toEqual([
      [
        '/home/alice/.codex/config.toml sets sandbox_mode = "workspace-write"',
        true,
        "ignored while /etc/codex/requirements.toml's allowed_permission_profiles makes Codex use permission profiles",
      ],
      [
        "/home/alice/.codex/config.toml sets sandbox_workspace_write",
        true,
        "ignored while /etc/codex/requirements.toml's allowed_permission_profiles makes Codex use permission profiles",
      ],
    ]);
  });

  it("without an allowlist the legacy keys are judged by what ran: any permission profile overrides them, none leaves them in force", () => {
    const f = healthyFacts();
    const config = withRequirements(
      configFacts({ base: { sandbox_mode: "workspace-write", default_permissions: "other" }, effective: {} }),
      { default_permissions: "forced" },
    );
    const judged = (permissionProfile: string | null) =>
      readLayerSettings(config, {
        ...nothing,
        runner: gathered({ ...f.runner, permissionProfile }),
      }).conflicts.map((c) => [c.text, c.overridden]);
    // Another profile than the user's ran: the legacy key and the base's default_permissions did not take effect.
    expect(judged("forced")).toEqual([
      ['/home/alice/.codex/config.toml sets sandbox_mode = "workspace-write"', true],
      ['/home/alice/.codex/config.toml sets default_permissions = "other"', true],
    ]);
    expect(judged(null)).toEqual([
      ['/home/alice/.codex/config.toml sets sandbox_mode = "workspace-write"', false],
      ['/home/alice/.codex/config.toml sets default_permissions = "other"', true],
    ]);
    expect(judged("other")).toEqual([
      ['/home/alice/.codex/config.toml sets sandbox_mode = "workspace-write"', true],
      ['/home/alice/.codex/config.toml sets default_permissions = "other"', false],
    ]);
  });
});

describe("the layers above the profile", () => {
  it("legacy keys in a trusted project, the launcher's -c and a managed layer: no 'plain codex start' hazard, the profile is loaded under them", () => {
    const config = configFacts(
      {
        profile: { default_permissions: "mine", permissions: { mine: {} } },
        project: { sandbox_mode: "read-only", default_permissions: "theirs" },
        effective: { projects: { [PROJECT]: { trust_level: "trusted" } } },
      },
      ['sandbox_mode="danger-full-access"'],
    );
    config.system[1] = {
      path: "/etc/codex/managed_config.toml",
      role: "managed",
      exists: true,
      data: { sandbox_workspace_write: { network_access: true }, default_permissions: "mine" },
    };
    const reading = readLayerSettings(config, nothing);
    expect(reading.conflicts.map((c) => [c.text, c.overridden, c.hazard.split(" (")[0]])).toEqual([
      [
        '/home/alice/work/azinstitute/.codex/config.toml sets sandbox_mode = "read-only"',
        null,
        "the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile",
      ],
      [
        '/home/alice/work/azinstitute/.codex/config.toml sets default_permissions = "theirs"',
        null,
        "where this layer decides",
      ],
      [
        'launcher -c sets sandbox_mode = "danger-full-access"',
        null,
        "the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile",
      ],
      [
        "/etc/codex/managed_config.toml sets sandbox_workspace_write",
        null,
        "the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile",
      ],
    ]);
    expect(reading.conflicts[1]?.hazard).toBe(
      'where this layer decides (a start without this layer above it), Codex runs "theirs" instead of "mine"',
    );
  });
});

describe("what the launches applied", () => {
  const f = healthyFacts();
  const withStatus = (permissions: string): RuntimeFacts => ({
    ...nothing,
    tui: gathered({ ...f.tui, permissions }),
    exec: gathered({ ...f.exec, header: { approval: "never", sandbox: "read-only" } }),
  });

  it("/status names the profile only at the start of its value, and a value without a closing parenthesis gives no approval", () => {
    const settings = readLayerSettings(
      f.config,
      withStatus("Custom (Profile azi4a2-autonomous (workspace), never)"),
    ).settings;
    expect(settings.permissionProfile.applied).toBeNull();
    expect([settings.approval.applied, settings.approval.appliedFrom]).toEqual([
      "never",
      "exec header (exec always reports never)",
    ]);
  });

  it("/status's approval is the last parenthesis at the end of the value, trailing spaces allowed", () => {
    const settings = readLayerSettings(
      f.config,
      withStatus("Custom (read-only) (workspace with network access, on-request)  "),
    ).settings;
    expect([settings.approval.applied, settings.approval.appliedFrom]).toEqual(["on-request", "/status"]);
  });

  it("an exec run that printed no header shows nothing applied", () => {
    const settings = readLayerSettings(f.config, {
      ...nothing,
      exec: gathered({ ...f.exec, header: null }),
    }).settings;
    expect([settings.sandbox.applied, settings.approval.applied, settings.network.applied]).toEqual([
      null,
      null,
      null,
    ]);
  });

  it("an exec header without network access enabled: the network is disabled", () => {
    const exec = gathered({ ...f.exec, header: { sandbox: "workspace-write [workdir]", approval: "never" } });
    expect(readLayerSettings(f.config, { ...nothing, exec }).settings.network).toEqual({
      requested: "enabled",
      decidedBy: PROFILE_PATH,
      applied: "disabled",
      appliedFrom: "exec header",
    });
  });
});

describe("what the layers request", () => {
  it("the profile's network with [features] network_proxy on (a table or a bare true): Codex's managed proxy", () => {
    for (const proxy of [{ enabled: true }, true]) {
      const config = configFacts({ effective: { ...effectiveConfig(), features: { network_proxy: proxy } } });
      expect(readLayerSettings(config, nothing).settings.network.requested).toBe(
        "enabled, Codex's managed proxy",
      );
    }
    const off = configFacts({
      effective: { ...effectiveConfig(), features: { network_proxy: { enabled: false } } },
    });
    expect(readLayerSettings(off, nothing).settings.network.requested).toBe("enabled");
  });

  it("no profile and no sandbox_mode anywhere: nothing requests a sandbox", () => {
    const config = configFacts({ base: {}, profile: null, effective: {} }, []);
    expect(readLayerSettings(config, nothing).settings.sandbox).toEqual({
      requested: null,
      decidedBy: null,
      applied: null,
      appliedFrom: null,
    });
  });
});
