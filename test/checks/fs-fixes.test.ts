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
import { judge } from "../../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../../src/core/expectations.js";
import type { FactValues } from "../../src/core/model.js";
import { CODEX_HOME, HOME, healthyFacts, PROJECT } from "../fixtures/facts/healthy.js";
import { authOpened, roots, rules } from "./profile-facts.js";
import { factsOf, testCheck } from "./rule-tester.js";

/** The workspace table under its older name, `":project_roots"`. */
function projectRoots(f: FactValues): Record<string, unknown> {
  const table = roots(f);
  rules(f)[":project_roots"] = table;
  delete rules(f)[":workspace_roots"];
  return table;
}

/** The effective permission profile's own table (`extends`, `network`). */
function profileOf(f: FactValues): Record<string, unknown> {
  const permissions = f.config.effective.permissions as Record<string, Record<string, unknown>>;
  return permissions["azi4a2-autonomous"] as Record<string, unknown>;
}

const canaryOpened = (f: FactValues) => {
  for (const read of f.runner.outside.reads) read.open = { ok: true };
};

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
    {
      name: 'denied as "deny" and nothing makes it readable: the general fix',
      facts: (f) => {
        authOpened(f);
        rules(f)["~/.codex/auth.json"] = "deny";
      },
      status: "fail",
      remediation: fsAuthJson.remediation,
    },
    {
      name: 'a "write" rule on the Codex home makes it readable: that rule, and the deny is there',
      facts: (f) => {
        authOpened(f);
        rules(f)["~/.codex"] = "write";
      },
      status: "fail",
      remediation:
        'In the profile\'s filesystem table, drop `"~/.codex" = "write"` (it makes auth.json readable).',
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
    {
      name: '.git = "deny": that rule, as spelled, to drop',
      facts: (f) => {
        f.runner.git.status = { ok: false, code: "exit:128" };
        roots(f)[".git"] = "deny";
      },
      status: "fail",
      remediation:
        'Drop `".git" = "deny"` under `":workspace_roots"` in the profile\'s filesystem table: git needs to read its metadata.',
    },
    {
      name: 'no "." rule: add the project\'s write rule',
      facts: (f) => {
        f.runner.git.diff = { ok: false, code: "exit:128" };
        delete projectRoots(f)["."];
      },
      status: "fail",
      remediation: 'Add `"." = "write"` under `":project_roots"` in the profile\'s filesystem table.',
    },
    {
      name: 'failed though "." = "write" and .git not denied: the general fix',
      facts: (f) => {
        f.runner.git.status = { ok: false, code: "exit:128" };
        roots(f)[".git"] = "read";
      },
      status: "fail",
      remediation: fsGitRead.remediation,
    },
    {
      name: 'failed though "." = "read": the project is readable, the general fix',
      facts: (f) => {
        f.runner.git.status = { ok: false, code: "exit:128" };
        roots(f)["."] = "read";
      },
      status: "fail",
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
    {
      name: "the write failed with no permission profile selected: the general fix",
      facts: (f) => {
        f.runner.project.remove = { ok: false, code: "EPERM" };
        noProfile(f);
      },
      status: "fail",
      observedIs: "remove failed: EPERM",
      remediation: fsProjectWrite.remediation,
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
    {
      name: "persisted: only the path rules are listed, not a built-in root's",
      facts: (f) => {
        f.sideEffects.persisted.push({ where: "home", path: `${HOME}/.codex-smoke-x` });
        rules(f)[":slash_tmp"] = "write";
        rules(f)["~"] = "write";
        rules(f)["/srv"] = "read";
      },
      status: "fail",
      remediation:
        'Drop the write rule that covers $HOME from the profile\'s filesystem table (it has `"~" = "write"`).',
    },
    {
      name: "persisted with two write rules: both listed",
      facts: (f) => {
        f.sideEffects.persisted.push({ where: "home", path: `${HOME}/.codex-smoke-x` });
        rules(f)["~"] = "write";
        rules(f)[HOME] = "write";
      },
      status: "fail",
      remediation: `Drop the write rule that covers $HOME from the profile's filesystem table (it has \`"~" = "write"\`, \`"${HOME}" = "write"\`).`,
    },
    {
      name: "the write failed while the profile has :minimal: nothing to add, the general fix",
      facts: (f) => {
        f.runner.home.readBack = { ok: false, code: "ENOENT" };
      },
      status: "warn",
      observedIs: "write under $HOME failed inside (ENOENT)",
      remediation: fsHomeEphemeral.remediation,
    },
    {
      name: "the write failed with no permission profile selected: the general fix",
      facts: (f) => {
        f.runner.home.write = { ok: false, code: "EROFS" };
        noProfile(f);
      },
      status: "warn",
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
    {
      name: "only the written folder is named, not one that held without a rule",
      facts: (f) => {
        const codex = f.runner.readonlyPaths.find((probe) => probe.path === ".codex");
        if (codex) codex.write = { ok: true };
        roots(f)[".codex"] = "write";
        delete roots(f)["www.azinstitute4autism.com"];
      },
      status: "fail",
      remediation:
        'Under `":workspace_roots"` in the profile\'s filesystem table, change `".codex" = "write"` to `".codex" = "read"`.',
    },
    {
      name: 'written though its rule is "read": no rule to change, the general fix',
      facts: (f) => {
        const codex = f.runner.readonlyPaths.find((probe) => probe.path === ".codex");
        if (codex) codex.write = { ok: true };
      },
      status: "fail",
      observedIs: ".codex: write succeeded",
      remediation: fsReadonlyPaths.remediation,
    },
    {
      name: "written with no permission profile selected: the general fix",
      facts: (f) => {
        for (const probe of f.runner.readonlyPaths) probe.write = { ok: true };
        noProfile(f);
      },
      status: "fail",
      remediation: fsReadonlyPaths.remediation,
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
    {
      name: 'a canary readable through a "write" rule and an extends: both to drop',
      facts: (f) => {
        canaryOpened(f);
        rules(f)["~"] = "write";
        profileOf(f).extends = ":workspace";
      },
      status: "fail",
      remediation:
        'Drop `"~" = "write"`, `extends = ":workspace"` from the permission profile: it opens paths outside the project.',
    },
    {
      name: "a canary readable with only an extends to blame: that extends",
      facts: (f) => {
        canaryOpened(f);
        profileOf(f).extends = ":read-only";
      },
      status: "fail",
      remediation:
        'Drop `extends = ":read-only"` from the permission profile: it opens paths outside the project.',
    },
    {
      name: "a canary readable, default_permissions not a name: no extends looked up, even under that key",
      facts: (f) => {
        canaryOpened(f);
        f.config.effective.default_permissions = 7;
        f.config.effective.permissions = { "7": { extends: ":workspace" } };
      },
      status: "fail",
      remediation: fsOutsideRoots.remediation,
    },
    {
      name: "a canary readable, the config not read: the general fix",
      facts: canaryOpened,
      missing: { config: "not read" },
      status: "fail",
      remediation: fsOutsideRoots.remediation,
    },
    {
      name: "a canary readable, no profile selected but an extends under some table: nothing looked up",
      facts: (f) => {
        canaryOpened(f);
        profileOf(f).extends = ":workspace";
        noProfile(f);
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

describe("fs.readonly_paths and the launch it explains", () => {
  it("a sandbox setup that failed on an absent read-only folder explains the exec launch's refusal", () => {
    const values = healthyFacts();
    values.exec.refused = `Error: bwrap: Can't find source path ${PROJECT}/www.azinstitute4autism.com: No such file or directory`;
    values.sideEffects.absentBefore = ["www.azinstitute4autism.com"];
    const judged = judge(fsReadonlyPaths, factsOf(values, { runner: "Codex refused to start" }), {
      expect: DEFAULT_EXPECTATIONS,
    });
    expect(judged.result.status).toBe("fail");
    expect(judged.explains).toEqual(["exec"]);
  });
});
