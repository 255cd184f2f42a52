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
import type { FactValues } from "../../src/model.js";
import { testCheck } from "./rule-tester.js";

const ok = { ok: true };

/** What the runner saw under `--dangerously-bypass-approvals-and-sandbox` (everything open, Seccomp 0). */
function fullAccess(f: FactValues): void {
  const r = f.runner;
  r.attestation = {
    seccomp: "0",
    noNewPrivs: "0",
    capEff: "000001ffffffffff",
    pid1: "systemd",
    sandboxed: false,
  };
  r.authJson.open = ok;
  r.git.writeDir = ok;
  r.git.add = ok;
  r.git.commit = ok;
  for (const entry of r.readonlyPaths) entry.write = ok;
  f.sideEffects.gitNew = ["objects/ab/cdef", "index"];
  f.sideEffects.headAfter = "9e8d7c6b";
  f.sideEffects.readonlyNew = ["www.azinstitute4autism.com/.codex-smoke-n0nce"];
  f.sideEffects.persisted = [r.home.marker, "/tmp/.codex-smoke-n0nce"];
  f.sideEffects.restored = ["git reset --soft 3f1c2a9d"];
}

/** Legacy `--sandbox workspace-write`: auth.json readable, www writable, /tmp persisted, no network. */
function legacyWorkspaceWrite(f: FactValues): void {
  const r = f.runner;
  r.authJson.open = ok;
  const www = r.readonlyPaths.find((p) => p.path === "www.azinstitute4autism.com");
  if (www) www.write = ok;
  f.sideEffects.readonlyNew = ["www.azinstitute4autism.com/.codex-smoke-n0nce"];
  f.sideEffects.persisted = ["/tmp/.codex-smoke-n0nce"];
  r.network.curl = {
    ok: false,
    code: "exit:6",
    exitCode: 6,
    detail: "curl: (6) Could not resolve host: registry.example.invalid",
  };
  r.network.fetch = { ok: false, code: "EAI_AGAIN" };
  r.tls.curl = { ok: false, code: "exit:6", exitCode: 6, detail: "curl: (6) Could not resolve host" };
  r.tls.fetch = { ok: false, code: "EPERM" };
}

testCheck(runnerReport, {
  valid: [{ name: "seccomp filter, no capabilities", status: "pass", evidence: "Seccomp=2" }],
  invalid: [
    {
      name: "danger-full-access",
      facts: fullAccess,
      status: "fail",
      observed: "the runner ran unsandboxed: Seccomp=0",
    },
  ],
});

testCheck(fsAuthJson, {
  valid: [
    { name: "EACCES (mode-000 placeholder)", status: "pass", observed: "EACCES" },
    {
      name: "not mounted inside",
      facts: (f) => {
        f.runner.authJson = {
          path: "/home/alice/.codex/auth.json",
          exists: false,
          open: { ok: false, code: "ENOENT" },
        };
      },
      status: "pass",
      evidence: "not visible inside",
    },
  ],
  invalid: [
    {
      name: "legacy --sandbox workspace-write: readable",
      facts: legacyWorkspaceWrite,
      status: "fail",
      observed: "opened",
    },
    {
      name: "another error",
      facts: (f) => {
        f.runner.authJson.open = { ok: false, code: "EMFILE" };
      },
      status: "error",
    },
  ],
});

testCheck(fsGitWrite, {
  valid: [
    {
      name: ".git EROFS, git add/commit exit 128 Read-only file system",
      status: "pass",
      evidence: "git add: exit:128",
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
      name: "danger-full-access: everything succeeded, host restored the commit",
      facts: fullAccess,
      status: "fail",
      observed: "write into .git succeeded",
      evidence: "host restored: git reset --soft 3f1c2a9d",
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
      name: "HEAD moved",
      facts: (f) => {
        f.sideEffects.headAfter = "0000aaaa";
      },
      status: "fail",
      observed: "HEAD moved",
    },
  ],
});

testCheck(fsGitRead, {
  valid: [{ name: "status, diff, log ok", status: "pass" }],
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
  valid: [{ name: "write, read back, remove", status: "pass" }],
  invalid: [
    {
      name: "read-only project (profile not applied)",
      facts: (f) => {
        f.runner.project.write = { ok: false, code: "EROFS" };
        f.runner.project.readBack = { ok: false, code: "ENOENT" };
      },
      status: "fail",
      observed: "write failed: EROFS",
    },
  ],
});

testCheck(fsReadonlyPaths, {
  valid: [{ name: "both EROFS", status: "pass", evidence: "write into .codex: EROFS" }],
  invalid: [
    {
      name: '"www.azinstitute4autism.com" = "write"',
      facts: (f) => {
        const www = f.runner.readonlyPaths[1];
        if (www) www.write = ok;
        f.sideEffects.readonlyNew = ["www.azinstitute4autism.com/.codex-smoke-n0nce"];
      },
      status: "fail",
      observed: "www.azinstitute4autism.com: write succeeded",
    },
    {
      name: "folder absent from the project",
      facts: (f) => {
        const www = f.runner.readonlyPaths[1];
        if (www) Object.assign(www, { existed: false, write: { ok: false, code: "ENOENT" } });
      },
      status: "warn",
      observed: "www.azinstitute4autism.com not present in the project",
    },
    {
      name: "not probed",
      facts: (f) => {
        f.runner.readonlyPaths = f.runner.readonlyPaths.slice(0, 1);
      },
      status: "error",
    },
  ],
});

testCheck(fsHomeEphemeral, {
  valid: [{ name: "written into the in-memory root", status: "pass" }],
  invalid: [
    {
      name: "danger-full-access: persisted",
      facts: fullAccess,
      status: "fail",
      observed: "persisted on the host",
    },
    {
      name: "HOME not present inside",
      facts: (f) => {
        f.runner.home.write = { ok: false, code: "ENOENT" };
      },
      status: "warn",
      evidence: "writes under $HOME fail",
    },
  ],
});

testCheck(fsOutsideRoots, {
  valid: [
    {
      name: "tmpfs write not persisted, canaries ENOENT",
      status: "pass",
      evidence: "write /tmp: ok, not persisted",
    },
  ],
  invalid: [
    {
      name: "legacy workspace-write: /tmp persisted",
      facts: legacyWorkspaceWrite,
      status: "fail",
      observed: "/tmp/.codex-smoke-n0nce persisted",
    },
    {
      name: '":root" = "read": canary readable',
      facts: (f) => {
        const canary = f.runner.outside.reads[0];
        if (canary) canary.open = ok;
      },
      status: "fail",
      observed: "canary-n0nce readable inside the sandbox",
    },
  ],
});

testCheck(netRegistry, {
  valid: [
    {
      name: "curl exit 0, http 200",
      status: "pass",
      evidence: "curl: ok, exit 0, http 200, ssl_verify_result 0",
    },
  ],
  invalid: [
    {
      name: "network off: curl exit 6",
      facts: legacyWorkspaceWrite,
      status: "fail",
      observed: "curl exit 6 (could not resolve host: network disabled in the sandbox?)",
    },
    {
      name: "registry unknown",
      facts: (f) => {
        f.runner.network = { registryUrl: null, curl: null, fetch: null };
      },
      status: "error",
      observed: "registry unknown",
    },
    {
      name: "the host cannot reach it either",
      facts: (f) => {
        legacyWorkspaceWrite(f);
        f.registry.hostStatus = null;
        f.registry.hostError = "ENOTFOUND";
      },
      status: "error",
      evidence: "host control: ENOTFOUND",
    },
  ],
});

testCheck(netTlsVerify, {
  valid: [{ name: "curl exit 60, fetch DEPTH_ZERO_SELF_SIGNED_CERT", status: "pass" }],
  invalid: [
    {
      name: "NODE_TLS_REJECT_UNAUTHORIZED=0 exported by the launcher: fetch accepts",
      facts: (f) => {
        f.launcher.lines.splice(12, 0, "export NODE_TLS_REJECT_UNAUTHORIZED=0");
        f.runner.tls.insecureSwitches = { NODE_TLS_REJECT_UNAUTHORIZED: "0" };
        f.runner.tls.fetch = { ok: true, code: "http:200", httpStatus: 200 };
      },
      status: "fail",
      observed: "NODE_TLS_REJECT_UNAUTHORIZED=0 visible inside",
      evidence: "codex-auto:13: export NODE_TLS_REJECT_UNAUTHORIZED=0",
    },
    {
      name: "registry certificate not verified",
      facts: (f) => {
        const curl = f.runner.network.curl;
        if (curl) curl.sslVerifyResult = 19;
      },
      status: "fail",
      observed: "ssl_verify_result 19",
    },
    {
      name: "registry certificate rejected (verification working; net.registry owns the failure)",
      facts: (f) => {
        f.runner.network.curl = {
          ok: false,
          code: "exit:60",
          exitCode: 60,
          httpStatus: 0,
          sslVerifyResult: 20,
        };
      },
      status: "pass",
    },
    {
      name: "network off: the control could not be reached",
      facts: legacyWorkspaceWrite,
      status: "error",
      observed: "could not test",
    },
    {
      name: "no control URL",
      facts: (f) => {
        f.runner.tls = { url: null, curl: null, fetch: null, insecureSwitches: {} };
      },
      status: "error",
    },
    {
      name: "only curl could be tested",
      facts: (f) => {
        f.runner.tls.fetch = { ok: false, code: "ECONNREFUSED" };
      },
      status: "warn",
      observed: "only curl rejected",
    },
  ],
});

testCheck(envSecrets, {
  valid: [{ name: "no secret names", status: "pass" }],
  invalid: [
    {
      name: "OPENAI_API_KEY inherited",
      facts: (f) => {
        f.runner.env.secretNames = ["OPENAI_API_KEY", "MY_TOKEN"];
      },
      status: "warn",
      observed: "OPENAI_API_KEY, MY_TOKEN",
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
