// The fs checks' per-finding fixes: the rule the profile has, spelled as it has it, or nothing of the profile's
// when the profile has no rule to blame (then the check's general remediation stands: a fix never names a rule the
// setup lacks, issue 23).
import { describe, expect, it } from "vitest";
import { denyKey } from "../../checks/_profile.js";
import fsAuthJson from "../../checks/fs/auth_json.js";
import fsCredentials from "../../checks/fs/credentials.js";
import fsGitRead from "../../checks/fs/git_read.js";
import fsGitWrite from "../../checks/fs/git_write.js";
import fsHomeEphemeral from "../../checks/fs/home_ephemeral.js";
import fsOutsideRoots from "../../checks/fs/outside_roots.js";
import fsProjectWrite from "../../checks/fs/project_write.js";
import fsReadonlyPaths from "../../checks/fs/readonly_paths.js";
import type { FactValues } from "../../src/core/model.js";
import { CODEX_HOME, HOME, PROJECT } from "../fixtures/facts/healthy.js";
import { testCheck } from "./rule-tester.js";

/** The effective permission profile's filesystem table (the checks read the effective config). */
function rules(f: FactValues): Record<string, unknown> {
  const permissions = f.config.effective.permissions as Record<
    string,
    { filesystem: Record<string, unknown> }
  >;
  return (permissions["azi4a2-autonomous"] as { filesystem: Record<string, unknown> }).filesystem;
}
const roots = (f: FactValues) => rules(f)[":workspace_roots"] as Record<string, unknown>;

/** The workspace table under its older name, `":project_roots"`. */
function projectRoots(f: FactValues): Record<string, unknown> {
  const table = roots(f);
  rules(f)[":project_roots"] = table;
  delete rules(f)[":workspace_roots"];
  return table;
}

/** No permission profile selected: the profile has no filesystem table to name. */
const noProfile = (f: FactValues) => {
  delete f.config.effective.default_permissions;
};

const gitCommitted = (f: FactValues) => {
  f.runner.git.commit = { ok: true };
};

testCheck(fsGitWrite, {
  valid: [],
  invalid: [
    {
      name: '.git = "write" under the workspace roots: that rule changed to read',
      facts: (f) => {
        gitCommitted(f);
        roots(f)[".git"] = "write";
      },
      status: "fail",
      observedIs: "git commit succeeded",
      remediation:
        'Change `".git" = "write"` to `".git" = "read"` under `":workspace_roots"` in the profile\'s filesystem table (or drop it: Codex keeps .git read-only by itself).',
    },
    {
      name: '.git = "write" under ":project_roots": the fix names that table',
      facts: (f) => {
        gitCommitted(f);
        projectRoots(f)[".git"] = "write";
      },
      status: "fail",
      remediation:
        'Change `".git" = "write"` to `".git" = "read"` under `":project_roots"` in the profile\'s filesystem table (or drop it: Codex keeps .git read-only by itself).',
    },
    {
      name: '.git = "read" yet committed: no rule to blame, the general fix',
      facts: (f) => {
        gitCommitted(f);
        roots(f)[".git"] = "read";
      },
      status: "fail",
      remediation: fsGitWrite.remediation,
    },
    {
      name: "no rule for .git: nothing of the profile's named",
      facts: gitCommitted,
      status: "fail",
      remediation: fsGitWrite.remediation,
    },
    {
      name: "no permission profile selected: the general fix",
      facts: (f) => {
        gitCommitted(f);
        noProfile(f);
      },
      status: "fail",
      remediation: fsGitWrite.remediation,
    },
  ],
});

const authOpened = (f: FactValues) => {
  for (const entry of f.runner.authJson) entry.open = { ok: true };
};

testCheck(fsAuthJson, {
  valid: [],
  invalid: [
    {
      name: "opened while the profile denies it and nothing makes it readable: the general fix",
      facts: authOpened,
      status: "fail",
      observedIs: `${CODEX_HOME}/auth.json opened inside the sandbox`,
      remediation: fsAuthJson.remediation,
    },
    {
      name: "opened, the config not gathered: the general fix",
      facts: authOpened,
      missing: { config: "not read" },
      status: "fail",
      remediation: fsAuthJson.remediation,
    },
  ],
});

testCheck(fsGitRead, {
  valid: [],
  invalid: [
    {
      name: "git log failed with no filesystem table: the general fix",
      facts: (f) => {
        f.runner.git.log = { ok: false, code: "exit:128" };
        noProfile(f);
      },
      status: "fail",
      observedIs: "git log failed: exit:128",
      remediation: fsGitRead.remediation,
    },
  ],
});

testCheck(fsProjectWrite, {
  valid: [],
  invalid: [
    {
      name: 'the write failed though "." = "write": no change to name, the general fix',
      facts: (f) => {
        f.runner.project.write = { ok: false, code: "EROFS" };
      },
      status: "fail",
      observedIs: "write failed: EROFS",
      remediation: fsProjectWrite.remediation,
    },
    {
      name: 'no "." rule: add it',
      facts: (f) => {
        f.runner.project.readBack = { ok: false, code: "ENOENT" };
        delete roots(f)["."];
      },
      status: "fail",
      observedIs: "read back failed: ENOENT",
      remediation: 'Under `":workspace_roots"` in the profile\'s filesystem table, add `"." = "write"`.',
    },
  ],
});

testCheck(fsHomeEphemeral, {
  valid: [],
  invalid: [
    {
      name: "persisted with no write rule in the profile: the general fix",
      facts: (f) => {
        f.sideEffects.persisted.push({ where: "home", path: `${HOME}/.codex-smoke-x` });
      },
      status: "fail",
      observedIs: `${HOME}/.codex-smoke-x persisted on the host`,
      remediation: fsHomeEphemeral.remediation,
    },
  ],
});

testCheck(fsReadonlyPaths, {
  valid: [],
  invalid: [
    {
      name: "both folders written: one step each, joined",
      facts: (f) => {
        for (const probe of f.runner.readonlyPaths) probe.write = { ok: true };
        roots(f)[".codex"] = "write";
        delete roots(f)["www.azinstitute4autism.com"];
      },
      status: "fail",
      remediation:
        'Under `":workspace_roots"` in the profile\'s filesystem table, change `".codex" = "write"` to `".codex" = "read"` and add `"www.azinstitute4autism.com" = "read"`.',
    },
  ],
});

testCheck(fsOutsideRoots, {
  valid: [],
  invalid: [
    {
      name: "a write outside persisted through a write rule covering it: that rule",
      facts: (f) => {
        f.sideEffects.persisted.push({ where: "outside", path: `${HOME}/work/.codex-smoke-x` });
        rules(f)[`${HOME}/work`] = "write";
        rules(f)["/srv"] = "write";
      },
      status: "fail",
      observedIs: `${HOME}/work/.codex-smoke-x persisted on the host`,
      remediation: `Drop \`"${HOME}/work" = "write"\` from the permission profile: it opens paths outside the project.`,
    },
    {
      name: "persisted where only a read rule covers it: the read rule is not blamed",
      facts: (f) => {
        f.sideEffects.persisted.push({ where: "outside", path: `${PROJECT}-copy/x` });
        rules(f)[`${PROJECT}-copy`] = "read";
      },
      status: "fail",
      remediation: fsOutsideRoots.remediation,
    },
  ],
});

const SSH_KEY = `${HOME}/.ssh/id_rsa`;
const sshKeyOpened = (f: FactValues) => {
  const entry = f.runner.credentialFiles?.find((e) => e.path === SSH_KEY);
  if (entry) entry.open = { ok: true };
};

testCheck(fsCredentials, {
  valid: [],
  invalid: [
    {
      name: "opened with the config not read: the entries are unknown, the deny names the file itself",
      facts: sshKeyOpened,
      missing: { config: "not read" },
      status: "fail",
      observedIs: `${SSH_KEY} (SSH private key) opened inside: the profile's entries are unknown (config not read)`,
      remediation: `Remove the entry that lets them be read (named above), or deny them in the profile's filesystem table: "${SSH_KEY}" = "none".`,
    },
    {
      name: "opened with no permission profile selected: said so, the deny names the key's folder",
      facts: (f) => {
        sshKeyOpened(f);
        noProfile(f);
      },
      status: "fail",
      observedIs: `${SSH_KEY} (SSH private key) opened inside: no permission profile is in effect`,
      remediation:
        'Remove the entry that lets them be read (named above), or deny them in the profile\'s filesystem table: "~/.ssh" = "none".',
    },
  ],
});

describe("denyKey: the profile key that denies a credential file", () => {
  it("a file in a folder under $HOME: that folder; under ~/.config: the tool's folder there", () => {
    expect(denyKey(`${HOME}/.ssh/id_rsa`, HOME)).toBe("~/.ssh");
    expect(denyKey(`${HOME}/.config/gcloud/credentials.db`, HOME)).toBe("~/.config/gcloud");
    expect(denyKey(`${HOME}/.config/gh`, HOME)).toBe("~/.config/gh");
  });

  it("a file right in $HOME: the file, as a ~ key", () => {
    expect(denyKey(`${HOME}/.npmrc`, HOME)).toBe("~/.npmrc");
    expect(denyKey(`${HOME}/..netrc`, HOME)).toBe("~/..netrc");
  });

  it("outside $HOME, or $HOME itself: the path as it is", () => {
    expect(denyKey("/etc/codex/config.toml", HOME)).toBe("/etc/codex/config.toml");
    expect(denyKey("/home/bob/.ssh/id_rsa", HOME)).toBe("/home/bob/.ssh/id_rsa");
    expect(denyKey("/home", HOME)).toBe("/home");
    expect(denyKey(HOME, HOME)).toBe(HOME);
  });
});
