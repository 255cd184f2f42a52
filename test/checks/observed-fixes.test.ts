// A fix follows from what was observed and names only what the setup has: the legacy flag that replaced the
// profile, the rule to drop or change as the profile spells it, or the rule to add because it is missing.
import { describe, expect, it } from "vitest";
import bannerApproval from "../../checks/banner/approval.js";
import bannerSandbox from "../../checks/banner/sandbox.js";
import configProfile from "../../checks/config/profile.js";
import fsAuthJson from "../../checks/fs/auth_json.js";
import fsGitRead from "../../checks/fs/git_read.js";
import fsGitWrite from "../../checks/fs/git_write.js";
import fsHomeEphemeral from "../../checks/fs/home_ephemeral.js";
import fsOutsideRoots from "../../checks/fs/outside_roots.js";
import fsProjectWrite from "../../checks/fs/project_write.js";
import fsReadonlyPaths from "../../checks/fs/readonly_paths.js";
import launcherFlags from "../../checks/launcher/flags.js";
import mcpApproval from "../../checks/mcp/approval.js";
import netRegistry from "../../checks/net/registry.js";
import netTlsVerify from "../../checks/net/tls_verify.js";
import runnerReport from "../../checks/runner/report.js";
import tuiPermissions from "../../checks/tui/permissions.js";
import { runCheck } from "../../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../../src/core/expectations.js";
import type { CheckDefinition, FactValues } from "../../src/core/model.js";
import {
  attempt,
  CODEX_HOME,
  HOME,
  healthyFacts,
  PROFILE_PATH,
  REGISTRY_URL,
} from "../fixtures/facts/healthy.js";
import { authOpened, roots, rules } from "./profile-facts.js";
import { factsOf, testCheck } from "./rule-tester.js";

const LEGACY_FIX =
  "Remove `--sandbox workspace-write` from the launcher (see launcher.flags): Codex enforces it instead of the permission profile, whose rules then apply.";

/** The exec launch passed `--sandbox workspace-write`, as the PATH shim recorded it. */
function legacyLaunch(f: FactValues): void {
  const exec = f.launcher.observed.exec;
  if (!exec) throw new Error("healthy facts observe the exec launch");
  exec.parsed.legacyFlags = ["--sandbox workspace-write"];
  exec.parsed.legacy = [{ flag: "--sandbox", value: "workspace-write" }];
}

function fixOf(check: CheckDefinition, mutate: (f: FactValues) => void): string {
  const values = healthyFacts();
  mutate(values);
  return runCheck(check, factsOf(values), { expect: DEFAULT_EXPECTATIONS }).remediation;
}

testCheck(fsAuthJson, {
  valid: [],
  invalid: [
    {
      name: "readable under a legacy flag: the fix is the flag, not the deny rule the profile has",
      facts: (f) => {
        authOpened(f);
        legacyLaunch(f);
      },
      status: "fail",
      remediation: LEGACY_FIX,
    },
    {
      name: "readable through ~/.codex = read: that rule to drop and the deny to add",
      facts: (f) => {
        authOpened(f);
        delete rules(f)["~/.codex/auth.json"];
        rules(f)["~/.codex"] = "read";
      },
      status: "fail",
      remediation:
        'In the profile\'s filesystem table, drop `"~/.codex" = "read"` (it makes auth.json readable) and add `"~/.codex/auth.json" = "none"`.',
    },
    {
      name: "readable through the whole home (~): that rule",
      facts: (f) => {
        authOpened(f);
        rules(f)["~"] = "read";
      },
      status: "fail",
      remediation: 'In the profile\'s filesystem table, drop `"~" = "read"` (it makes auth.json readable).',
    },
    {
      name: "readable through the absolute Codex home, the deny rule there: only the rule to drop",
      facts: (f) => {
        authOpened(f);
        rules(f)[CODEX_HOME] = "read";
      },
      status: "fail",
      remediation: `In the profile's filesystem table, drop \`"${CODEX_HOME}" = "read"\` (it makes auth.json readable).`,
    },
  ],
});

testCheck(fsHomeEphemeral, {
  valid: [],
  invalid: [
    {
      name: "the write failed inside under a legacy flag: the flag, never a ~ rule the profile lacks",
      facts: (f) => {
        f.runner.home.write = { ok: false, code: "EROFS" };
        legacyLaunch(f);
      },
      status: "warn",
      remediation: LEGACY_FIX,
    },
    {
      name: "persisted through a write rule on the home: that rule",
      facts: (f) => {
        f.sideEffects.persisted.push({ where: "home", path: `${HOME}/.codex-smoke-x` });
        rules(f)[HOME] = "write";
      },
      status: "fail",
      remediation: `Drop the write rule that covers $HOME from the profile's filesystem table (it has \`"${HOME}" = "write"\`).`,
    },
    {
      name: "the write failed and the profile lacks :minimal: add it",
      facts: (f) => {
        f.runner.home.write = { ok: false, code: "EROFS" };
        delete rules(f)[":minimal"];
      },
      status: "warn",
      remediation: 'Add `":minimal" = "read"` to the profile\'s filesystem table.',
    },
  ],
});

testCheck(fsReadonlyPaths, {
  valid: [],
  invalid: [
    {
      name: "written through a write rule: change it to read",
      facts: (f) => {
        for (const probe of f.runner.readonlyPaths) if (probe.path === ".codex") probe.write = { ok: true };
        roots(f)[".codex"] = "write";
      },
      status: "fail",
      remediation:
        'Under `":workspace_roots"` in the profile\'s filesystem table, change `".codex" = "write"` to `".codex" = "read"`.',
    },
    {
      name: "written with no rule for the folder: add one",
      facts: (f) => {
        for (const probe of f.runner.readonlyPaths)
          if (probe.path === "www.azinstitute4autism.com") probe.write = { ok: true };
        delete roots(f)["www.azinstitute4autism.com"];
      },
      status: "fail",
      remediation:
        'Under `":workspace_roots"` in the profile\'s filesystem table, add `"www.azinstitute4autism.com" = "read"`.',
    },
  ],
});

testCheck(fsProjectWrite, {
  valid: [],
  invalid: [
    {
      name: "the project is read in the profile: change it",
      facts: (f) => {
        f.runner.project.write = { ok: false, code: "EROFS" };
        roots(f)["."] = "read";
      },
      status: "fail",
      remediation:
        'Under `":workspace_roots"` in the profile\'s filesystem table, change `"." = "read"` to `"." = "write"`.',
    },
  ],
});

testCheck(fsGitRead, {
  valid: [],
  invalid: [
    {
      name: ".git denied: drop that rule",
      facts: (f) => {
        f.runner.git.status = { ok: false, code: "exit:128" };
        roots(f)[".git"] = "none";
      },
      status: "fail",
      remediation:
        'Drop `".git" = "none"` under `":workspace_roots"` in the profile\'s filesystem table: git needs to read its metadata.',
    },
  ],
});

testCheck(fsGitWrite, {
  valid: [],
  invalid: [
    {
      name: "committed under a legacy flag: the flag",
      facts: (f) => {
        f.runner.git.commit = { ok: true };
        legacyLaunch(f);
      },
      status: "fail",
      remediation: LEGACY_FIX,
    },
  ],
});

testCheck(fsOutsideRoots, {
  valid: [],
  invalid: [
    {
      name: "a canary readable through :root: that rule",
      facts: (f) => {
        const read = f.runner.outside.reads[0];
        if (read) read.open = { ok: true };
        rules(f)[":root"] = "read";
      },
      status: "fail",
      remediation: 'Drop `":root" = "read"` from the permission profile: it opens paths outside the project.',
    },
  ],
});

testCheck(netRegistry, {
  valid: [],
  invalid: [
    {
      name: "no network under a legacy flag: the flag, not the switch the profile has on",
      facts: (f) => {
        legacyLaunch(f);
        const environment = f.network.report.environment;
        if (environment) environment.inetSocket = "EPERM";
        f.network.report.registry = [attempt("curl", REGISTRY_URL, { curlExit: 7 })];
      },
      status: "fail",
      remediation: LEGACY_FIX,
    },
    {
      name: "no network, the profile's switch off: that switch",
      facts: (f) => {
        const permissions = f.config.effective.permissions as Record<string, Record<string, unknown>>;
        (permissions["azi4a2-autonomous"] as Record<string, unknown>).network = { enabled: false };
        const environment = f.network.report.environment;
        if (environment) environment.inetSocket = "EPERM";
        f.network.report.registry = [attempt("curl", REGISTRY_URL, { curlExit: 7 })];
      },
      status: "fail",
      remediation: "Set `enabled = true` under [permissions.azi4a2-autonomous.network] (it is false).",
    },
  ],
});

testCheck(netTlsVerify, {
  valid: [],
  invalid: [
    {
      name: "a switch visible inside: unset that one, nothing else named",
      facts: (f) => {
        f.runner.env.insecureSwitches = { NODE_TLS_REJECT_UNAUTHORIZED: "0" };
      },
      status: "fail",
      remediation:
        "Unset `NODE_TLS_REJECT_UNAUTHORIZED` in the environment the launches get; to trust a proxy's CA, point NODE_EXTRA_CA_CERTS / SSL_CERT_FILE at it instead.",
    },
  ],
});

testCheck(mcpApproval, {
  valid: [],
  invalid: [
    {
      name: "one server without the approval mode: the -c for that server only",
      facts: (f) => {
        const get = f.mcpGet.playwright;
        if (get) delete get.fields.default_tools_approval_mode;
      },
      status: "fail",
      remediation:
        'Make the launcher pass `-c mcp_servers.playwright.default_tools_approval_mode="approve"` (a server\'s own table may set them too).',
    },
  ],
});

describe("fixes that name the setup's own settings", () => {
  it("banner.sandbox and runner.report name the legacy flag the launch passed", () => {
    const header = (f: FactValues) => {
      legacyLaunch(f);
      if (f.exec.header)
        f.exec.header.sandbox = "workspace-write [workdir, /tmp, $TMPDIR] (network access enabled)";
    };
    expect(fixOf(bannerSandbox, header)).toBe(LEGACY_FIX);
    const unsandboxed = (f: FactValues) => {
      legacyLaunch(f);
      f.runner.attestation.capEff = "000001ffffffffff";
    };
    expect(fixOf(runnerReport, unsandboxed)).toBe(LEGACY_FIX);
  });

  it("banner.sandbox names a sandbox_mode setting and where it is", () => {
    const fix = fixOf(bannerSandbox, (f) => {
      if (f.exec.header) f.exec.header.sandbox = "danger-full-access";
      // A copy: the fixture's base layer is shared between tests.
      f.config.base = {
        ...f.config.base,
        data: { ...f.config.base.data, sandbox_mode: "danger-full-access" },
      };
    });
    expect(fix).toBe(
      `Remove \`sandbox_mode = "danger-full-access"\` (${CODEX_HOME}/config.toml): it replaces the permission profile.`,
    );
  });

  it("the approval checks name the layer that sets another value", () => {
    const onRequest = (f: FactValues) => {
      f.config.launcherOverrides = f.config.launcherOverrides.filter((o) => o.key !== "approval_policy");
      if (f.config.profile.data) f.config.profile.data.approval_policy = "on-request";
      f.tui.permissions = "Profile azi4a2-autonomous (workspace with network access, on-request)";
    };
    const fix = `Change \`approval_policy = "on-request"\` (${PROFILE_PATH}) to "never".`;
    expect(fixOf(bannerApproval, onRequest)).toBe(fix);
    expect(fixOf(tuiPermissions, onRequest)).toBe(fix);
  });

  it("launcher.flags names the flag it found and its line", () => {
    const fix = fixOf(launcherFlags, (f) => {
      legacyLaunch(f);
      f.launcher.static.findings = [{ line: 7, flag: "--sandbox", text: "--sandbox workspace-write" }];
    });
    expect(fix).toBe(
      "In the launcher, remove `--sandbox workspace-write` (line 7): it replaces the permission profile.",
    );
  });

  it("config.profile gives one change per problem, none for what is right", () => {
    const fix = fixOf(configProfile, (f) => {
      const profile = f.config.profile.data?.permissions as Record<string, Record<string, unknown>>;
      const table = profile["azi4a2-autonomous"] as Record<string, unknown>;
      table.network = { enabled: false };
      f.config.effective = { ...f.config.effective, permissions: profile };
    });
    expect(fix).toBe(
      `Set \`enabled = true\` under [permissions.azi4a2-autonomous.network] (the profile file: ${PROFILE_PATH}).`,
    );
  });
});
