// fs.profile_rules, entry by entry: each verdict a `none`, `read` or `write` entry can get from what the runner
// saw, with the line it says and the fix it gives (the healthy facts' six entries, one outcome changed per row).
import fsProfileRules from "../../checks/fs/profile_rules.js";
import type { FactValues } from "../../src/core/model.js";
import { CODEX_HOME, PROJECT } from "../fixtures/facts/healthy.js";
import { testCheck } from "./rule-tester.js";

type RuleOutcome = NonNullable<FactValues["runner"]["rules"]>[number];

const VENDOR = "/opt/codex/node_modules/@openai/codex-linux-x64/vendor";
const AUTH = `${CODEX_HOME}/auth.json`;
const MARKER = `${PROJECT}/.codex-smoke-rule-0123456789ab-3`;
const AUTH_RULE = '"~/.codex/auth.json" = "none"';
const WRITE_RULE = '":workspace_roots" "." = "write"';
const VENDOR_RULE = `"${VENDOR}" = "read"`;
const opened = { ok: true };
const refused = (code: string) => ({ ok: false, code });

/** Replaces the outcome of the healthy plan's rule at `index` (0 :minimal, 1 vendor, 2 auth.json, 3 ".", 4 .codex). */
function outcomeOf(index: number, change: (rule: RuleOutcome) => void) {
  return (f: FactValues) => {
    const rule = f.runner.rules?.[index];
    if (rule) change(rule);
  };
}

const ENTRY_FIX = {
  none: "nothing more specific (a `read` or `write` entry, a `--add-dir`) may open what it denies; deny a secrets folder by its path",
  read: "it must not lie inside a writable root (a `--add-dir`, or a more specific `write` entry), and no `none` entry may hide it",
  write: "its folder must be one the sandboxed user can write, bound to the host (not a throw-away layer)",
};

testCheck(fsProfileRules, {
  valid: [
    {
      name: "a deny entry refused as EPERM or as not there (ENOENT) holds, an odd open beside them is named",
      facts: outcomeOf(2, (rule) => {
        rule.read = [
          { path: AUTH, open: refused("EPERM") },
          { path: `${CODEX_HOME}/other.json`, open: refused("ENOENT") },
          { path: `${CODEX_HOME}/odd.json`, open: refused("EIO") },
        ];
      }),
      status: "pass",
      evidence: `${AUTH_RULE}: holds: refused: auth.json EPERM, other.json ENOENT; ${CODEX_HOME}/odd.json: EIO`,
    },
    {
      name: "a deny glob with no file at launch: only the file made after launch, which was not created",
      facts: outcomeOf(2, (rule) => {
        rule.read = [];
        rule.create = { path: `${PROJECT}/x.env`, write: refused("EACCES"), readBack: refused("ENOENT") };
      }),
      status: "pass",
      evidence: `${AUTH_RULE}: holds: created after launch: not created (EACCES)`,
    },
    {
      name: "a read entry with no file to open but one to write: only the write refused (ENOENT counts)",
      facts: outcomeOf(1, (rule) => {
        rule.read = [];
        rule.append = { path: `${VENDOR}/NOTICE.md`, open: refused("ENOENT") };
      }),
      status: "pass",
      evidence: `${VENDOR_RULE}: holds: NOTICE.md not writable (ENOENT)`,
    },
    {
      name: "a read entry probed by creating a file, which is refused: holds",
      facts: outcomeOf(1, (rule) => {
        rule.append = null;
        rule.create = { path: `${VENDOR}/new`, write: refused("EROFS"), readBack: refused("ENOENT") };
      }),
      status: "pass",
      evidence: `${VENDOR_RULE}: holds: NOTICE.md readable; new not writable (EROFS)`,
    },
    {
      name: "a read entry with two files: both named readable",
      facts: outcomeOf(1, (rule) => {
        rule.read = [
          { path: `${VENDOR}/NOTICE.md`, open: opened },
          { path: `${VENDOR}/LICENSE`, open: opened },
        ];
      }),
      status: "pass",
      evidence: `${VENDOR_RULE}: holds: NOTICE.md, LICENSE readable; NOTICE.md not writable (EROFS)`,
    },
    {
      name: "a write entry probed by appending to a file that opens",
      facts: outcomeOf(3, (rule) => {
        rule.create = null;
        rule.append = { path: `${PROJECT}/README.md`, open: opened };
      }),
      status: "pass",
      observedIs: "6 of 6 entries of [permissions.azi4a2-autonomous] hold",
      evidence: `${WRITE_RULE}: holds: ${PROJECT}/README.md opens for writing`,
    },
    {
      name: "a write entry with neither a file to append to nor one to create has nothing to test",
      facts: outcomeOf(3, (rule) => {
        rule.create = null;
      }),
      status: "pass",
      observedIs: "5 of 6 entries of [permissions.azi4a2-autonomous] hold (1 with nothing to test)",
      evidence: `${WRITE_RULE}: nothing to test`,
    },
    {
      name: "an entry the host planned no probe for and gave no reason: nothing to test",
      facts: (f) => {
        const rule = f.profileRules.rules[5];
        if (rule) Object.assign(rule, { probe: null, note: null });
        f.runner.rules = f.runner.rules?.slice(0, 5);
      },
      status: "pass",
      evidence: `":workspace_roots" "www.azinstitute4autism.com" = "read": nothing to test`,
    },
  ],
  invalid: [
    {
      name: "a deny entry whose only open failed oddly: could not tell, every odd open named",
      facts: outcomeOf(2, (rule) => {
        rule.read = [
          { path: AUTH, open: refused("EIO") },
          { path: `${CODEX_HOME}/b.json`, open: { ok: false } },
        ];
      }),
      status: "error",
      observedIs: `could not test: ${AUTH_RULE}: could not tell: ${AUTH}: EIO; ${CODEX_HOME}/b.json: failed`,
    },
    {
      name: "two denied files that open: both named, the deny entry's fix",
      facts: outcomeOf(2, (rule) => {
        rule.read = [
          { path: AUTH, open: opened },
          { path: `${CODEX_HOME}/b.json`, open: opened },
        ];
      }),
      status: "fail",
      observedIs: `${AUTH_RULE}: ${AUTH}, ${CODEX_HOME}/b.json opened inside`,
      remediation: `Make \`${AUTH_RULE}\` hold: ${ENTRY_FIX.none}.`,
    },
    {
      name: "a deny glob whose file made after launch is readable, none present at launch, not on the host",
      facts: outcomeOf(2, (rule) => {
        rule.read = [];
        rule.create = { path: `${PROJECT}/x.env`, write: opened, readBack: opened };
      }),
      status: "warn",
      observedIs: `${AUTH_RULE}: ${PROJECT}/x.env, created after launch, is readable inside`,
    },
    {
      name: "a read entry whose file was created inside and reached the host: the read entry's fix",
      facts: (f) => {
        outcomeOf(1, (rule) => {
          rule.append = null;
          rule.create = { path: `${VENDOR}/new`, write: opened, readBack: opened };
        })(f);
        f.sideEffects.ruleWrites?.push({ path: `${VENDOR}/new`, landed: true });
      },
      status: "fail",
      observedIs: `${VENDOR_RULE}: ${VENDOR}/new was created inside and on the host`,
      remediation: `Make \`${VENDOR_RULE}\` hold: ${ENTRY_FIX.read}.`,
    },
    {
      name: "a read entry whose file was created inside only",
      facts: outcomeOf(1, (rule) => {
        rule.append = null;
        rule.create = { path: `${VENDOR}/new`, write: opened, readBack: opened };
      }),
      status: "fail",
      observedIs: `${VENDOR_RULE}: ${VENDOR}/new was created inside`,
    },
    {
      name: "a read entry's file failed to open with no errno: said as failed",
      facts: outcomeOf(1, (rule) => {
        rule.read = [{ path: `${VENDOR}/NOTICE.md`, open: { ok: false } }];
      }),
      status: "fail",
      observedIs: `${VENDOR_RULE}: ${VENDOR}/NOTICE.md cannot be opened inside (failed)`,
      remediation: `Make \`${VENDOR_RULE}\` hold: ${ENTRY_FIX.read}.`,
    },
    {
      name: "a read entry with no write probe at all: could not tell",
      facts: outcomeOf(1, (rule) => {
        rule.append = null;
      }),
      status: "error",
      observedIs: `could not test: ${VENDOR_RULE}: could not tell whether it is writable: no file to try`,
    },
    {
      name: "a write entry probed by appending to a file that does not open: the write entry's fix",
      facts: outcomeOf(3, (rule) => {
        rule.create = null;
        rule.append = { path: `${PROJECT}/README.md`, open: refused("EROFS") };
      }),
      status: "fail",
      observedIs: `${WRITE_RULE}: ${PROJECT}/README.md does not open for writing (EROFS)`,
      remediation: `Make \`${WRITE_RULE}\` hold: ${ENTRY_FIX.write}.`,
    },
    {
      name: "a write that landed only under another path is not on the host",
      facts: (f) => {
        f.sideEffects.ruleWrites = [{ path: `${PROJECT}/elsewhere`, landed: true }];
      },
      status: "fail",
      observedIs: `${WRITE_RULE}: ${MARKER} was written inside but is not on the host: the write went to a throw-away layer`,
    },
    {
      name: "no record of writes reaching the host: not on the host",
      facts: (f) => {
        f.sideEffects.ruleWrites = undefined;
      },
      status: "fail",
      observed: "was written inside but is not on the host",
    },
    {
      name: "a probed entry the runner has no outcome for",
      facts: (f) => {
        f.runner.rules = f.runner.rules?.slice(0, 5);
      },
      status: "error",
      observedIs: `could not test: ":workspace_roots" "www.azinstitute4autism.com" = "read": not probed`,
    },
    {
      name: "a broken entry under a legacy sandbox flag: the fix removes the flag",
      facts: (f) => {
        outcomeOf(2, (rule) => {
          rule.read = [{ path: AUTH, open: opened }];
        })(f);
        const exec = f.launcher.observed.exec;
        if (exec) exec.parsed.legacyFlags = ["--sandbox workspace-write"];
      },
      status: "fail",
      observed: `${AUTH} opened inside`,
      remediation:
        "Remove `--sandbox workspace-write` from the launcher (see launcher.flags): Codex enforces it instead of the permission profile, whose rules then apply.",
    },
  ],
});
