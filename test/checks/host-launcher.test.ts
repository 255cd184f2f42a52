import hostSandbox from "../../checks/host/sandbox.js";
import launcherFlags from "../../checks/launcher/flags.js";
import { configFacts, HARNESS_EXEC_ARGS, LAUNCHER_OVERRIDES } from "../fixtures/facts/healthy.js";
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

const appendSandbox = (argv: string[]) =>
  argv.splice(argv.indexOf("--skip-git-repo-check") + 1, 0, "--sandbox", "workspace-write");

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
        f.launcher.observed.exec?.argv.splice(1, 0, "-c", 'default_permissions="azi4a2-autonomous"');
      },
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "launcher appends --sandbox workspace-write (observed and on its line)",
      facts: (f) => {
        appendSandbox(f.launcher.observed.exec?.argv as string[]);
        f.launcher.lines = f.launcher.lines.map((l) =>
          l.includes('--skip-git-repo-check "$@"') ? l.replace('"$@"', '--sandbox workspace-write "$@"') : l,
        );
      },
      status: "fail",
      observed: "exec launch passes --sandbox workspace-write",
      evidence: "/home/alice/work/azinstitute/codex-auto:39: exec",
    },
    {
      name: "--dangerously-bypass-approvals-and-sandbox in the TUI launch",
      facts: (f) => {
        f.launcher.observed.tui?.argv.unshift("--dangerously-bypass-approvals-and-sandbox");
      },
      status: "fail",
      observed: "tui launch passes --dangerously-bypass-approvals-and-sandbox",
    },
    {
      name: "misspelt profile",
      facts: (f) => {
        const argv = f.launcher.observed.exec?.argv as string[];
        argv[argv.indexOf("--profile") + 1] = "azi4a2-autonomus";
      },
      status: "fail",
      observed: "selects profile azi4a2-autonomus",
    },
    {
      name: "no profile selected",
      facts: (f) => {
        f.launcher.observed = {
          exec: {
            argv: ["exec", "--skip-git-repo-check", ...HARNESS_EXEC_ARGS, "go"],
            cwd: "/p",
            envNames: [],
          },
        };
      },
      status: "fail",
      observed: "selects no profile",
    },
    {
      name: '-c default_permissions=":workspace" replaces the profile',
      facts: (f) => {
        f.launcher.observed.exec?.argv.splice(1, 0, "-c", 'default_permissions=":workspace"');
        f.config = configFacts({}, [...LAUNCHER_OVERRIDES, 'default_permissions=":workspace"']);
      },
      status: "fail",
      observed: '-c default_permissions=":workspace"',
    },
    {
      name: "static only: -c sandbox_mode in the launcher",
      facts: (f) => {
        f.launcher.observed = {};
        f.launcher.lines = f.launcher.lines.map((l) =>
          l.startsWith("overrides=(") ? `${l}\n  -c 'sandbox_mode="workspace-write"'` : l,
        );
        f.launcher.lines = f.launcher.lines.join("\n").split("\n");
      },
      status: "fail",
      observed: "-c sandbox_mode",
    },
    {
      name: "observed launches clean, but another branch passes --full-auto",
      facts: (f) => {
        f.launcher.lines.push('[ "$1" = auto ] && exec "$CODEX_BIN" --full-auto "$@"');
      },
      status: "warn",
      observed: "--full-auto",
    },
  ],
});
