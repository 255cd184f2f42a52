// config.layers: the per-setting lines its evidence opens with (what each layer asks for, what the launches
// applied), and the fix it names for the conflicts it saw: only those of the setting that conflicts.
import { describe, expect, it } from "vitest";
import configLayers from "../../checks/config/layers.js";
import { runCheck } from "../../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../../src/core/expectations.js";
import { brokenSetup, type FactValues } from "../../src/core/model.js";
import {
  CODEX_HOME,
  configFacts,
  effectiveConfig,
  healthyFacts,
  PROFILE_PATH,
  profileData,
} from "../fixtures/facts/healthy.js";
import { factsOf, testCheck } from "./rule-tester.js";

// biome-ignore lint/suspicious/noExplicitAny: tests change parsed TOML freely
type Table = Record<string, any>;

const SANDBOX_TOO = { sandbox_mode: "workspace-write", sandbox_workspace_write: { network_access: true } };

/** The launcher's -c sandbox_mode ran instead of the profile, /status and the exec header not seen. */
function launcherSandboxRan(f: FactValues): void {
  f.config = configFacts({ effective: { ...effectiveConfig(), sandbox_mode: "workspace-write" } }, [
    'sandbox_mode="workspace-write"',
  ]);
  f.runner.permissionProfile = null;
}

testCheck(configLayers, {
  valid: [
    {
      name: "the README setup: each setting's request and what the launches applied open the evidence",
      status: "pass",
      evidence: [
        `sandbox: requested permission profile "azi4a2-autonomous" (${PROFILE_PATH}); applied workspace-write [workdir] (network access enabled) (exec header)`,
        "approval: requested never (launcher -c); applied never (/status)",
        `permission profile: requested azi4a2-autonomous (${PROFILE_PATH}); applied azi4a2-autonomous (CODEX_PERMISSION_PROFILE inside the sandbox)`,
        `network: requested enabled (${PROFILE_PATH}); applied enabled (the runner's sockets)`,
        "/etc/codex/config.toml: absent",
        `${CODEX_HOME}/config.toml: loaded`,
        `${PROFILE_PATH}: loaded; sets default_permissions, approval_policy, [permissions.azi4a2-autonomous]`,
        "/home/alice/work/azinstitute/.codex/config.toml: absent",
        'launcher -c: approval_policy="never" mcp_servers.playwright.default_tools_approval_mode="approve" mcp_servers.playwright.tool_timeout_sec=300 mcp_servers.openaiDeveloperDocs.default_tools_approval_mode="approve" mcp_servers.openaiDeveloperDocs.tool_timeout_sec=300',
        "/etc/codex/managed_config.toml: absent",
        "/etc/codex/requirements.toml: absent",
      ],
    },
    {
      name: "no profile requested: its line says not set",
      facts: (f) => {
        const effective = effectiveConfig() as Table;
        delete effective.default_permissions;
        const profile = profileData() as Table;
        delete profile.default_permissions;
        f.config = configFacts({ profile, effective });
      },
      status: "skip",
      evidence: "permission profile: requested not set; applied",
    },
  ],
  invalid: [
    {
      name: "three overridden settings, two of them the sandbox's: the fix names those two, each as its layer sets it",
      facts: (f) => {
        f.config = configFacts({
          base: { ...SANDBOX_TOO, default_permissions: ":workspace" },
          effective: effectiveConfig(),
        });
      },
      status: "warn",
      evidence: `${CODEX_HOME}/config.toml sets default_permissions = ":workspace": overridden; latent: where this layer decides (a start without --profile), Codex runs ":workspace" instead of "azi4a2-autonomous"`,
      remediation: `Remove what would replace the permission profile (${CODEX_HOME}/config.toml sets sandbox_mode = "workspace-write"; ${CODEX_HOME}/config.toml sets sandbox_workspace_write): the permission profile alone should decide the sandbox.`,
    },
    {
      name: "a launcher -c sandbox_mode that ran: the fix removes it; a setting no launch showed says so",
      facts: launcherSandboxRan,
      missing: { tui: "not needed", exec: "not needed" },
      status: "fail",
      evidence: [
        'launcher -c sets sandbox_mode = "workspace-write": in force',
        `sandbox: requested permission profile "azi4a2-autonomous" (${PROFILE_PATH}); applied not seen in a launch`,
        `approval: requested never (${PROFILE_PATH}); applied not seen in a launch`,
        `permission profile: requested azi4a2-autonomous (${PROFILE_PATH}); applied none (CODEX_PERMISSION_PROFILE inside the sandbox)`,
        `network: requested enabled (${PROFILE_PATH}); applied enabled (the runner's sockets)`,
        "/etc/codex/config.toml: absent",
        `${CODEX_HOME}/config.toml: loaded`,
        `${PROFILE_PATH}: loaded; sets default_permissions, approval_policy, [permissions.azi4a2-autonomous]`,
        "/home/alice/work/azinstitute/.codex/config.toml: absent",
        'launcher -c: sandbox_mode="workspace-write"',
        "/etc/codex/managed_config.toml: absent",
        "/etc/codex/requirements.toml: absent",
      ],
      remediation:
        'Remove what would replace the permission profile (launcher -c sets sandbox_mode = "workspace-write"): the permission profile alone should decide the sandbox.',
    },
    {
      name: "a launcher sandbox_mode that ran beside an overridden [network_proxy]: the fix names only what took effect",
      facts: (f) => {
        launcherSandboxRan(f);
        f.config = configFacts(
          {
            base: { network_proxy: { enabled: true } },
            effective: { ...effectiveConfig(), sandbox_mode: "workspace-write" },
          },
          ['sandbox_mode="workspace-write"'],
        );
      },
      missing: { tui: "not needed", exec: "not needed" },
      status: "fail",
      observedIs: `the launches ran no permission profile (CODEX_PERMISSION_PROFILE inside the sandbox), not "azi4a2-autonomous" (${PROFILE_PATH}): launcher -c sets sandbox_mode = "workspace-write" took effect`,
      remediation:
        'Remove what would replace the permission profile (launcher -c sets sandbox_mode = "workspace-write"): the permission profile alone should decide the sandbox.',
    },
    {
      name: "a sandbox_mode no launch showed over: unconfirmed, a fail that removes it",
      facts: (f) => {
        f.config = configFacts({
          base: { sandbox_mode: "workspace-write" },
          effective: { ...effectiveConfig(), sandbox_mode: "workspace-write" },
        });
      },
      missing: { runner: "not run", tui: "not run", exec: "not run", network: "not run" },
      status: "fail",
      observedIs: `${CODEX_HOME}/config.toml sets sandbox_mode = "workspace-write": no launch showed the profile in force over it`,
      evidence: `${CODEX_HOME}/config.toml sets sandbox_mode = "workspace-write": no launch showed whether it applies`,
      remediation: `Remove what would replace the permission profile (${CODEX_HOME}/config.toml sets sandbox_mode = "workspace-write"): the permission profile alone should decide the sandbox.`,
    },
    {
      name: "the runner ran but could not tell the profile, /status not read: the first missing launch is named",
      facts: (f) => {
        delete (f.runner as { permissionProfile?: string | null }).permissionProfile;
      },
      missing: { tui: "Codex refused to start", exec: "not run", network: "not run" },
      status: "error",
      observedIs: "could not test: tui: Codex refused to start",
    },
    {
      name: "another profile ran with nothing to explain it: no cause named",
      facts: (f) => {
        f.runner.permissionProfile = "corp-locked";
      },
      status: "fail",
      observedIs: `the launches ran "corp-locked" (CODEX_PERMISSION_PROFILE inside the sandbox), not "azi4a2-autonomous" (${PROFILE_PATH})`,
    },
    {
      name: "requirements.toml forces its own profile: ask whoever manages it",
      facts: (f) => {
        const requirements = f.config.system[2];
        if (requirements) {
          requirements.exists = true;
          requirements.data = {
            default_permissions: ":workspace",
            allowed_permission_profiles: { ":workspace": true },
          };
        }
        f.runner.permissionProfile = ":workspace";
      },
      status: "fail",
      remediation:
        "Ask whoever manages requirements.toml to allow the profile (`allowed_permission_profiles`), or select one it allows.",
    },
  ],
});

describe("config.layers when the setup cannot run at all", () => {
  it("a release too old for the setup: the broken claim's expected line and the error as evidence", () => {
    const broken = brokenSetup("Codex 0.133.0 cannot load permission profiles", {
      expected: "a Codex release that can run this setup",
      remediation: "Upgrade Codex.",
    });
    const facts = { ...factsOf(healthyFacts()), runner: broken, tui: broken, exec: broken, network: broken };
    const result = runCheck(configLayers, facts, { expect: DEFAULT_EXPECTATIONS });
    expect([result.status, result.expected, result.evidence]).toEqual([
      "fail",
      "a Codex release that can run this setup",
      ["Codex 0.133.0 cannot load permission profiles"],
    ]);
  });
});
