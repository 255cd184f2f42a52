import {
  type LayerConflict,
  type LayerReading,
  readLayerSettings,
  SETTING_NAMES,
} from "../../src/audit/settings.js";
import { defineCheck, outcome } from "../../src/core/define-check.js";
import { legacyFlagFix } from "../_in-effect.js";

const LABEL = {
  sandbox: "sandbox",
  approval: "approval",
  permissionProfile: "permission profile",
  network: "network",
};

function settingLines(reading: LayerReading): string[] {
  return SETTING_NAMES.map((name) => {
    const s = reading.settings[name];
    const requested = s.requested === null ? "not set" : `${s.requested} (${s.decidedBy})`;
    const applied =
      s.appliedFrom === null ? "not seen in a launch" : `${s.applied ?? "none"} (${s.appliedFrom})`;
    return `${LABEL[name]}: requested ${requested}; applied ${applied}`;
  });
}

const REMOVE_LEGACY =
  "Remove `sandbox_mode` and `[sandbox_workspace_write]` from every config layer (and any other `default_permissions`): the permission profile alone should decide the sandbox.";

const FIND_LAYER =
  "Find the layer that decides: managed requirements (/etc/codex/requirements.toml, cloud or MDM) can force a profile the user's files do not name.";

/** The fix for the conflicts seen, each as its layer sets it: a fix never names a setting no layer has. */
const removeSeen = (conflicts: readonly LayerConflict[]): string =>
  `Remove what would replace the permission profile (${conflicts.map((c) => c.text).join("; ")}): the permission profile alone should decide the sandbox.`;

export default defineCheck({
  id: "config.layers",
  title: "One config layer decides, none conflicts",
  claim:
    "Which config layer decides sandbox, approval, permission profile and network; a conflicting setting the launches show overridden is `warn`, one that takes effect `fail`.",
  needs: ["config"],
  // What the launches applied: the profile inside the sandbox, /status, the exec header, the network inside.
  // The launcher: a legacy flag that ran another sandbox than any layer asks for.
  uses: ["runner", "tui", "exec", "network", "launcher"],
  run({ config, runner, tui, exec, network, launcher }, _ctx) {
    const reading = readLayerSettings(config, { runner, tui, exec, network });
    const expected =
      "the layers ask for one permission profile, the launches run it, and nothing that would replace it is set anywhere";
    const evidence = [...settingLines(reading), ...reading.layers];
    const profile = reading.settings.permissionProfile;
    const conflictLines = reading.conflicts.map((c) =>
      c.overridden === true
        ? `${c.text}: overridden; latent: ${c.hazard}`
        : `${c.text}: ${c.overridden === false ? "in force" : "no launch showed whether it applies"}`,
    );
    const ranOther =
      profile.appliedFrom !== null && profile.requested !== null && profile.applied !== profile.requested;
    if (ranOther) {
      const ran = profile.applied === null ? "no permission profile" : `"${profile.applied}"`;
      const inForce = reading.conflicts.filter((c) => c.overridden === false);
      const cause = inForce[0]?.text;
      const fix = cause ? removeSeen(inForce) : (legacyFlagFix(launcher) ?? FIND_LAYER);
      return {
        ...outcome(
          "fail",
          expected,
          `the launches ran ${ran} (${profile.appliedFrom}), not "${profile.requested}" (${profile.decidedBy})${cause ? `: ${cause} took effect` : ""}`,
          [...conflictLines, ...evidence],
        ),
        remediation: fix,
      };
    }
    const unconfirmed = reading.conflicts.find((c) => c.overridden !== true);
    if (unconfirmed) {
      return {
        ...outcome(
          "fail",
          expected,
          `${unconfirmed.text}: ${unconfirmed.overridden === false ? `took effect (${unconfirmed.hazard})` : "no launch showed the profile in force over it"}`,
          [...conflictLines, ...evidence],
        ),
        remediation: unconfirmed.text.includes("forces default_permissions")
          ? "Ask whoever manages requirements.toml to allow the profile (`allowed_permission_profiles`), or select one it allows."
          : removeSeen([unconfirmed]),
      };
    }
    const overridden = reading.conflicts[0];
    if (overridden) {
      const inForce = `"${profile.applied}" in force per ${profile.appliedFrom}`;
      return {
        ...outcome(
          "warn",
          expected,
          `${overridden.text}: harmless with this release and --profile (${inForce}); latent: ${overridden.hazard}`,
          [...conflictLines, ...evidence],
        ),
        remediation:
          overridden.setting === "network"
            ? "Remove the legacy `[network_proxy]` table; turn the managed proxy on with `[features] network_proxy = true`."
            : removeSeen(reading.conflicts.filter((c) => c.setting === overridden.setting)),
      };
    }
    if (profile.requested === null)
      return outcome(
        "skip",
        expected,
        "no permission profile is requested (config.profile reports it): nothing for the layers to override",
        evidence,
      );
    if (profile.appliedFrom === null) {
      // Why no launch showed it, in the engine's words for a missing fact (a release too old, a refusal, …).
      for (const [name, fact] of Object.entries({ runner, tui, exec })) {
        if (fact.ok) continue;
        // The setup itself cannot run (a release too old for it): every claim is broken, as the engine says.
        if (fact.breaks) {
          const broken = outcome("fail", fact.breaks.expected, fact.error, [fact.error]);
          return { ...broken, remediation: fact.breaks.remediation };
        }
        return outcome("error", expected, `could not test: ${name}: ${fact.error}`, evidence);
      }
      return outcome(
        "error",
        expected,
        "could not test: no launch showed which permission profile is in force",
        evidence,
      );
    }
    return outcome(
      "pass",
      expected,
      `"${profile.requested}" decides (${profile.decidedBy}) and is in force (${profile.appliedFrom}); nothing conflicts`,
      evidence,
    );
  },
  remediation: REMOVE_LEGACY,
});
