import envSecrets from "../../checks/env/secrets.js";
import fsAuthJson from "../../checks/fs/auth_json.js";
import fsGitRead from "../../checks/fs/git_read.js";
import fsGitWrite from "../../checks/fs/git_write.js";
import fsHomeEphemeral from "../../checks/fs/home_ephemeral.js";
import fsOutsideRoots from "../../checks/fs/outside_roots.js";
import fsProjectWrite from "../../checks/fs/project_write.js";
import fsReadonlyPaths from "../../checks/fs/readonly_paths.js";
import netRegistry from "../../checks/net/registry.js";
import netTlsVerify from "../../checks/net/tls_verify.js";
import runnerReport from "../../checks/runner/report.js";
import type { FactValues } from "../../src/core/model.js";
import {
  attempt,
  CODEX_HOME,
  CONTROL_URL as CONTROL,
  HOME,
  PROJECT,
  REGISTRY_URL as REGISTRY,
} from "../fixtures/facts/healthy.js";
import { testCheck } from "./rule-tester.js";

const ok = { ok: true };
const HOST_NS = {
  user: "user:[4026531837]",
  mnt: "mnt:[4026531832]",
  pid: "pid:[4026531836]",
  net: "net:[4026531833]",
};

/** What the runner saw under `--dangerously-bypass-approvals-and-sandbox` (no bwrap: the host's own process). */
function fullAccess(f: FactValues): void {
  const r = f.runner;
  r.attestation = {
    namespaces: { ...HOST_NS },
    hostNamespaces: { ...HOST_NS },
    pid1: "/sbin/init",
    capEff: "000001ffffffffff",
    noNewPrivs: "0",
    seccomp: "0",
    rootMount: "ext4 rw",
  };
  for (const entry of r.authJson) entry.open = ok;
  r.git.writeDir = ok;
  r.git.add = ok;
  r.git.commit = ok;
  for (const entry of r.readonlyPaths) entry.write = ok;
  f.sideEffects = {
    persisted: [
      { where: "git", path: `${PROJECT}/.git/codex-smoke-0123456789ab` },
      { where: "readonly", path: `${PROJECT}/www.azinstitute4autism.com/codex-smoke-0123456789ab` },
      { where: "home", path: `${HOME}/.codex-smoke-0123456789ab` },
      { where: "outside", path: "/tmp/.codex-smoke-0123456789ab" },
    ],
    git: { headBefore: "3f1c2a9d", headAfter: "9e8d7c6b", probeCommit: true, markerStaged: true },
    restored: ["undid the probe's commit 9e8d7c6b (HEAD back to 3f1c2a9d)"],
    leftAlone: [],
    absentBefore: [],
  };
}

/** Legacy `--sandbox workspace-write`: auth.json readable, www writable, /tmp persisted, no network. */
function legacyWorkspaceWrite(f: FactValues): void {
  const r = f.runner;
  for (const entry of r.authJson) entry.open = ok;
  const www = r.readonlyPaths.find((p) => p.path === "www.azinstitute4autism.com");
  if (www) www.write = ok;
  f.sideEffects.persisted = [
    { where: "readonly", path: `${PROJECT}/www.azinstitute4autism.com/codex-smoke-0123456789ab` },
    { where: "outside", path: "/tmp/.codex-smoke-0123456789ab" },
  ];
  // Network off: sockets are refused outright (EPERM), so nothing resolves and nothing listens.
  const environment = f.network.report.environment;
  if (environment) environment.inetSocket = "EPERM";
  f.network.report.registry = [
    attempt("curl", REGISTRY, {
      curlExit: 6,
      message: "curl: (6) Could not resolve host: registry.example.invalid",
    }),
    attempt("fetch", REGISTRY, {
      errorCode: "EAI_AGAIN",
      message: "getaddrinfo EAI_AGAIN registry.example.invalid",
    }),
  ];
  f.network.report.tlsControl = { url: null, listenError: "EPERM", attempts: [] };
}

testCheck(runnerReport, {
  valid: [
    {
      name: "own namespaces, no capabilities",
      status: "pass",
      expected:
        "the runner's report, from inside Codex's sandbox: own user, mount and pid namespaces (compared with the host's own record), no capabilities, no new privileges",
      observed: "report received from inside the sandbox",
      evidence: [
        "nonce 0123456789ab matched",
        "namespaces inside: user:[4026532178] mnt:[4026532250] pid:[4026532252]; host (its record at staging): user:[4026531837] mnt:[4026531832] pid:[4026531836]",
        "pid 1: codex-linux-sandbox",
        "CapEff=0000000000000000 NoNewPrivs=1 Seccomp=2 (seccomp is evidence only)",
        "root mount: tmpfs rw",
        `node v20.20.2, uid 0, cwd ${PROJECT}, started 2026-11-24T11:13:36.055Z, 48 ms`,
      ],
    },
    {
      name: "0.150 with network on: no seccomp filter, still Codex's sandbox",
      facts: (f) => {
        f.runner.attestation.seccomp = "0";
      },
      status: "pass",
      evidence: "Seccomp=0",
    },
    {
      name: "started at the very start or end of the window",
      facts: (f) => {
        f.runner.startedAt = f.staging.window.from;
      },
      status: "pass",
    },
    {
      name: "started at the very end of the window",
      facts: (f) => {
        f.runner.startedAt = f.staging.window.to;
      },
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "danger-full-access",
      facts: fullAccess,
      status: "fail",
      observedIs:
        "the runner ran unsandboxed: shares the host's user, mnt, pid namespaces; effective capabilities 000001ffffffffff; NoNewPrivs=0",
    },
    {
      name: "compared with the host's record, never with the report's copy: a copy made to differ is a forgery",
      facts: (f) => {
        // A report written on the host, claiming the host's namespaces were others.
        f.runner.attestation.namespaces = { ...HOST_NS };
        f.runner.attestation.hostNamespaces = {
          ...HOST_NS,
          user: "user:[1]",
          mnt: "mnt:[2]",
          pid: "pid:[3]",
        };
      },
      status: "fail",
      observedIs:
        "the report is not this staging's: its copy of the host's user, mnt, pid namespaces is not the host's record",
    },
    {
      name: "a report whose copy matches the record but that ran in the host's namespaces",
      facts: (f) => {
        f.runner.attestation.namespaces = { ...HOST_NS };
        f.staging.hostNamespaces = { ...HOST_NS };
      },
      status: "fail",
      observedIs: "the runner ran unsandboxed: shares the host's user, mnt, pid namespaces",
    },
    {
      name: "a report without the host's namespaces (an input the host did not stage)",
      facts: (f) => {
        f.runner.attestation.hostNamespaces = null;
      },
      status: "fail",
      observed: "its copy of the host's user, mnt, pid namespaces is not the host's record",
    },
    {
      name: "an earlier report with its nonce replaced: it started before this staging",
      facts: (f) => {
        f.runner.startedAt = "2026-11-24T11:13:34.999Z";
      },
      status: "fail",
      observedIs:
        "the report is not this staging's: it started at 2026-11-24T11:13:34.999Z, outside 2026-11-24T11:13:35.000Z – 2026-11-24T11:13:40.000Z",
    },
    {
      name: "a report dated after judging began",
      facts: (f) => {
        f.runner.startedAt = "2026-11-24T11:13:40.001Z";
      },
      status: "fail",
      observed: "it started at 2026-11-24T11:13:40.001Z, outside",
    },
    {
      name: "a report with no valid start time",
      facts: (f) => {
        f.runner.startedAt = "yesterday";
      },
      status: "fail",
      observed: "it has no valid start time (yesterday)",
    },
    {
      name: "a copy of the host's namespaces that differs and no valid start time: both said",
      facts: (f) => {
        f.runner.attestation.hostNamespaces = { ...HOST_NS, pid: "pid:[3]" };
        f.runner.startedAt = "yesterday";
      },
      status: "fail",
      observedIs:
        "the report is not this staging's: its copy of the host's pid namespaces is not the host's record; it has no valid start time (yesterday)",
    },
    {
      name: "no host record: could not test (never the report's own copy)",
      missing: { staging: "not staged" },
      status: "error",
      observedIs: "could not test: no host record: not staged",
      // Without the record nothing of the report can be judged, so none of it is shown.
      evidence: [],
    },
    {
      name: "the host's own namespace unreadable at staging: could not test",
      facts: (f) => {
        f.staging.hostNamespaces.mnt = null;
        f.runner.attestation.hostNamespaces = { ...HOST_NS, mnt: null };
      },
      status: "error",
      observedIs: "could not test: the host's own mnt namespace is unknown",
    },
    {
      name: "two of the host's own namespaces unreadable at staging: both named",
      facts: (f) => {
        f.staging.hostNamespaces.mnt = null;
        f.staging.hostNamespaces.pid = null;
        f.runner.attestation.hostNamespaces = { ...HOST_NS, mnt: null, pid: null };
      },
      status: "error",
      observedIs: "could not test: the host's own mnt, pid namespaces are unknown",
    },
    {
      name: "a hardened container without Codex's sandbox: seccomp, no caps, but the host's namespaces",
      facts: (f) => {
        f.runner.attestation.namespaces = { ...HOST_NS };
        f.runner.attestation.pid1 = "tini";
      },
      status: "fail",
      observed: "shares the host's user, mnt, pid namespaces",
    },
    {
      name: "capabilities kept",
      facts: (f) => {
        f.runner.attestation.capEff = "00000000a80425fb";
      },
      status: "fail",
      observed: "effective capabilities 00000000a80425fb",
    },
    {
      name: "one capability kept (CAP_NET_BIND_SERVICE)",
      facts: (f) => {
        f.runner.attestation.capEff = "0000000000000400";
      },
      status: "fail",
      observed: "the runner ran unsandboxed: effective capabilities 0000000000000400",
    },
    {
      name: "the host's pid namespace only",
      facts: (f) => {
        f.runner.attestation.namespaces.pid = HOST_NS.pid;
      },
      status: "fail",
      observedIs: "the runner ran unsandboxed: shares the host's pid namespace",
    },
    {
      name: "an unreadable namespace counts as shared",
      facts: (f) => {
        f.runner.attestation.namespaces.mnt = null;
      },
      status: "fail",
      observed: "the runner ran unsandboxed: shares the host's mnt namespace",
      evidence: "namespaces inside: user:[4026532178] ? pid:[4026532252]",
    },
    {
      name: "nothing of the attestation readable",
      facts: (f) => {
        f.runner.attestation = {
          namespaces: { user: null, mnt: null, pid: null, net: null },
          hostNamespaces: { ...HOST_NS },
          pid1: null,
          capEff: null,
          noNewPrivs: null,
          seccomp: null,
          rootMount: null,
        };
      },
      status: "fail",
      observedIs:
        "the runner ran unsandboxed: shares the host's user, mnt, pid namespaces; effective capabilities unknown; NoNewPrivs=unknown",
      evidence: [
        "nonce 0123456789ab matched",
        "namespaces inside: ? ? ?; host (its record at staging): user:[4026531837] mnt:[4026531832] pid:[4026531836]",
        "pid 1: ?",
        "CapEff=? NoNewPrivs=? Seccomp=? (seccomp is evidence only)",
        "root mount: ?",
        `node v20.20.2, uid 0, cwd ${PROJECT}, started 2026-11-24T11:13:36.055Z, 48 ms`,
      ],
    },
    {
      name: "new privileges allowed",
      facts: (f) => {
        f.runner.attestation.noNewPrivs = "0";
      },
      status: "fail",
      observed: "NoNewPrivs=0",
    },
    {
      // Network off explains no namespace or capability: naming the profile's network switch would mislead.
      name: "unsandboxed with the profile's network off and nothing that replaces the profile: the general fix",
      facts: (f) => {
        f.runner.attestation.capEff = "000001ffffffffff";
        const permissions = f.config.effective.permissions as Record<string, Record<string, unknown>>;
        (permissions["azi4a2-autonomous"] as Record<string, unknown>).network = { enabled: false };
      },
      status: "fail",
      observedIs: "the runner ran unsandboxed: effective capabilities 000001ffffffffff",
      remediation: runnerReport.remediation,
    },
    {
      name: "the sandbox cannot exec Codex's binary: fail with the grant that fixes it",
      facts: (f) => {
        f.exec.commandOutputs = [
          "Process exited with code 1\nOutput:\nbwrap: execvp /opt/codex/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex: No such file or directory",
        ];
      },
      missing: { runner: "the runner wrote no report" },
      status: "fail",
      observed:
        "the sandbox cannot run any command: bwrap: execvp /opt/codex/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex: No such file or directory",
      evidence: [
        "Codex starts every command through its own binary: /opt/codex/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
        "the sandbox must be able to read it to start a command",
      ],
      remediation:
        'Add "/opt/codex/node_modules/@openai/codex-linux-x64/vendor" = "read" to the profile\'s [permissions.<name>.filesystem] table.',
    },
    {
      name: "a binary outside a vendor folder: its folder is the grant; a later output counts too",
      facts: (f) => {
        f.exec.commandOutputs = [
          "Process exited with code 0\nOutput:\nhello",
          "bwrap: execvp /usr/local/bin/codex: No such file or directory",
        ];
      },
      missing: { runner: "the runner wrote no report" },
      status: "fail",
      remediation: 'Add "/usr/local/bin" = "read" to the profile\'s [permissions.<name>.filesystem] table.',
    },
    {
      name: "a binary at the root",
      facts: (f) => {
        f.exec.commandOutputs = ["bwrap: execvp /codex: No such file or directory"];
      },
      missing: { runner: "the runner wrote no report" },
      status: "fail",
      remediation: 'Add "/" = "read" to the profile\'s [permissions.<name>.filesystem] table.',
    },
    {
      name: "a vendor folder at the root",
      facts: (f) => {
        f.exec.commandOutputs = ["bwrap: execvp /vendor/bin/codex: No such file or directory"];
      },
      missing: { runner: "the runner wrote no report" },
      status: "fail",
      remediation: 'Add "/vendor" = "read" to the profile\'s [permissions.<name>.filesystem] table.',
    },
    {
      name: "no report for another reason",
      missing: { runner: "Codex timed out before the runner reported\nafter 60 s" },
      status: "error",
      observed: "could not test: Codex timed out before the runner reported",
      evidence: ["Codex timed out before the runner reported", "after 60 s"],
    },
    {
      name: "Codex refused to start",
      facts: (f) => {
        f.exec.refused = "Error loading config.toml: invalid transport";
      },
      missing: { runner: "Codex refused to start" },
      status: "error",
      observed: "Codex refused to start: Error loading config.toml: invalid transport",
    },
  ],
});

testCheck(fsAuthJson, {
  valid: [
    {
      name: "EACCES (mode-000 placeholder)",
      status: "pass",
      expected:
        "opening the credentials file fails inside (EACCES/EPERM, or ENOENT: hidden) while it exists on the host",
      observed: "cannot be opened inside the sandbox",
      evidence: [`$CODEX_HOME/auth.json ${CODEX_HOME}/auth.json on the host: file; inside: EACCES`],
    },
    {
      name: "EPERM",
      facts: (f) => {
        for (const entry of f.runner.authJson) entry.open = { ok: false, code: "EPERM" };
      },
      status: "pass",
    },
    {
      name: "hidden inside while it exists on the host",
      facts: (f) => {
        for (const entry of f.runner.authJson) entry.open = { ok: false, code: "ENOENT" };
      },
      status: "pass",
      evidence: "on the host: file; inside: ENOENT",
    },
    {
      name: "not logged in: the host's canary is denied",
      facts: (f) => {
        for (const credential of f.credentials) credential.onHost = "canary";
      },
      status: "pass",
      evidence: "a temporary canary (no login yet)",
    },
  ],
  invalid: [
    {
      name: "legacy --sandbox workspace-write: readable",
      facts: legacyWorkspaceWrite,
      status: "fail",
      observed: `${CODEX_HOME}/auth.json opened inside the sandbox`,
      evidence: [
        `${CODEX_HOME}/auth.json opened inside the sandbox`,
        `$CODEX_HOME/auth.json ${CODEX_HOME}/auth.json on the host: file; inside: ok`,
      ],
    },
    {
      name: "not logged in and no canary could be placed: ENOENT tested nothing",
      facts: (f) => {
        f.credentials = [
          {
            label: "$CODEX_HOME/auth.json",
            path: `${CODEX_HOME}/auth.json`,
            onHost: "missing",
            note: `${CODEX_HOME} does not exist`,
          },
        ];
        f.runner.authJson = [];
      },
      status: "error",
      observed: `could not test: ${CODEX_HOME}/auth.json does not exist on the host (${CODEX_HOME} does not exist)`,
      evidence: [
        `${CODEX_HOME}/auth.json does not exist on the host (${CODEX_HOME} does not exist)`,
        `$CODEX_HOME/auth.json ${CODEX_HOME}/auth.json on the host: missing; inside: not run`,
      ],
    },
    {
      name: "missing on the host, no note",
      facts: (f) => {
        f.credentials = [
          { label: "$CODEX_HOME/auth.json", path: `${CODEX_HOME}/auth.json`, onHost: "missing" },
        ];
      },
      status: "error",
      observedIs: `could not test: ${CODEX_HOME}/auth.json does not exist on the host`,
    },
    {
      name: "no credentials path known",
      facts: (f) => {
        f.credentials = [];
      },
      status: "error",
      observed: "could not test: no credentials path known",
      evidence: [],
    },
    {
      name: "the README's path differs and is readable",
      facts: (f) => {
        f.credentials.push({
          label: "~/.codex/auth.json",
          path: "/home/alice/.codex-other/auth.json",
          onHost: "file",
        });
        f.runner.authJson.push({
          label: "~/.codex/auth.json",
          path: "/home/alice/.codex-other/auth.json",
          open: ok,
        });
      },
      status: "fail",
      observed: "/home/alice/.codex-other/auth.json opened inside",
    },
    {
      name: "another error",
      facts: (f) => {
        for (const entry of f.runner.authJson) entry.open = { ok: false, code: "EMFILE" };
      },
      status: "error",
      observed: `could not test: ${CODEX_HOME}/auth.json: open failed for another reason (EMFILE)`,
      evidence: [
        `${CODEX_HOME}/auth.json: open failed for another reason (EMFILE)`,
        `$CODEX_HOME/auth.json ${CODEX_HOME}/auth.json on the host: file; inside: EMFILE`,
      ],
    },
    {
      name: "an open that failed with no code",
      facts: (f) => {
        for (const entry of f.runner.authJson) entry.open = { ok: false };
      },
      status: "error",
      observed: "open failed for another reason (failed)",
    },
    {
      name: "a credential the runner did not probe",
      facts: (f) => {
        f.runner.authJson = [];
      },
      status: "error",
      observed: "was not probed",
    },
  ],
});

testCheck(fsGitWrite, {
  valid: [
    {
      name: ".git EROFS, git add/commit Read-only file system",
      status: "pass",
      observed: "all blocked, the host's .git unchanged by the probe",
      evidence: [
        "write into .git: EROFS",
        `git add: EROFS (fatal: Unable to create '${PROJECT}/.git/index.lock': Read-only file system)`,
        `git commit: EROFS (fatal: Unable to create '${PROJECT}/.git/index.lock': Read-only file system)`,
      ],
    },
    {
      name: "a probe file elsewhere on the host is not this check's",
      facts: (f) => {
        f.sideEffects.persisted = [{ where: "home", path: `${HOME}/.codex-smoke-0123456789ab` }];
      },
      status: "pass",
    },
    {
      name: "a user's commit during the audit is not the probe's",
      facts: (f) => {
        f.sideEffects.git.headAfter = "77aa00bb";
        f.sideEffects.leftAlone = ["HEAD moved 3f1c2a9d → 77aa00bb by commits that are not only the probe's"];
      },
      status: "pass",
      evidence: "left alone: HEAD moved",
    },
    {
      name: "not a git repository",
      facts: (f) => {
        f.runner.git.isRepo = false;
      },
      status: "skip",
      observed: "project is not a git repository",
    },
  ],
  invalid: [
    {
      name: "danger-full-access: everything succeeded, the host undid the probe's commit",
      facts: fullAccess,
      status: "fail",
      observed: "write into .git succeeded",
      evidence: [
        "write into .git succeeded",
        "git add succeeded",
        "git commit succeeded",
        `the probe's file ${PROJECT}/.git/codex-smoke-0123456789ab reached the host's .git`,
        "the probe's file was staged in the host's index",
        "the probe's commit reached the host's repository (HEAD 3f1c2a9d → 9e8d7c6b)",
        "write into .git: ok",
        "git add: ok",
        "git commit: ok",
        "host restored: undid the probe's commit 9e8d7c6b (HEAD back to 3f1c2a9d)",
      ],
    },
    {
      name: "the probe's commit in a repository that had no commit",
      facts: (f) => {
        f.sideEffects.git = { headBefore: null, headAfter: null, probeCommit: true, markerStaged: false };
      },
      status: "fail",
      observed: "the probe's commit reached the host's repository (HEAD (none) → (none))",
    },
    {
      name: "commit failed only for a missing identity (not blocked)",
      facts: (f) => {
        f.runner.git.commit = { ok: false, code: "exit:128", detail: "Author identity unknown" };
      },
      status: "fail",
      observed: "git commit failed without a permission error",
    },
    {
      name: "the probe's commit reached the host (the runner thought it failed)",
      facts: (f) => {
        f.sideEffects.git.probeCommit = true;
      },
      status: "fail",
      observed: "the probe's commit reached the host's repository",
    },
    {
      name: "the probe's file was staged on the host",
      facts: (f) => {
        f.sideEffects.git.markerStaged = true;
      },
      status: "fail",
      observed: "staged in the host's index",
    },
    {
      name: "the probe's file appeared in the host's .git",
      facts: (f) => {
        f.sideEffects.persisted = [{ where: "git", path: `${PROJECT}/.git/codex-smoke-0123456789ab` }];
      },
      status: "fail",
      observed: "reached the host's .git",
    },
  ],
});

testCheck(fsGitRead, {
  valid: [
    {
      name: "status, diff, log ok",
      status: "pass",
      observed: "all succeed",
      evidence: ["git status: ok", "git diff: ok", "git log: ok"],
    },
  ],
  invalid: [
    {
      name: "git log fails",
      facts: (f) => {
        f.runner.git.log = { ok: false, code: "exit:128", detail: "fatal: not a git repository" };
      },
      status: "fail",
      observed: "git log failed: exit:128",
    },
    {
      name: "not a repository",
      facts: (f) => {
        f.runner.git.isRepo = false;
      },
      status: "skip",
    },
  ],
});

testCheck(fsProjectWrite, {
  valid: [
    {
      name: "write, read back, remove",
      status: "pass",
      observed: "write, read back and remove succeed",
      evidence: ["write: ok", "read back: ok", "remove: ok"],
    },
  ],
  invalid: [
    {
      name: "read-only project (profile not applied)",
      facts: (f) => {
        f.runner.project.write = { ok: false, code: "EROFS" };
        f.runner.project.readBack = { ok: false, code: "SKIPPED" };
      },
      status: "fail",
      observed: "write failed: EROFS",
    },
    {
      name: "written but cannot be removed",
      facts: (f) => {
        f.runner.project.remove = { ok: false, code: "EPERM" };
      },
      status: "fail",
      observed: "remove failed: EPERM",
    },
  ],
});

testCheck(fsReadonlyPaths, {
  valid: [
    {
      name: "both EROFS",
      status: "pass",
      expected:
        "writing into .codex, www.azinstitute4autism.com fails with EROFS/EACCES/EPERM, and nothing reaches the host",
      observed: "all read-only",
      evidence: ["write into .codex: EROFS", "write into www.azinstitute4autism.com: EROFS"],
    },
    {
      name: "ENOENT from a recursive mkdir on a read-only mount; what the host did is shown",
      facts: (f) => {
        const codex = f.runner.readonlyPaths[0];
        if (codex) codex.write = { ok: false, code: "ENOENT" };
        f.sideEffects.persisted = [{ where: "home", path: `${HOME}/.codex-smoke-0123456789ab` }];
        f.sideEffects.restored = ["removed the home marker"];
        f.sideEffects.leftAlone = ["a build output"];
      },
      status: "pass",
      evidence: [
        "write into .codex: ENOENT",
        "write into www.azinstitute4autism.com: EROFS",
        "host restored: removed the home marker",
        "left alone: a build output",
      ],
    },
  ],
  invalid: [
    {
      name: '"www.azinstitute4autism.com" = "write"',
      facts: (f) => {
        const www = f.runner.readonlyPaths[1];
        if (www) www.write = ok;
      },
      status: "fail",
      observed: "www.azinstitute4autism.com: write succeeded",
      evidence: [
        "www.azinstitute4autism.com: write succeeded",
        "write into .codex: EROFS",
        "write into www.azinstitute4autism.com: ok",
      ],
    },
    {
      name: "the probe's file appeared on the host although the write failed inside",
      facts: (f) => {
        f.sideEffects.persisted = [{ where: "readonly", path: `${PROJECT}/.codex/codex-smoke-0123456789ab` }];
      },
      status: "fail",
      observed: `${PROJECT}/.codex/codex-smoke-0123456789ab reached the host`,
    },
    {
      name: "folder absent from the project",
      facts: (f) => {
        const www = f.runner.readonlyPaths[1];
        if (www) Object.assign(www, { existed: false, write: { ok: false, code: "EROFS" } });
      },
      status: "warn",
      observed: "www.azinstitute4autism.com not present in the project",
      evidence: [
        "write into .codex: EROFS",
        "write into www.azinstitute4autism.com: EROFS (folder absent)",
        "Codex mounts a placeholder for a missing read-only folder and can fail to start on it: create the folder",
      ],
    },
    {
      name: "folder absent on the host, Codex's placeholder inside (ENOTDIR)",
      facts: (f) => {
        const www = f.runner.readonlyPaths[1];
        if (www) www.write = { ok: false, code: "ENOTDIR" };
        f.sideEffects.absentBefore = ["www.azinstitute4autism.com"];
      },
      status: "warn",
      observed: "www.azinstitute4autism.com not present in the project",
      evidence: [
        "write into .codex: EROFS",
        "write into www.azinstitute4autism.com: ENOTDIR (folder absent)",
        "Codex mounts a placeholder for a missing read-only folder and can fail to start on it: create the folder",
      ],
    },
    {
      name: "folder absent on the host, and Codex's sandbox setup failed on its placeholder",
      facts: (f) => {
        f.exec.refused = `Error: thread/start: thread/start failed: error creating thread: failed to load AGENTS.md instructions for environment \`local\`: fs sandbox helper failed with status exit status: 1: bwrap: Can't find source path ${PROJECT}/www.azinstitute4autism.com: No such file or directory`;
        f.sideEffects.absentBefore = ["www.azinstitute4autism.com"];
      },
      missing: { runner: "Codex refused to start" },
      status: "fail",
      observedIs: "Codex could not start its sandbox: www.azinstitute4autism.com is missing from the project",
      evidence: "bwrap: Can't find source path",
      remediation:
        "Create www.azinstitute4autism.com in the project (an empty folder will do), or drop its entry from the profile.",
    },
    {
      name: "bwrap could not remount the placeholder of an absent folder",
      facts: (f) => {
        f.exec.refused = `Error: fs sandbox helper failed: bwrap: Can't bind mount /oldroot${PROJECT}/www.azinstitute4autism.com on /newroot${PROJECT}/www.azinstitute4autism.com: Unable to remount destination`;
        f.sideEffects.absentBefore = ["www.azinstitute4autism.com"];
      },
      missing: { runner: "Codex refused to start" },
      status: "fail",
      observedIs: "Codex could not start its sandbox: www.azinstitute4autism.com is missing from the project",
    },
    {
      name: "bwrap failed on a folder that was there before: not this check's finding",
      facts: (f) => {
        f.exec.refused = `Error: bwrap: Can't get type of source ${PROJECT}/www.azinstitute4autism.com: No such file or directory`;
        f.sideEffects.absentBefore = [".codex"];
      },
      missing: { runner: "Codex refused to start: Error: bwrap: Can't get type of source" },
      status: "error",
      observedIs: "could not test: runner: Codex refused to start: Error: bwrap: Can't get type of source",
    },
    {
      name: "folder absent on the host, Codex refused to start for another reason",
      facts: (f) => {
        f.exec.refused = "Error loading config.toml: invalid transport in `mcp_servers.playwright`";
        f.sideEffects.absentBefore = ["www.azinstitute4autism.com"];
      },
      missing: { runner: "Codex refused to start: Error loading config.toml: invalid transport" },
      status: "error",
      observedIs:
        "could not test: runner: Codex refused to start: Error loading config.toml: invalid transport",
    },
    {
      name: "folder absent on the host, the runner timed out (no refusal)",
      facts: (f) => {
        f.sideEffects.absentBefore = ["www.azinstitute4autism.com"];
      },
      missing: { runner: "Codex timed out before the runner reported" },
      status: "error",
      observedIs: "could not test: runner: Codex timed out before the runner reported",
    },
    {
      name: "folder absent: the host removed Codex's empty placeholder, and says so",
      facts: (f) => {
        const www = f.runner.readonlyPaths[1];
        if (www) www.write = { ok: false, code: "ENOTDIR" };
        f.sideEffects.absentBefore = ["www.azinstitute4autism.com"];
        f.sideEffects.restored = ["removed the empty www.azinstitute4autism.com that was not there before"];
      },
      status: "warn",
      evidence: [
        "write into .codex: EROFS",
        "write into www.azinstitute4autism.com: ENOTDIR (folder absent)",
        "Codex mounts a placeholder for a missing read-only folder and can fail to start on it: create the folder",
        "host restored: removed the empty www.azinstitute4autism.com that was not there before",
      ],
    },
    {
      name: "no runner report and nothing absent",
      missing: { runner: "the runner wrote no report\nexit 1" },
      status: "error",
      observedIs: "could not test: runner: the runner wrote no report",
      evidence: ["the runner wrote no report", "exit 1"],
    },
    {
      name: "folder absent on the host and writable inside",
      facts: (f) => {
        const www = f.runner.readonlyPaths[1];
        if (www) www.write = ok;
        f.sideEffects.absentBefore = ["www.azinstitute4autism.com"];
      },
      status: "fail",
      observed: "www.azinstitute4autism.com: write succeeded",
    },
    {
      name: "both folders absent",
      facts: (f) => {
        for (const entry of f.runner.readonlyPaths) Object.assign(entry, { existed: false });
      },
      status: "warn",
      observed: ".codex, www.azinstitute4autism.com not present in the project",
    },
    {
      name: "not probed",
      facts: (f) => {
        f.runner.readonlyPaths = f.runner.readonlyPaths.slice(0, 1);
      },
      status: "error",
      observed: "www.azinstitute4autism.com: not probed",
    },
    {
      name: "another error",
      facts: (f) => {
        const codex = f.runner.readonlyPaths[0];
        if (codex) codex.write = { ok: false, code: "ENOSPC" };
      },
      status: "error",
      observed: "could not test: .codex: write failed for another reason (ENOSPC)",
      evidence: [
        ".codex: write failed for another reason (ENOSPC)",
        "write into .codex: ENOSPC",
        "write into www.azinstitute4autism.com: EROFS",
      ],
    },
    {
      name: "--expect names another folder",
      expect: { readonlyPaths: ["docs"] },
      status: "error",
      observed: "docs: not probed",
    },
  ],
});

testCheck(fsHomeEphemeral, {
  valid: [
    {
      name: "written into the in-memory root",
      status: "pass",
      observed: "written inside, not on the host",
      evidence: ["write: ok", "read back: ok"],
    },
    {
      name: "a probe file elsewhere on the host is not this check's",
      facts: (f) => {
        f.sideEffects.persisted = [{ where: "outside", path: "/tmp/.codex-smoke-0123456789ab" }];
      },
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "danger-full-access: persisted",
      facts: fullAccess,
      status: "fail",
      observed: `${HOME}/.codex-smoke-0123456789ab persisted on the host`,
      evidence: ["write: ok", "read back: ok", "$HOME is writable"],
    },
    {
      name: "HOME not present inside",
      facts: (f) => {
        f.runner.home.write = { ok: false, code: "ENOENT" };
        f.runner.home.readBack = { ok: false, code: "SKIPPED" };
      },
      status: "warn",
      observed: "write under $HOME failed inside (ENOENT)",
      evidence: [
        "write: ENOENT",
        "read back: SKIPPED",
        "writes under $HOME fail instead of landing in the in-memory root",
      ],
    },
    {
      name: "written but not read back",
      facts: (f) => {
        f.runner.home.readBack = { ok: false, code: "EIO" };
      },
      status: "warn",
      observed: "write under $HOME failed inside (EIO)",
    },
  ],
});

testCheck(fsOutsideRoots, {
  valid: [
    {
      name: "tmpfs write not persisted, canary ENOENT",
      status: "pass",
      observed: "nothing outside readable or persisted",
      evidence: [
        "write into /tmp: ok",
        "write into /home/alice/work: ENOENT",
        "open /home/alice/.cache/codex-smoke/run-0123456789ab/canary-0123456789ab.txt: ENOENT",
      ],
    },
    {
      name: "only writes probed",
      facts: (f) => {
        f.runner.outside.reads = [];
      },
      status: "pass",
    },
    {
      name: "only reads probed",
      facts: (f) => {
        f.runner.outside.writes = [];
      },
      status: "pass",
    },
  ],
  invalid: [
    {
      name: "legacy workspace-write: /tmp persisted",
      facts: legacyWorkspaceWrite,
      status: "fail",
      observed: "/tmp/.codex-smoke-0123456789ab persisted",
    },
    {
      name: '":root" = "read": canary readable',
      facts: (f) => {
        const canary = f.runner.outside.reads[0];
        if (canary) canary.open = ok;
      },
      status: "fail",
      observed:
        "/home/alice/.cache/codex-smoke/run-0123456789ab/canary-0123456789ab.txt readable inside the sandbox",
      evidence: [
        "/home/alice/.cache/codex-smoke/run-0123456789ab/canary-0123456789ab.txt readable inside the sandbox",
        "write into /tmp: ok",
        "write into /home/alice/work: ENOENT",
        "open /home/alice/.cache/codex-smoke/run-0123456789ab/canary-0123456789ab.txt: ok",
      ],
    },
    {
      name: "nothing probed",
      facts: (f) => {
        f.runner.outside = { writes: [], reads: [] };
      },
      status: "error",
      observed: "could not test: no outside paths were probed",
      evidence: [],
    },
  ],
});

/** Codex's managed proxy in front of the sandbox (reference/network-proxy.md): variables as a command sees them. */
function behindCodexProxy(f: FactValues): void {
  f.network.report.environment = {
    proxyVariables: { HTTPS_PROXY: "http://127.0.0.1:41234", NODE_USE_ENV_PROXY: "1" },
    caVariables: {},
    codexProxyActive: true,
    allowLocalBinding: false,
    inetSocket: "ECONNREFUSED",
  };
}

const KILL = {
  host: "registry.example.invalid",
  rule: "allowlist" as const,
  sentence:
    'Network access to "registry.example.invalid" was blocked: domain is not on the allowlist for the current sandbox mode.',
};

testCheck(netRegistry, {
  valid: [
    {
      name: "curl exit 0, http 200",
      status: "pass",
      observed: "curl: ok (HTTP 200, certificate verified)",
      evidence: "host control: fine on the host too (curl: ok (HTTP 200, certificate verified))",
    },
    {
      name: "behind Codex's proxy with the registry allowed: the mode is shown",
      facts: behindCodexProxy,
      status: "pass",
      evidence:
        "network inside: Codex's managed proxy http://127.0.0.1:41234 (local/private addresses blocked)",
    },
  ],
  invalid: [
    {
      name: "network off: curl exit 6",
      facts: legacyWorkspaceWrite,
      status: "fail",
      observed: "curl: network disabled by the sandbox (exit 6)",
    },
    {
      name: "the host cannot reach it either",
      facts: (f) => {
        f.network.report.registry = [
          attempt("curl", REGISTRY, {
            curlExit: 6,
            message: "curl: (6) Could not resolve host: registry.example.invalid",
          }),
        ];
        f.registry.host = attempt("curl", REGISTRY, {
          curlExit: 6,
          message: "curl: (6) Could not resolve host: registry.example.invalid",
        });
      },
      status: "error",
      observed: "the host cannot retrieve it either",
      evidence: "host control: fails on the host too: curl: DNS failure (exit 6)",
    },
    {
      name: "blocked by the proxy's allowlist: curl's 403, the proxy's own words, and the fix",
      facts: (f) => {
        behindCodexProxy(f);
        f.network.report.registry = [
          attempt("curl", REGISTRY, {
            curlExit: 22,
            connectStatus: 403,
            proxyError: "blocked-by-allowlist",
            message: "curl: (22) CONNECT tunnel failed, response 403",
          }),
          attempt("proxy", REGISTRY, {
            connectStatus: 403,
            proxyError: "blocked-by-allowlist",
            errorBody: "Domain not in allowlist.",
          }),
        ];
      },
      status: "fail",
      observed: "proxy: blocked by the proxy policy (allowlist): Domain not in allowlist.",
      evidence: "curl: blocked by the proxy policy (allowlist)",
    },
    {
      name: "Codex killed the command before curl reported: the kill names the rule",
      facts: (f) => {
        behindCodexProxy(f);
        f.network.report.registry = [];
        f.network.killedBy = KILL;
      },
      status: "fail",
      observed:
        'blocked by the proxy policy (allowlist): Network access to "registry.example.invalid" was blocked',
    },
    {
      name: "curl passes but Node's fetch ignores the proxy: a warning with its cause",
      facts: (f) => {
        behindCodexProxy(f);
        const proxy = "http://127.0.0.1:41234";
        f.network.report.registry = [
          attempt("curl", REGISTRY, { httpStatus: 200, curlExit: 0, sslVerifyResult: 0, proxy }),
          attempt("fetch", REGISTRY, {
            errorCode: "EAI_AGAIN",
            message: "getaddrinfo EAI_AGAIN registry.example.invalid",
            proxy,
          }),
        ];
      },
      status: "warn",
      observed: "curl works, but fetch: ignores the proxy http://127.0.0.1:41234",
    },
    {
      name: "curl did not run and nothing was killed",
      facts: (f) => {
        f.network.report.registry = [];
      },
      status: "error",
      observed: "the curl probe did not run",
    },
  ],
});

testCheck(netTlsVerify, {
  valid: [
    {
      name: "curl exit 60, Node DEPTH_ZERO_SELF_SIGNED_CERT",
      status: "pass",
      observed: "curl and node-https rejected",
    },
  ],
  invalid: [
    {
      name: "NODE_TLS_REJECT_UNAUTHORIZED=0 exported by the launcher: Node accepts",
      facts: (f) => {
        f.launcher.static.findings = [
          { line: 13, flag: "NODE_TLS_REJECT_UNAUTHORIZED=0", text: "export NODE_TLS_REJECT_UNAUTHORIZED=0" },
        ];
        f.runner.env.insecureSwitches = { NODE_TLS_REJECT_UNAUTHORIZED: "0" };
        const control = f.network.report.tlsControl;
        if (control)
          control.attempts[1] = attempt("node-https", CONTROL, { mayUseProxy: false, httpStatus: 200 });
      },
      status: "fail",
      observed: "NODE_TLS_REJECT_UNAUTHORIZED=0 visible inside",
      evidence: "codex-auto:13: export NODE_TLS_REJECT_UNAUTHORIZED=0",
      remediation:
        "Unset `NODE_TLS_REJECT_UNAUTHORIZED` in the environment the launches get; remove `NODE_TLS_REJECT_UNAUTHORIZED=0` from /home/alice/work/azinstitute/codex-auto:13; to trust a proxy's CA, point NODE_EXTRA_CA_CERTS / SSL_CERT_FILE at it instead.",
    },
    {
      name: "curl accepts the untrusted certificate (~/.curlrc with --insecure seen only by curl)",
      facts: (f) => {
        const control = f.network.report.tlsControl;
        if (control)
          control.attempts[0] = attempt("curl", CONTROL, {
            mayUseProxy: false,
            httpStatus: 200,
            curlExit: 0,
            sslVerifyResult: 18,
          });
      },
      status: "fail",
      observed: "curl accepted the untrusted certificate",
      // No switch was found to name: the general fix.
      remediation: netTlsVerify.remediation,
    },
    {
      name: "registry retrieved although its certificate did not verify",
      facts: (f) => {
        const curl = f.network.report.registry[0];
        if (curl) curl.sslVerifyResult = 19;
      },
      status: "fail",
      observed: "ssl_verify_result 19",
    },
    {
      name: "network off: the control could not listen",
      facts: legacyWorkspaceWrite,
      status: "error",
      observed: "could not listen inside (EPERM)",
    },
    {
      name: "no control (Codex killed the command first)",
      facts: (f) => {
        f.network.report.tlsControl = null;
        f.network.killedBy = KILL;
      },
      status: "error",
      observed: "Codex killed the command",
    },
    {
      name: "only curl could be tested",
      facts: (f) => {
        const control = f.network.report.tlsControl;
        if (control)
          control.attempts[1] = attempt("node-https", CONTROL, {
            mayUseProxy: false,
            errorCode: "ECONNREFUSED",
          });
      },
      status: "warn",
      observed: "only curl rejected it",
    },
    {
      name: "both failed for another reason",
      facts: (f) => {
        const control = f.network.report.tlsControl;
        if (control)
          control.attempts = [
            attempt("curl", CONTROL, {
              mayUseProxy: false,
              curlExit: 7,
              message: "curl: (7) Failed to connect",
            }),
          ];
      },
      status: "error",
      observed: "the control failed for another reason",
    },
  ],
});

testCheck(envSecrets, {
  valid: [
    {
      name: "no secret names",
      status: "pass",
      expected: "no TOKEN/SECRET/PASSWORD/API_KEY/… variables inside the sandbox",
      observed: "none visible",
      evidence: [],
    },
  ],
  invalid: [
    {
      name: "OPENAI_API_KEY inherited",
      facts: (f) => {
        f.runner.env.secretNames = ["OPENAI_API_KEY", "MY_TOKEN"];
      },
      status: "warn",
      observed: "visible inside: OPENAI_API_KEY, MY_TOKEN",
      evidence: [
        "OPENAI_API_KEY (value not read)",
        "MY_TOKEN (value not read)",
        "a token inside the sandbox defeats the auth.json protection",
      ],
    },
    {
      name: "--expect envSecrets fail",
      facts: (f) => {
        f.runner.env.secretNames = ["OPENAI_API_KEY"];
      },
      expect: { envSecrets: "fail" },
      status: "fail",
    },
  ],
});
