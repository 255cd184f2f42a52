// biome-ignore-all lint/suspicious/noTemplateCurlyInString: launcher lines and fixes quote shell syntax
// launcher.integrity over recorded facts: the runner's append probes of the files the host chose, the launcher's
// hidden arguments from the static read, and in a live session the host's hashes at staging against judging.

import { describe, expect, it } from "vitest";
import launcherIntegrity from "../../checks/launcher/integrity.js";
import { runCheck } from "../../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../../src/core/expectations.js";
import { brokenSetup, type FactValues } from "../../src/core/model.js";
import { healthyFacts, LAUNCHER, PROFILE_PATH, PROJECT } from "../fixtures/facts/healthy.js";
import { factsOf, testCheck } from "./rule-tester.js";

const ok = { ok: true };
const READ_RULE = `Add "codex-auto" = "read" to [permissions.azi4a2-autonomous.filesystem.":workspace_roots"] in ${PROFILE_PATH}.`;
const HIDDEN = {
  line: 29,
  flag: "branch on $CODEX_SMOKE_RUN",
  text: '[ -n "${CODEX_SMOKE_RUN:-}" ] || extra=(--dangerously-bypass-approvals-and-sandbox)',
};

/** The seed README's setup: the launcher lies in the writable project, no read rule. */
function writable(f: FactValues): void {
  f.runner.launcherFiles = [{ path: LAUNCHER, append: ok, folderWritable: ok, mount: null }];
}

/** A live session judged now, with what changed since `probe --stage`. */
function live(f: FactValues, changed: FactValues["staging"]["changed"]): void {
  f.staging.flow = "live";
  f.staging.changed = changed;
}

testCheck(launcherIntegrity, {
  valid: [
    {
      name: "read rule: the launcher is a read-only mount of its own",
      status: "pass",
      observedIs: "cannot be changed inside: codex-auto; no hidden arguments",
      evidence: [
        "codex-auto: append EROFS, folder writable, a read-only mount of its own",
        "codex-auto:9: Codex's arguments follow $CODEX_PROFILE (a written default: the observed launches show its value)",
      ],
    },
    {
      name: "not writable and its folder read-only (no mount needed)",
      facts: (f) => {
        f.runner.launcherFiles = [
          {
            path: LAUNCHER,
            append: { ok: false, code: "EACCES" },
            folderWritable: { ok: false, code: "EROFS" },
            mount: null,
          },
        ];
      },
      status: "pass",
      evidence: "codex-auto: append EACCES, folder not writable (EROFS), no mount of its own",
    },
    {
      name: "a live session in which nothing changed",
      facts: (f) => live(f, []),
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "writable inside: warn with the profile line that fixes it",
      facts: writable,
      status: "warn",
      observedIs: "codex-auto can be changed inside the sandbox: it opens for append",
      evidence: "codex-auto: append ok, folder writable, no mount of its own",
      remediation: READ_RULE,
    },
    {
      name: "writable inside, and --expect makes it a failure",
      facts: writable,
      expect: { launcherIntegrity: "fail" },
      status: "fail",
      observed: "codex-auto can be changed inside the sandbox",
    },
    {
      name: "read-only but replaceable: its folder is writable and no mount protects it",
      facts: (f) => {
        f.runner.launcherFiles = [
          { path: LAUNCHER, append: { ok: false, code: "EACCES" }, folderWritable: ok, mount: null },
        ];
      },
      status: "warn",
      observedIs:
        "codex-auto can be changed inside the sandbox: its folder is writable and it is no mount of its own, so it can be replaced (append: EACCES)",
      remediation: READ_RULE,
    },
    {
      name: "a writable mount of its own (a write rule) opens for append",
      facts: (f) => {
        f.runner.launcherFiles = [{ path: LAUNCHER, append: ok, folderWritable: ok, mount: "rw" }];
      },
      status: "warn",
      evidence: "codex-auto: append ok, folder writable, a writable mount of its own",
    },
    {
      name: "a project file the launcher sources is writable: its own rule, the launcher's holds",
      facts: (f) => {
        const lib = `${PROJECT}/scripts/env.sh`;
        f.staging.launcherFiles = [LAUNCHER, lib];
        f.runner.launcherFiles.push({ path: lib, append: ok, folderWritable: ok, mount: null });
      },
      status: "warn",
      observedIs: "scripts/env.sh can be changed inside the sandbox: it opens for append",
      remediation: `Add "scripts/env.sh" = "read" to [permissions.azi4a2-autonomous.filesystem.":workspace_roots"] in ${PROFILE_PATH}.`,
    },
    {
      name: "a launcher outside the project: an absolute rule in the filesystem table",
      facts: (f) => {
        f.staging.launcherFiles = ["/opt/launchers/codex-auto"];
        f.runner.launcherFiles = [
          { path: "/opt/launchers/codex-auto", append: ok, folderWritable: ok, mount: null },
        ];
      },
      status: "warn",
      observed: "/opt/launchers/codex-auto can be changed inside the sandbox",
      remediation: `Add "/opt/launchers/codex-auto" = "read" to [permissions.azi4a2-autonomous.filesystem] in ${PROFILE_PATH}.`,
    },
    {
      name: "the permission profile's name comes from default_permissions",
      facts: (f) => {
        writable(f);
        f.config.effective.default_permissions = "locked";
      },
      status: "warn",
      remediation: `Add "codex-auto" = "read" to [permissions.locked.filesystem.":workspace_roots"] in ${PROFILE_PATH}.`,
    },
    {
      name: "Codex's arguments branch on an environment variable: warn with file and line",
      facts: (f) => {
        f.launcher.static.hidden = [HIDDEN];
      },
      status: "warn",
      observedIs: `codex-auto:29: branch on $CODEX_SMOKE_RUN: ${HIDDEN.text}`,
      remediation:
        "Write Codex's arguments into the launcher as text: no `$(…)`, `eval` or branch on an environment variable (a written default used as a value, such as `${CODEX_PROFILE:-azi4a2-autonomous}`, is fine).",
    },
    {
      name: "writable and hidden: both, each with its fix",
      facts: (f) => {
        writable(f);
        f.launcher.static.hidden = [HIDDEN, { line: 30, flag: "$(…)", text: "x=$(cat flags)" }];
      },
      status: "warn",
      observedIs: "codex-auto can be changed inside the sandbox: it opens for append (and 2 more)",
      evidence: "codex-auto:30: $(…): x=$(cat flags)",
      remediation: `${READ_RULE.slice(0, -1)}; write Codex's arguments into the launcher as text: no \`$(…)\`, \`eval\` or branch on an environment variable (a written default used as a value, such as \`\${CODEX_PROFILE:-azi4a2-autonomous}\`, is fine).`,
    },
    {
      name: "live session: the launcher changed between staging and judging fails, whatever --expect says",
      facts: (f) => live(f, [{ path: LAUNCHER, before: "a".repeat(64), after: "b".repeat(64) }]),
      expect: { launcherIntegrity: "warn" },
      status: "fail",
      observedIs: `${LAUNCHER} changed during the live session (sha256 aaaaaaaaaaaa at staging, sha256 bbbbbbbbbbbb now)`,
    },
    {
      name: "live session: the profile file removed",
      facts: (f) => live(f, [{ path: PROFILE_PATH, before: "a".repeat(64), after: null }]),
      status: "fail",
      observed: "(sha256 aaaaaaaaaaaa at staging, gone or not a file now)",
    },
    {
      name: "live session: judged with another launcher than the one staged",
      facts: (f) => {
        live(f, []);
        f.staging.otherLauncher = "/home/alice/other/codex-auto";
      },
      status: "fail",
      observedIs:
        "the session was staged with /home/alice/other/codex-auto, not with the launcher judged now",
    },
    {
      name: "no runner report: could not test",
      missing: { runner: "Codex timed out before the runner reported" },
      status: "error",
      observedIs: "could not test: Codex timed out before the runner reported",
    },
    {
      name: "no runner report, but the text hides arguments: that is a finding",
      facts: (f) => {
        f.launcher.static.hidden = [HIDDEN];
      },
      missing: { runner: "Codex timed out before the runner reported" },
      status: "warn",
      observed: "branch on $CODEX_SMOKE_RUN",
    },
    {
      name: "a report without the probe of a file the host chose: could not test",
      facts: (f) => {
        f.runner.launcherFiles = [];
      },
      status: "error",
      observedIs: "could not test: the runner's report has no probe of codex-auto",
    },
    {
      name: "a probe of a file the host did not choose counts for nothing",
      facts: (f) => {
        f.runner.launcherFiles = [
          { path: `${PROJECT}/other`, append: { ok: false, code: "EROFS" }, folderWritable: ok, mount: "ro" },
        ];
      },
      status: "error",
      observed: "has no probe of codex-auto",
    },
    {
      name: "no staging record: could not test",
      missing: { staging: "not needed" },
      status: "error",
      observedIs: "could not test: not needed",
    },
  ],
});

describe("launcher.integrity with a Codex release too old for the setup", () => {
  it("fails with the release's one line and the upgrade, not could-not-test (root cause first)", () => {
    const values = healthyFacts();
    values.launcher.static.hidden = [HIDDEN];
    const cause = "Codex 0.133.0 cannot load permission profiles; this setup needs 0.139 or newer";
    const breaks = {
      expected: "a Codex release that loads permission profiles",
      remediation: "Upgrade Codex.",
    };
    const facts = {
      ...factsOf(values),
      runner: brokenSetup(cause, breaks),
      staging: brokenSetup(cause, breaks),
    };
    const result = runCheck(launcherIntegrity, facts, { expect: DEFAULT_EXPECTATIONS });
    expect([result.status, result.observed, result.remediation]).toEqual(["fail", cause, "Upgrade Codex."]);
  });
});
