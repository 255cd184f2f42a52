import hostSandbox from "../../checks/host/sandbox.js";
import launcherFlags from "../../checks/launcher/flags.js";
import type { FactValues } from "../../src/core/model.js";
import { configFacts, effectiveConfig, LAUNCHER_OVERRIDES } from "../fixtures/facts/healthy.js";
import { testCheck } from "./rule-tester.js";

testCheck(hostSandbox, {
  valid: [
    {
      name: "bubblewrap runs",
      status: "pass",
      expected: "`codex sandbox` runs a command (exit 0)",
      observed: "sandbox usable, exit 0",
      evidence: ["/opt/codex/node_modules/.bin/codex (codex-cli 0.169.0)"],
    },
  ],
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
      observed:
        "could not test: sandbox unusable (exit 1): bwrap: Creating new namespace failed: No space left on device",
      evidence: [
        "/opt/codex/node_modules/.bin/codex (codex-cli 0.169.0)",
        "bwrap: Creating new namespace failed: No space left on device",
        "Error: sandbox command exited with 1",
      ],
    },
    {
      name: "the line that says what went wrong, not the first",
      facts: (f) => {
        f.hostSandbox.usable = false;
        f.hostSandbox.exitCode = 1;
        f.hostSandbox.output = "setting up\nbwrap: setting up uid map: Permission denied";
      },
      status: "error",
      observed: "could not test: sandbox unusable (exit 1): bwrap: setting up uid map: Permission denied",
    },
    {
      name: "no line says why: the first",
      facts: (f) => {
        f.hostSandbox.usable = false;
        f.hostSandbox.exitCode = 2;
        f.hostSandbox.output = "usage: codex sandbox\nmore";
      },
      status: "error",
      observed: "could not test: sandbox unusable (exit 2): usage: codex sandbox",
    },
    {
      name: "killed, silent",
      facts: (f) => {
        f.hostSandbox.usable = false;
        f.hostSandbox.exitCode = null;
      },
      status: "error",
      observedIs: "could not test: sandbox unusable (exit none)",
      evidence: ["/opt/codex/node_modules/.bin/codex (codex-cli 0.169.0)"],
    },
  ],
});

/** The parsed argv of an observed launch (what the launcher really passed Codex). */
const parsed = (f: FactValues, kind: "exec" | "tui") => {
  const launch = f.launcher.observed[kind];
  if (!launch) throw new Error(`no observed ${kind} launch in the fixture`);
  return launch.parsed;
};

/** config.toml (and no profile file) selects the permissions profile `name`. */
const defaultPermissions = (f: FactValues, name: string) => {
  const base = { default_permissions: name };
  f.config = configFacts({ base, profile: null, effective: { ...effectiveConfig(), ...base } });
};

testCheck(launcherFlags, {
  valid: [
    {
      name: "README launcher, observed exec and TUI argv",
      status: "pass",
      expected: "--profile azi4a2-autonomous, no legacy sandbox flags",
      observed: "--profile azi4a2-autonomous, no legacy flags",
      evidence: [
        "exec argv: --profile azi4a2-autonomous, 5 -c overrides, legacy flags: none",
        "tui argv: --profile azi4a2-autonomous, 5 -c overrides, legacy flags: none",
      ],
    },
    {
      name: "the harness's own -c are not counted as the launcher's",
      facts: (f) => {
        parsed(f, "tui").overrides.push(
          { key: "model_provider", raw: 'model_provider="codex_smoke_mock"' },
          {
            key: "model_providers.codex_smoke_mock.base_url",
            raw: "model_providers.codex_smoke_mock.base_url=x",
          },
          { key: "model", raw: 'model="mock-model"' },
          {
            key: 'projects."/home/alice/work/azinstitute".trust_level',
            raw: "projects.x.trust_level=trusted",
          },
          { key: "profiles.work.model", raw: 'profiles.work.model="o3"' },
          { key: "modelx", raw: "modelx=1" },
        );
      },
      status: "pass",
      evidence: "tui argv: --profile azi4a2-autonomous, 7 -c overrides, legacy flags: none",
    },
    {
      name: "a TLS finding is evidence, not a legacy flag",
      facts: (f) => {
        f.launcher.static.findings.push({
          line: 12,
          flag: "NODE_TLS_REJECT_UNAUTHORIZED=0",
          text: "export NODE_TLS_REJECT_UNAUTHORIZED=0",
        });
      },
      status: "pass",
      evidence: "/home/alice/work/azinstitute/codex-auto:12: export NODE_TLS_REJECT_UNAUTHORIZED=0",
    },
    {
      name: "-c default_permissions spaced and quoted, naming the profile's own",
      facts: (f) => {
        parsed(f, "exec").overrides.push({
          key: "default_permissions",
          raw: 'default_permissions = "azi4a2-autonomous"',
        });
      },
      status: "pass",
    },
    {
      name: "-c without a value is not a default_permissions",
      facts: (f) => {
        parsed(f, "exec").overrides.push({ key: "default_permissionsx", raw: "default_permissionsx" });
      },
      status: "pass",
    },
    {
      name: "no profile file: config.toml's default_permissions is the one a -c may repeat",
      facts: (f) => {
        const base = { default_permissions: "azi4a2-autonomous" };
        f.config = configFacts({ base, profile: null, effective: { ...effectiveConfig(), ...base } });
        parsed(f, "exec").overrides.push({
          key: "default_permissions",
          raw: "default_permissions='azi4a2-autonomous'",
        });
      },
      status: "pass",
    },
    {
      // Codex reads a -c value that is not TOML (quotes inside, not around it) as the text itself.
      name: "-c default_permissions with a quoted part at its end, as the files name it: the files' own",
      facts: (f) => {
        defaultPermissions(f, "o'brien'");
        parsed(f, "exec").overrides.push({ key: "default_permissions", raw: "default_permissions=o'brien'" });
      },
      status: "pass",
    },
    {
      name: "-c default_permissions with a quoted part at its start, as the files name it: the files' own",
      facts: (f) => {
        defaultPermissions(f, "'o'brien");
        parsed(f, "exec").overrides.push({ key: "default_permissions", raw: "default_permissions='o'brien" });
      },
      status: "pass",
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
      evidence: [
        "exec launch passes --sandbox workspace-write",
        "exec argv: --profile azi4a2-autonomous, 5 -c overrides, legacy flags: --sandbox workspace-write",
        "tui argv: --profile azi4a2-autonomous, 5 -c overrides, legacy flags: none",
        '/home/alice/work/azinstitute/codex-auto:39: exec "$codex_bin" exec --sandbox workspace-write "$@"',
      ],
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
      remediation:
        "In the launcher, select `--profile azi4a2-autonomous` (exec launch selects profile azi4a2-autonomus, expected azi4a2-autonomous).",
    },
    {
      name: "no profile selected",
      facts: (f) => {
        parsed(f, "exec").profile = null;
      },
      status: "fail",
      observed: "exec launch selects no profile",
      evidence: "exec argv: --profile (none), 5 -c overrides, legacy flags: none",
      remediation: "In the launcher, pass `--profile azi4a2-autonomous`.",
    },
    {
      name: "-c default_permissions spaced, naming a built-in",
      facts: (f) => {
        parsed(f, "exec").overrides.push({
          key: "default_permissions",
          raw: 'default_permissions = ":workspace"',
        });
      },
      status: "fail",
      observed: 'exec launch passes -c default_permissions = ":workspace"',
    },
    {
      name: "no default_permissions in any file: a -c default_permissions is not the files' choice",
      facts: (f) => {
        f.config.profile = { path: f.config.profile.path, role: "profile", exists: false };
        f.config.base = { path: f.config.base.path, role: "base", exists: false };
        parsed(f, "exec").overrides.push({
          key: "default_permissions",
          raw: 'default_permissions="azi4a2-autonomous"',
        });
      },
      status: "fail",
      observed: 'exec launch passes -c default_permissions="azi4a2-autonomous"',
    },
    {
      name: "two legacy flags in one launch",
      facts: (f) => {
        parsed(f, "exec").legacyFlags.push("--full-auto", "--add-dir /srv");
      },
      status: "fail",
      evidence:
        "exec argv: --profile azi4a2-autonomous, 5 -c overrides, legacy flags: --full-auto --add-dir /srv",
      // Neither is on a line of the launcher read statically: no line to name.
      remediation:
        "In the launcher, remove `--full-auto`, `--add-dir /srv`: they replace the permission profile.",
    },
    {
      name: "a legacy flag on two lines of the launcher: both lines, and no other flag's",
      facts: (f) => {
        parsed(f, "exec").legacyFlags.push("--sandbox workspace-write");
        f.launcher.static.findings.push(
          { line: 39, flag: "--sandbox", text: 'exec "$codex_bin" exec --sandbox workspace-write "$@"' },
          { line: 50, flag: "--full-auto", text: 'exec "$codex_bin" --full-auto "$@"' },
          { line: 52, flag: "--sandbox", text: 'exec "$codex_bin" --sandbox workspace-write "$@"' },
        );
      },
      status: "fail",
      remediation:
        "In the launcher, remove `--sandbox workspace-write` (line 39, 52): it replaces the permission profile.",
    },
    {
      name: "a legacy flag and a misspelt profile: both steps, the removal first",
      facts: (f) => {
        parsed(f, "exec").legacyFlags.push("--full-auto");
        parsed(f, "tui").profile = "azi4a2-autonomus";
      },
      status: "fail",
      remediation:
        "In the launcher, remove `--full-auto`: it replaces the permission profile; select `--profile azi4a2-autonomous` (tui launch selects profile azi4a2-autonomus, expected azi4a2-autonomous).",
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
      evidence: [
        "launcher selects no profile (Codex then runs with sandbox read-only, or without the profile)",
        "no launch was observed: read statically",
      ],
    },
    {
      name: "static only: -c default_permissions in the launcher",
      facts: (f) => {
        f.launcher.observed = {};
        f.launcher.static.overrides.push({
          key: "default_permissions",
          raw: "default_permissions=':workspace'",
          line: 40,
        });
      },
      status: "fail",
      observed: "launcher passes -c default_permissions=':workspace' (line 40)",
    },
    {
      name: "static only: every legacy flag on its line",
      facts: (f) => {
        f.launcher.observed = {};
        f.launcher.static.findings = [
          "--sandbox",
          "-s",
          "--full-auto",
          "--dangerously-bypass-approvals-and-sandbox",
          "--approve-for-me",
          "--add-dir",
          "-c sandbox_mode",
          "-c sandbox_workspace_write",
        ].map((flag, i) => ({ line: 40 + i, flag, text: `codex ${flag}` }));
      },
      status: "fail",
      observed: "launcher passes --sandbox (line 40)",
      remediation:
        "In the launcher, remove `--sandbox` (line 40), `-s` (line 41), `--full-auto` (line 42), `--dangerously-bypass-approvals-and-sandbox` (line 43), `--approve-for-me` (line 44), `--add-dir` (line 45), `-c sandbox_mode` (line 46), `-c sandbox_workspace_write` (line 47): they replace the permission profile.",
      evidence: [
        "launcher passes --sandbox (line 40)",
        "launcher passes -s (line 41)",
        "launcher passes --full-auto (line 42)",
        "launcher passes --dangerously-bypass-approvals-and-sandbox (line 43)",
        "launcher passes --approve-for-me (line 44)",
        "launcher passes --add-dir (line 45)",
        "launcher passes -c sandbox_mode (line 46)",
        "launcher passes -c sandbox_workspace_write (line 47)",
        "no launch was observed: read statically",
        "/home/alice/work/azinstitute/codex-auto:40: codex --sandbox",
        "/home/alice/work/azinstitute/codex-auto:41: codex -s",
        "/home/alice/work/azinstitute/codex-auto:42: codex --full-auto",
        "/home/alice/work/azinstitute/codex-auto:43: codex --dangerously-bypass-approvals-and-sandbox",
        "/home/alice/work/azinstitute/codex-auto:44: codex --approve-for-me",
        "/home/alice/work/azinstitute/codex-auto:45: codex --add-dir",
        "/home/alice/work/azinstitute/codex-auto:46: codex -c sandbox_mode",
        "/home/alice/work/azinstitute/codex-auto:47: codex -c sandbox_workspace_write",
      ],
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
      observed: "--full-auto on line 50, not used by the observed launches",
      evidence: [
        "exec argv: --profile azi4a2-autonomous, 5 -c overrides, legacy flags: none",
        "tui argv: --profile azi4a2-autonomous, 5 -c overrides, legacy flags: none",
        '/home/alice/work/azinstitute/codex-auto:50: [ "$1" = auto ] && exec "$CODEX_BIN" --full-auto "$@"',
      ],
    },
  ],
});
