// Which config layer decides each setting, what the launches applied, and the conflicts (src/audit/settings.ts),
// read in full for a few setups: the healthy one, one with every layer and requirement in play and a runtime that
// shows the legacy sandbox, and one where no launch showed anything. The whole reading is asserted: each line is
// what the report's target and config.layers/config.profile say.
import { describe, expect, it } from "vitest";
import { type RuntimeFacts, readLayerSettings } from "../../src/audit/settings.js";
import { type ConfigFacts, gathered, notGathered } from "../../src/core/model.js";
import { configFacts, effectiveConfig, healthyFacts, PROJECT } from "../fixtures/facts/healthy.js";

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
            "hazard": "a plain \`codex\` start (without --profile) would run the legacy sandbox instead of "azi4a2-autonomous", and the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile (sandbox_mode: auth.json and the whole disk readable under workspace-write)",
            "overridden": false,
            "setting": "sandbox",
            "text": "/etc/codex/config.toml sets sandbox_mode = "read-only"",
          },
          {
            "hazard": "a plain \`codex\` start (without --profile) would run the legacy sandbox instead of "azi4a2-autonomous", and the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile (sandbox_mode: auth.json and the whole disk readable under workspace-write)",
            "overridden": false,
            "setting": "sandbox",
            "text": "/home/alice/.codex/config.toml sets sandbox_mode = "workspace-write"",
          },
          {
            "hazard": "a plain \`codex\` start (without --profile) would run the legacy sandbox instead of "azi4a2-autonomous", and the documentation says a loaded sandbox_mode or [sandbox_workspace_write] replaces default_permissions, so a release that follows it would drop the profile (sandbox_workspace_write: auth.json and the whole disk readable under workspace-write)",
            "overridden": false,
            "setting": "sandbox",
            "text": "/home/alice/.codex/config.toml sets sandbox_workspace_write",
          },
          {
            "hazard": "where this layer decides (a start without --profile), Codex runs "other" instead of "azi4a2-autonomous"",
            "overridden": false,
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
        // The project's own file is loaded: a folder above it is trusted.
        project: { approval_policy: "untrusted" },
        effective: { projects: { "/home/alice": { trust_level: "trusted" } } },
      },
      [],
    );
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
