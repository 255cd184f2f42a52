// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fix quotes shell syntax
// launcher.integrity: the fix it names when several files can be changed, or a legacy sandbox flag replaced the
// profile (then the flag goes first and only the read rules the profile lacks follow); what a live session's
// changes and a probe without an errno say; a staging record broken by the release when the runner only failed.
import { describe, expect, it } from "vitest";
import launcherIntegrity from "../../checks/launcher/integrity.js";
import { runCheck } from "../../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../../src/core/expectations.js";
import { brokenSetup, type FactValues } from "../../src/core/model.js";
import { healthyFacts, LAUNCHER, PROFILE_PATH, PROJECT } from "../fixtures/facts/healthy.js";
import { factsOf, testCheck } from "./rule-tester.js";

const ok = { ok: true };
const LEGACY_FIX =
  "Remove `--sandbox workspace-write` from the launcher (see launcher.flags): Codex enforces it instead of the permission profile, whose rules then apply";

/** Files the launcher runs, each writable inside (the launcher itself keeps its healthy read-only probe). */
function writableFiles(...paths: string[]) {
  return (f: FactValues) => {
    f.staging.launcherFiles = [LAUNCHER, ...paths];
    for (const path of paths)
      f.runner.launcherFiles.push({ path, append: ok, folderWritable: ok, mount: null });
  };
}

function legacyFlag(f: FactValues): void {
  const exec = f.launcher.observed.exec;
  if (exec) exec.parsed.legacyFlags = ["--sandbox workspace-write"];
}

/** Read rules the effective profile already has: in the project's table, or (absolute) in the filesystem table. */
function readRules(f: FactValues, inProject: string[], outside: string[]): void {
  // biome-ignore lint/suspicious/noExplicitAny: tests change the parsed TOML freely
  const filesystem = (f.config.effective as any).permissions["azi4a2-autonomous"].filesystem;
  for (const path of inProject) filesystem[":workspace_roots"][path] = "read";
  for (const path of outside) filesystem[path] = "read";
}

testCheck(launcherIntegrity, {
  valid: [],
  invalid: [
    {
      name: "two project files and two outside it: each group's rules in one list",
      facts: writableFiles(`${PROJECT}/a.sh`, `${PROJECT}/b.sh`, "/opt/x/c.sh", "/opt/x/d.sh"),
      status: "warn",
      observedIs: "a.sh can be changed inside the sandbox: it opens for append (and 3 more)",
      remediation: `Add "a.sh" = "read", "b.sh" = "read" to [permissions.azi4a2-autonomous.filesystem.":workspace_roots"] in ${PROFILE_PATH}; add "/opt/x/c.sh" = "read", "/opt/x/d.sh" = "read" to [permissions.azi4a2-autonomous.filesystem] in ${PROFILE_PATH}.`,
    },
    {
      name: "a legacy flag: removing it first, then only the rules the profile lacks (the launcher has its rule)",
      facts: (f) => {
        writableFiles(`${PROJECT}/a.sh`, "/opt/x/c.sh", "/opt/x/d.sh")(f);
        const launcher = f.runner.launcherFiles.find((probe) => probe.path === LAUNCHER);
        if (launcher) launcher.append = ok;
        readRules(f, ["codex-auto"], ["/opt/x/d.sh"]);
        legacyFlag(f);
      },
      status: "warn",
      observedIs: "codex-auto can be changed inside the sandbox: it opens for append (and 3 more)",
      remediation: `${LEGACY_FIX}; add "a.sh" = "read" to [permissions.azi4a2-autonomous.filesystem.":workspace_roots"] in ${PROFILE_PATH}; add "/opt/x/c.sh" = "read" to [permissions.azi4a2-autonomous.filesystem] in ${PROFILE_PATH}.`,
    },
    {
      name: "a legacy flag and only the launcher, whose rule the profile has: removing the flag is the whole fix",
      facts: (f) => {
        f.runner.launcherFiles = [{ path: LAUNCHER, append: ok, folderWritable: ok, mount: null }];
        readRules(f, ["codex-auto"], []);
        legacyFlag(f);
      },
      status: "warn",
      remediation: `${LEGACY_FIX}.`,
    },
    {
      name: "a legacy flag with only hidden arguments: the flag is not the fix for them",
      facts: (f) => {
        f.launcher.static.hidden = [{ line: 3, flag: "eval", text: 'eval "$ARGS"' }];
        legacyFlag(f);
      },
      status: "warn",
      observedIs: 'codex-auto:3: eval: eval "$ARGS"',
      remediation:
        "Write Codex's arguments into the launcher as text: no `$(…)`, `eval` or branch on an environment variable (a written default used as a value, such as `${CODEX_PROFILE:-azi4a2-autonomous}`, is fine).",
    },
    {
      name: "a probe that failed without an errno says failed",
      facts: (f) => {
        f.runner.launcherFiles = [{ path: LAUNCHER, append: { ok: false }, folderWritable: ok, mount: null }];
      },
      status: "warn",
      observedIs:
        "codex-auto can be changed inside the sandbox: its folder is writable and it is no mount of its own, so it can be replaced (append: failed)",
    },
    {
      name: "live session: two files changed, one unreadable at staging",
      facts: (f) => {
        f.staging.flow = "live";
        f.staging.changed = [
          { path: LAUNCHER, before: null, after: "a".repeat(64) },
          { path: PROFILE_PATH, before: "b".repeat(64), after: null },
        ];
      },
      status: "fail",
      observedIs: `${LAUNCHER} changed during the live session (unreadable at staging, sha256 aaaaaaaaaaaa now) (and 1 more)`,
      evidence: [
        `${LAUNCHER} changed during the live session (unreadable at staging, sha256 aaaaaaaaaaaa now)`,
        `${PROFILE_PATH} changed during the live session (sha256 bbbbbbbbbbbb at staging, gone or not a file now)`,
      ],
      remediation:
        "Something changed the launcher or the profile during the live session: look at what changed (git diff, the profile file), restore it, and stage again.",
    },
    {
      name: "one changeable file: its line is the observation, the evidence only the probes and the written default",
      facts: (f) => {
        f.runner.launcherFiles = [{ path: LAUNCHER, append: ok, folderWritable: ok, mount: null }];
      },
      status: "warn",
      expected:
        "the launcher and the project files it runs are read-only inside the sandbox; Codex's arguments are written in the launcher (no $(…), eval or branch on the environment)",
      evidence: [
        "codex-auto: append ok, folder writable, no mount of its own",
        "codex-auto:9: Codex's arguments follow $CODEX_PROFILE (a written default: the observed launches show its value)",
      ],
    },
    {
      name: "no file to probe: could not test",
      facts: (f) => {
        f.staging.launcherFiles = [];
        f.runner.launcherFiles = [];
      },
      status: "error",
      observedIs: "could not test: no launcher file to probe",
    },
  ],
});

describe("launcher.integrity when only the staging record is broken by the release", () => {
  it("the runner failed for its own reason: the staging record's cause and upgrade are the verdict", () => {
    const cause = "Codex 0.133.0 cannot load permission profiles; this setup needs 0.139 or newer";
    const breaks = {
      expected: "a Codex release that loads permission profiles",
      remediation: "Upgrade Codex.",
    };
    const facts = {
      ...factsOf(healthyFacts()),
      runner: { ok: false as const, error: "the runner's report is missing" },
      staging: brokenSetup(cause, breaks),
    };
    const result = runCheck(launcherIntegrity, facts, { expect: DEFAULT_EXPECTATIONS });
    expect([result.status, result.expected, result.observed, result.remediation]).toEqual([
      "fail",
      breaks.expected,
      cause,
      "Upgrade Codex.",
    ]);
    expect(result.evidence).toEqual([cause]);
  });
});
