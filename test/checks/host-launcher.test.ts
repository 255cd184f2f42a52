import hostSandbox from "../../checks/host/sandbox.js";
import launcherFlags from "../../checks/launcher/flags.js";
import type { FactValues } from "../../src/model.js";
import { configFacts, effectiveConfig, LAUNCHER_OVERRIDES } from "../fixtures/facts/healthy.js";
import { testCheck } from "./rule-tester.js";

testCheck(hostSandbox, {
  valid: [{ name: "bubblewrap runs", status: "pass", observed: "usable" }],
  invalid: [
    {
      name: "user namespaces exhausted (decisions §14): could not test",
      facts: (f) => {
        f.hostSandbox.usable = false;
        f.hostSandbox.exitCode = 1;
        f.hostSandbox.output =
          "bwrap: Creating new namespace failed: No space left on device\nError: sandbox command exited with 1";
      },
      status: "error",
      observed: "Creating new namespace failed",
      evidence: "No space left on device",
    },
  ],
});

/** The parsed argv of an observed launch (what the launcher really passed Codex). */
const parsed = (f: FactValues, kind: "exec" | "tui") => {
  const launch = f.launcher.observed[kind];
  if (!launch) throw new Error(`no observed ${kind} launch in the fixture`);
  return launch.parsed;
};

testCheck(launcherFlags, {
  valid: [
    {
      name: "README launcher, observed exec and TUI argv",
      status: "pass",
      evidence: "exec argv: --profile azi4a2-autonomous",
    },
    {
      name: "no launch observed: the README launcher read statically",
      facts: (f) => {
        f.launcher.observed = {};
      },
      status: "pass",
      evidence: "read statically",
    },
    {
      name: "-c default_permissions naming the profile's own permissions",
      facts: (f) => {
        parsed(f, "exec").overrides.push({
          key: "default_permissions",
          raw: 'default_permissions="azi4a2-autonomous"',
        });
      },
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "launcher appends --sandbox workspace-write (observed and on its line)",
      facts: (f) => {
        parsed(f, "exec").legacyFlags.push("--sandbox workspace-write");
        f.launcher.static.findings.push({
          line: 39,
          flag: "--sandbox",
          text: 'exec "$codex_bin" exec --sandbox workspace-write "$@"',
        });
      },
      status: "fail",
      observed: "exec launch passes --sandbox workspace-write",
      evidence: "/home/alice/work/azinstitute/codex-auto:39: exec",
    },
    {
      name: "--dangerously-bypass-approvals-and-sandbox in the TUI launch",
      facts: (f) => {
        parsed(f, "tui").legacyFlags.push("--dangerously-bypass-approvals-and-sandbox");
      },
      status: "fail",
      observed: "tui launch passes --dangerously-bypass-approvals-and-sandbox",
    },
    {
      name: "misspelt profile",
      facts: (f) => {
        parsed(f, "exec").profile = "azi4a2-autonomus";
      },
      status: "fail",
      observed: "selects profile azi4a2-autonomus",
    },
    {
      name: "no profile selected",
      facts: (f) => {
        parsed(f, "exec").profile = null;
      },
      status: "fail",
      observed: "exec launch selects no profile",
    },
    {
      name: '-c default_permissions=":workspace" replaces the profile',
      facts: (f) => {
        parsed(f, "exec").overrides.push({
          key: "default_permissions",
          raw: 'default_permissions=":workspace"',
        });
        const effective = { ...effectiveConfig(), default_permissions: ":workspace" };
        f.config = configFacts({ effective }, [...LAUNCHER_OVERRIDES, 'default_permissions=":workspace"']);
      },
      status: "fail",
      observed: '-c default_permissions=":workspace"',
    },
    {
      name: "static only: no profile in the launcher",
      facts: (f) => {
        f.launcher.observed = {};
        f.launcher.static.profile = null;
      },
      status: "fail",
      observed: "launcher selects no profile",
    },
    {
      name: "static only: -c sandbox_mode in the launcher",
      facts: (f) => {
        f.launcher.observed = {};
        f.launcher.static.findings.push({
          line: 35,
          flag: "-c sandbox_mode",
          text: `-c 'sandbox_mode="workspace-write"'`,
        });
      },
      status: "fail",
      observed: "-c sandbox_mode",
    },
    {
      name: "observed launches clean, but another branch passes --full-auto",
      facts: (f) => {
        f.launcher.static.findings.push({
          line: 50,
          flag: "--full-auto",
          text: '[ "$1" = auto ] && exec "$CODEX_BIN" --full-auto "$@"',
        });
      },
      status: "warn",
      observed: "--full-auto on line 50",
    },
  ],
});
