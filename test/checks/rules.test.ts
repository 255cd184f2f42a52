// The setup's own rules, from written-out facts: credential files (fs.credentials), each filesystem entry of the
// profile (fs.profile_rules), the domain rules under Codex's proxy (net.profile_rules), the config layers
// (config.layers). The facts are the lab's shapes (0.169.0): errno codes, Codex's kill sentences, /status lines.

import { describe, expect, it } from "vitest";
import configLayers from "../../checks/config/layers.js";
import fsCredentials from "../../checks/fs/credentials.js";
import fsProfileRules from "../../checks/fs/profile_rules.js";
import netProfileRules from "../../checks/net/profile_rules.js";
import { runCheck } from "../../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../../src/core/expectations.js";
import { brokenSetup, type DomainRuleFacts, type FactValues } from "../../src/core/model.js";
import {
  attempt,
  CODEX_HOME,
  configFacts,
  effectiveConfig,
  HOME,
  healthyFacts,
  PROFILE_PATH,
  PROJECT,
  profileData,
} from "../fixtures/facts/healthy.js";
import { factsOf, testCheck } from "./rule-tester.js";

// biome-ignore lint/suspicious/noExplicitAny: tests mutate parsed TOML documents freely
type Table = Record<string, any>;

const SSH_KEY = `${HOME}/.ssh/id_rsa`;
const opened = { ok: true };
const enoent = { ok: false, code: "ENOENT" };

/** The profile file and the effective config with the same change to the profile's filesystem table. */
function withFilesystem(change: (filesystem: Table) => void) {
  return (f: FactValues) => {
    const profile = profileData() as Table;
    const effective = effectiveConfig() as Table;
    change(profile.permissions["azi4a2-autonomous"].filesystem);
    change(effective.permissions["azi4a2-autonomous"].filesystem);
    f.config = configFacts({ profile, effective });
  };
}

function openInside(f: FactValues, path: string, result: { ok: boolean; code?: string }): void {
  const entry = f.runner.credentialFiles?.find((e) => e.path === path);
  if (entry) entry.open = result;
}

testCheck(fsCredentials, {
  valid: [
    {
      name: "the README setup: the key and Codex's files are not mounted inside",
      status: "pass",
      observedIs: "none of the 3 credential files on the host opened inside",
      evidence: [
        `SSH private key ${SSH_KEY}: ENOENT`,
        `Codex profile ${PROFILE_PATH}: ENOENT`,
        `Codex config ${CODEX_HOME}/config.toml: ENOENT`,
      ],
    },
    {
      name: "a deny placeholder (EACCES) counts as refused",
      facts: (f) => openInside(f, SSH_KEY, { ok: false, code: "EACCES" }),
      status: "pass",
      evidence: `SSH private key ${SSH_KEY}: EACCES`,
    },
    {
      name: "no credential file on the host: skip with where it looked, never a pass",
      facts: (f) => {
        f.credentialFiles = [];
      },
      status: "skip",
      observed: "no credential file exists on this host: nothing that could leak (checked ~/.ssh",
    },
  ],
  invalid: [
    {
      name: '"~/.ssh" = "read": the key opens, the entry is named',
      facts: (f) => {
        withFilesystem((fs) => {
          fs["~/.ssh"] = "read";
        })(f);
        openInside(f, SSH_KEY, opened);
      },
      status: "fail",
      observedIs: `${SSH_KEY} (SSH private key) opened inside: allowed by "~/.ssh" = "read"`,
      remediation:
        'Remove the entry that lets them be read (named above), or deny them in the profile\'s filesystem table: "~/.ssh" = "none".',
    },
    {
      name: '"~/.codex" = "read" with auth.json denied: Codex\'s config files open',
      facts: (f) => {
        withFilesystem((fs) => {
          fs["~/.codex"] = "read";
        })(f);
        openInside(f, PROFILE_PATH, opened);
        openInside(f, `${CODEX_HOME}/config.toml`, opened);
      },
      status: "fail",
      observedIs: `${PROFILE_PATH} (Codex profile) opened inside: allowed by "~/.codex" = "read"`,
      evidence: `${CODEX_HOME}/config.toml (Codex config) opened inside: allowed by "~/.codex" = "read"`,
      remediation:
        'Remove the entry that lets them be read (named above), or deny them in the profile\'s filesystem table: "~/.codex" = "none".',
    },
    {
      name: "opened while no entry covers it: the sandbox in force is not the profile's",
      facts: (f) => openInside(f, SSH_KEY, opened),
      status: "fail",
      observed:
        "opened inside: no entry of [permissions.azi4a2-autonomous.filesystem] covers it: the sandbox in force is not the profile's (config.layers)",
    },
    {
      name: "a file the runner did not try",
      facts: (f) => {
        f.runner.credentialFiles = f.runner.credentialFiles?.slice(1);
      },
      status: "error",
      observedIs: `could not test: ${SSH_KEY} was not tried`,
    },
    {
      name: "an open that failed for another reason",
      facts: (f) => openInside(f, SSH_KEY, { ok: false, code: "EIO" }),
      status: "error",
      observed: "open failed for another reason",
    },
    {
      name: "a runner from before the credential probes",
      facts: (f) => {
        f.runner.credentialFiles = undefined;
      },
      status: "error",
      observedIs: "could not test: the runner did not try the credential files",
    },
  ],
});

const ENV_GLOB = '":workspace_roots" "**/*.env" = "none"';
const NEW_ENV = `${PROJECT}/codex-smoke-0123456789ab.env`;

/** The README profile plus a deny glob whose files at launch were refused; `created` is the file made after. */
function withEnvGlob(
  created: { write: { ok: boolean; code?: string }; readBack: { ok: boolean; code?: string } },
  landed: boolean,
) {
  return (f: FactValues) => {
    f.profileRules.rules.push({
      text: ENV_GLOB,
      access: "none",
      probe: { read: [`${PROJECT}/old.env`, `${PROJECT}/src/deep.env`], append: null, create: NEW_ENV },
      note: null,
      createdAfterLaunch: true,
    });
    f.runner.rules?.push({
      read: [
        { path: `${PROJECT}/old.env`, open: { ok: false, code: "EACCES" } },
        { path: `${PROJECT}/src/deep.env`, open: { ok: false, code: "EACCES" } },
      ],
      append: null,
      create: { path: NEW_ENV, ...created },
    });
    f.sideEffects.ruleWrites?.push({ path: NEW_ENV, landed });
  };
}

/** Replaces the outcome of the healthy plan's rule at `index`. */
function outcomeOf(
  index: number,
  change: (rule: NonNullable<FactValues["runner"]["rules"]>[number]) => void,
) {
  return (f: FactValues) => {
    const rule = f.runner.rules?.[index];
    if (rule) change(rule);
  };
}

testCheck(fsProfileRules, {
  valid: [
    {
      name: "the README profile: every entry holds",
      status: "pass",
      observedIs: "6 of 6 entries of [permissions.azi4a2-autonomous] hold",
      evidence: [
        '":minimal" = "read": holds: adduser.conf readable; adduser.conf not writable (EROFS)',
        '"/opt/codex/node_modules/@openai/codex-linux-x64/vendor" = "read": holds: NOTICE.md readable; NOTICE.md not writable (EROFS)',
        '"~/.codex/auth.json" = "none": holds: refused: auth.json EACCES',
        '":workspace_roots" "." = "write": holds: .codex-smoke-rule-0123456789ab-3 written inside and found on the host (removed)',
        '":workspace_roots" ".codex" = "read": holds: keep readable; keep not writable (EROFS)',
        '":workspace_roots" "www.azinstitute4autism.com" = "read": holds: index.html readable; index.html not writable (EROFS)',
      ],
    },
    {
      name: "an entry with nothing on the host to try it on says so",
      facts: (f) => {
        f.profileRules.rules.push({
          text: '"/srv/data" = "read"',
          access: "read",
          probe: null,
          note: "nothing to test: the path does not exist on the host",
          createdAfterLaunch: false,
        });
      },
      status: "pass",
      observedIs: "6 of 7 entries of [permissions.azi4a2-autonomous] hold (1 with nothing to test)",
      evidence: '"/srv/data" = "read": nothing to test: the path does not exist on the host',
    },
    {
      name: "a deny glob that also refuses a file made after launch",
      facts: withEnvGlob({ write: { ok: true }, readBack: { ok: false, code: "EACCES" } }, true),
      status: "pass",
      evidence: `${ENV_GLOB}: holds: refused: old.env EACCES, deep.env EACCES; created after launch: open EACCES`,
    },
    {
      name: "no custom profile in effect: nothing to prove",
      facts: (f) => {
        f.profileRules = { profile: null, rules: [] };
      },
      status: "skip",
      observed: "no custom permission profile is in effect",
    },
  ],
  invalid: [
    {
      name: "a deny glob that a file made after launch gets through (0.169): the hazard",
      facts: withEnvGlob({ write: { ok: true }, readBack: { ok: true } }, true),
      status: "warn",
      observedIs: `${ENV_GLOB}: present at launch refused (old.env EACCES, deep.env EACCES), but ${NEW_ENV}, created after launch, is readable inside and written through to the host`,
      remediation:
        "A deny glob covers only the files present when the session starts: a matching file made later is readable inside and reaches the host. Keep such files out of the writable project, or deny their folder by path instead of by glob.",
    },
    {
      name: "a denied file that opens",
      facts: outcomeOf(2, (rule) => {
        rule.read = [{ path: `${CODEX_HOME}/auth.json`, open: opened }];
      }),
      status: "fail",
      observedIs: `"~/.codex/auth.json" = "none": ${CODEX_HOME}/auth.json opened inside`,
    },
    {
      name: "a read entry that opens for writing (a --add-dir over it)",
      facts: outcomeOf(4, (rule) => {
        if (rule.append) rule.append.open = opened;
      }),
      status: "fail",
      observedIs: `":workspace_roots" ".codex" = "read": ${PROJECT}/.codex/keep opens for writing inside`,
    },
    {
      name: "a read entry whose file is not there inside",
      facts: outcomeOf(1, (rule) => {
        rule.read = [
          { path: "/opt/codex/node_modules/@openai/codex-linux-x64/vendor/NOTICE.md", open: enoent },
        ];
      }),
      status: "fail",
      observed: "NOTICE.md cannot be opened inside (ENOENT)",
    },
    {
      name: "a write entry the sandboxed user cannot write",
      facts: outcomeOf(3, (rule) => {
        if (rule.create) rule.create.write = { ok: false, code: "EACCES" };
      }),
      status: "fail",
      observedIs: `":workspace_roots" "." = "write": cannot write ${PROJECT}/.codex-smoke-rule-0123456789ab-3 inside (EACCES)`,
    },
    {
      name: "a write that stays in a throw-away layer",
      facts: (f) => {
        f.sideEffects.ruleWrites = [];
      },
      status: "fail",
      observed: "was written inside but is not on the host",
    },
    {
      name: "a write probe that tells neither way",
      facts: outcomeOf(0, (rule) => {
        if (rule.append) rule.append.open = { ok: false, code: "ETXTBSY" };
      }),
      status: "error",
      observed:
        'could not test: ":minimal" = "read": could not tell whether it is writable: /etc/adduser.conf ETXTBSY',
    },
    {
      name: "a runner from before the rule probes",
      facts: (f) => {
        f.runner.rules = undefined;
      },
      status: "error",
      observedIs: "could not test: the runner did not try the profile's entries",
    },
    {
      name: "no entry could be tested",
      facts: (f) => {
        f.profileRules.rules = f.profileRules.rules.map((rule) => ({
          ...rule,
          probe: null,
          note: "nothing to test",
        }));
        f.runner.rules = [];
      },
      status: "error",
      observed: "could not test any entry",
    },
  ],
});

const DENIED = "codex-smoke-denied.localhost";
const UNLISTED = "codex-smoke-0123456789ab.invalid";

/** The proxy on, one denied domain, the unlisted probe and an allowed registry host, with their outcomes. */
function withDomains(outcome: Partial<DomainRuleFacts>, proxyActive = true) {
  return (f: FactValues) => {
    const effective = effectiveConfig() as Table;
    effective.features = { network_proxy: true };
    effective.permissions["azi4a2-autonomous"].network.domains = { [DENIED]: "deny", "127.0.0.1": "allow" };
    f.config = configFacts({ effective });
    f.network.report.environment = {
      proxyVariables: proxyActive ? { HTTPS_PROXY: "http://127.0.0.1:35807" } : {},
      caVariables: {},
      codexProxyActive: proxyActive,
      allowLocalBinding: proxyActive ? false : null,
      inetSocket: "ECONNREFUSED",
    };
    const registry = "http://127.0.0.1:4873/astro";
    f.domainRules = {
      plan: {
        probes: [
          { rule: `"${DENIED}" = "deny"`, host: DENIED, url: `https://${DENIED}/`, expect: "blocked" },
          {
            rule: "a domain on no allowlist",
            host: UNLISTED,
            url: `https://${UNLISTED}/`,
            expect: "blocked",
          },
          { rule: '"127.0.0.1" = "allow"', host: "127.0.0.1", url: registry, expect: "allowed" },
        ],
        untested: [],
      },
      results: [
        null,
        null,
        {
          index: 2,
          host: "127.0.0.1",
          proxyActive,
          attempt: attempt("curl", registry, { httpStatus: 200, curlExit: 0 }),
        },
      ],
      kills: [
        {
          host: DENIED,
          rule: "denylist",
          sentence: `Network access to "${DENIED}" was blocked: domain is explicitly denied by policy and cannot be approved from this prompt.`,
        },
        {
          host: UNLISTED,
          rule: "allowlist",
          sentence: `Network access to "${UNLISTED}" was blocked: domain is not on the allowlist for the current sandbox mode.`,
        },
        null,
      ],
      finished: [false, false, true],
      ...outcome,
    };
  };
}

testCheck(netProfileRules, {
  valid: [
    {
      name: "denied and unlisted refused by the proxy, the allowed registry reached",
      facts: withDomains({}),
      status: "pass",
      observedIs: "all 3 domain rules probed hold",
      evidence: `"${DENIED}" = "deny" (${DENIED}): refused by the proxy: Network access to "${DENIED}" was blocked: domain is explicitly denied by policy and cannot be approved from this prompt.`,
    },
    {
      name: "the README setup: no proxy, no domains",
      status: "skip",
      observedIs: "no network rules to prove: Codex's managed proxy is off and the profile lists no domains",
    },
    {
      name: "curl saw the proxy's 403 before Codex killed the command",
      facts: (f) => {
        withDomains({})(f);
        f.domainRules.kills[0] = null;
        f.domainRules.results[0] = {
          index: 0,
          host: DENIED,
          proxyActive: true,
          attempt: attempt("curl", `https://${DENIED}/`, {
            connectStatus: 403,
            curlExit: 56,
            proxyError: "blocked-by-denylist",
            message: "curl: (56) CONNECT tunnel failed, response 403",
          }),
        };
      },
      status: "pass",
      evidence: `"${DENIED}" = "deny" (${DENIED}): refused by the proxy: curl: blocked by the proxy policy (denylist)`,
    },
  ],
  invalid: [
    {
      name: "domains listed, but no command sees Codex's proxy: not enforced",
      facts: (f) => {
        withDomains(
          {
            kills: [null, null, null],
            results: [0, 1, 2].map((index) => ({ index, host: "x", proxyActive: false, attempt: null })),
          },
          false,
        )(f);
      },
      status: "fail",
      observedIs: `"${DENIED}" = "deny": no command inside sees Codex's managed proxy (CODEX_NETWORK_PROXY_ACTIVE unset): the profile's domain rules are not enforced`,
      // The config has the proxy on and the network enabled: the fix names neither as missing.
      remediation:
        "The config turns Codex's managed proxy on and the profile's network is enabled, yet no command saw the proxy: look for what replaces the permission profile at launch (config.layers, launcher.flags), and use a Codex release that runs the proxy.",
    },
    {
      name: "a denied domain that was not refused",
      facts: (f) => {
        withDomains({})(f);
        f.domainRules.kills[0] = null;
        f.domainRules.results[0] = {
          index: 0,
          host: DENIED,
          proxyActive: true,
          attempt: attempt("curl", `https://${DENIED}/`, { httpStatus: 200, curlExit: 0 }),
        };
      },
      status: "fail",
      observedIs: `"${DENIED}" = "deny": ${DENIED} was not refused by the proxy: curl: ok (HTTP 200)`,
    },
    {
      name: "an allowed domain the proxy blocked",
      facts: (f) => {
        withDomains({})(f);
        f.domainRules.kills[2] = {
          host: "127.0.0.1",
          rule: "private-address",
          sentence:
            'Network access to "127.0.0.1" was blocked: local/private network addresses are blocked by the sandbox policy.',
        };
        f.domainRules.results[2] = null;
      },
      status: "fail",
      observed: '"127.0.0.1" = "allow": blocked although allowed: Network access to "127.0.0.1" was blocked',
    },
    {
      name: "an allowed domain not reached: classified, a warning",
      facts: (f) => {
        withDomains({})(f);
        f.domainRules.results[2] = {
          index: 2,
          host: "127.0.0.1",
          proxyActive: true,
          attempt: attempt("curl", "https://127.0.0.1/", {
            curlExit: 35,
            message: "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 127.0.0.1:443",
          }),
        };
      },
      status: "warn",
      observed: '"127.0.0.1" = "allow": allowed, not reached: curl: connection reset (exit 35)',
    },
    {
      name: "a probe that left no trace",
      facts: withDomains({ kills: [null, null, null] }),
      status: "error",
      observedIs: `could not test "${DENIED}" = "deny": the probe's command left no trace`,
    },
  ],
});

const BASE_WITH_SANDBOX = { analytics: { enabled: false }, sandbox_mode: "workspace-write" };

testCheck(configLayers, {
  valid: [
    {
      name: "the README setup: the profile file decides and the launches run it",
      status: "pass",
      observedIs: `"azi4a2-autonomous" decides (${PROFILE_PATH}) and is in force (CODEX_PERMISSION_PROFILE inside the sandbox); nothing conflicts`,
      evidence: "approval: requested never (launcher -c); applied never (/status)",
    },
    {
      name: "no profile is requested: config.profile owns it",
      facts: (f) => {
        const effective = effectiveConfig() as Table;
        delete effective.default_permissions;
        const profile = profileData() as Table;
        delete profile.default_permissions;
        f.config = configFacts({ profile, effective });
      },
      status: "skip",
      observed: "no permission profile is requested",
    },
  ],
  invalid: [
    {
      name: "a stray sandbox_mode in config.toml, overridden at runtime: the latent hazard",
      facts: (f) => {
        f.config = configFacts({
          base: BASE_WITH_SANDBOX,
          effective: { ...effectiveConfig(), sandbox_mode: "workspace-write" },
        });
      },
      status: "warn",
      observed: `${CODEX_HOME}/config.toml sets sandbox_mode = "workspace-write": harmless with this release and --profile ("azi4a2-autonomous" in force per CODEX_PERMISSION_PROFILE inside the sandbox); latent: a plain \`codex\` start (without --profile) would run the legacy sandbox`,
    },
    {
      name: "a lower default_permissions naming another profile",
      facts: (f) => {
        f.config = configFacts({ base: { default_permissions: ":workspace" }, effective: effectiveConfig() });
      },
      status: "warn",
      observed: `${CODEX_HOME}/config.toml sets default_permissions = ":workspace": harmless`,
    },
    {
      name: "a legacy [network_proxy] table: ignored by Codex",
      facts: (f) => {
        f.config = configFacts({ base: { network_proxy: { enabled: true } }, effective: effectiveConfig() });
      },
      status: "warn",
      observed: "has a legacy [network_proxy] table",
      remediation:
        "Remove the legacy `[network_proxy]` table; turn the managed proxy on with `[features] network_proxy = true`.",
    },
    {
      name: "a launcher -c sandbox_mode that took effect",
      facts: (f) => {
        f.config = configFacts({ effective: { ...effectiveConfig(), sandbox_mode: "workspace-write" } }, [
          'sandbox_mode="workspace-write"',
        ]);
        f.runner.permissionProfile = null;
        f.exec.header = { ...f.exec.header, sandbox: "workspace-write [workdir, /tmp, $TMPDIR]" };
      },
      status: "fail",
      observedIs: `the launches ran no permission profile (CODEX_PERMISSION_PROFILE inside the sandbox), not "azi4a2-autonomous" (${PROFILE_PATH}): launcher -c sets sandbox_mode = "workspace-write" took effect`,
      evidence: 'launcher -c sets sandbox_mode = "workspace-write": in force',
    },
    {
      name: "another profile in force with nothing in the files to explain it",
      facts: (f) => {
        f.runner.permissionProfile = "corp-locked";
      },
      status: "fail",
      observed:
        'the launches ran "corp-locked" (CODEX_PERMISSION_PROFILE inside the sandbox), not "azi4a2-autonomous"',
      remediation:
        "Find the layer that decides: managed requirements (/etc/codex/requirements.toml, cloud or MDM) can force a profile the user's files do not name.",
    },
    {
      name: "requirements.toml leaves the profile out of its allowlist and forces its own",
      facts: (f) => {
        const requirements = f.config.system[2];
        if (requirements) {
          requirements.exists = true;
          requirements.data = {
            default_permissions: ":workspace",
            allowed_permission_profiles: { ":workspace": true },
          };
        }
        f.runner.permissionProfile = ":workspace";
      },
      status: "fail",
      observedIs:
        '/etc/codex/requirements.toml (allowed_permission_profiles leaves "azi4a2-autonomous" out) forces default_permissions = ":workspace": took effect (Codex runs ":workspace" instead of "azi4a2-autonomous")',
    },
    {
      name: "a conflict that no launch showed either way: the reading stands",
      facts: (f) => {
        f.config = configFacts({ base: BASE_WITH_SANDBOX, effective: effectiveConfig() });
      },
      missing: { runner: "not needed", tui: "not needed" },
      status: "fail",
      observedIs: `${CODEX_HOME}/config.toml sets sandbox_mode = "workspace-write": no launch showed the profile in force over it`,
    },
    {
      name: "nothing conflicts but no launch ran: the missing fact's reason",
      missing: { runner: "Codex 0.133.0 cannot load permission profiles", tui: "the same" },
      status: "error",
      observedIs: "could not test: runner: Codex 0.133.0 cannot load permission profiles",
    },
    {
      name: "the launches ran but showed no profile name (an older runner, a /status without one)",
      facts: (f) => {
        f.runner.permissionProfile = undefined;
        f.tui.permissions = "Custom (workspace with network access, never)";
      },
      status: "error",
      observedIs: "could not test: no launch showed which permission profile is in force",
    },
  ],
});

describe("config.layers on a release too old for the setup", () => {
  it("fails with the engine's one line and the upgrade, as the checks that need a launch do", () => {
    const broken = brokenSetup(
      "Codex 0.133.0 cannot load permission profiles; this setup needs 0.139 or newer",
      {
        expected: "a Codex release that can run this setup (0.139 or newer)",
        remediation: "Upgrade Codex to 0.139 or newer.",
      },
    );
    const facts = { ...factsOf(healthyFacts()), runner: broken, tui: broken, exec: broken, network: broken };
    const result = runCheck(configLayers, facts, { expect: DEFAULT_EXPECTATIONS });
    expect([result.status, result.observed, result.remediation]).toEqual([
      "fail",
      "Codex 0.133.0 cannot load permission profiles; this setup needs 0.139 or newer",
      "Upgrade Codex to 0.139 or newer.",
    ]);
  });
});

/** The domain probes' plan emptied, with `untested` as what the host did not probe. */
function noProbes(untested: string[]) {
  return (f: FactValues) => {
    f.domainRules = { plan: { probes: [], untested }, results: [], kills: [], finished: [] };
  };
}

const LEGACY_FLAG_FIX =
  "Remove `--full-auto` from the launcher (see launcher.flags): Codex enforces it instead of the permission profile, whose rules then apply.";

function legacyFlagPassed(f: FactValues): void {
  const exec = f.launcher.observed.exec;
  if (exec) exec.parsed.legacyFlags = ["--full-auto"];
}

/** Every probe ran without Codex's proxy in sight. */
const proxyUnseen = {
  kills: [null, null, null],
  results: [0, 1, 2].map((index) => ({ index, host: "x", proxyActive: false, attempt: null })),
};

testCheck(netProfileRules, {
  valid: [
    {
      name: "an allowed domain answering with an HTTP error status is reached; every probe's line in the evidence",
      facts: (f) => {
        withDomains({})(f);
        f.domainRules.plan.untested = ['"*.example.com" = "deny": a glob, no host to try'];
        const result = f.domainRules.results[2];
        if (result?.attempt) result.attempt.httpStatus = 404;
      },
      status: "pass",
      evidence: [
        `"${DENIED}" = "deny" (${DENIED}): refused by the proxy: Network access to "${DENIED}" was blocked: domain is explicitly denied by policy and cannot be approved from this prompt.`,
        `a domain on no allowlist (${UNLISTED}): refused by the proxy: Network access to "${UNLISTED}" was blocked: domain is not on the allowlist for the current sandbox mode.`,
        '"127.0.0.1" = "allow" (127.0.0.1): reachable: curl: HTTP 404 (exit 0)',
        'not probed: "*.example.com" = "deny": a glob, no host to try',
        "network inside: Codex's managed proxy http://127.0.0.1:35807 (local/private addresses blocked)",
        "managed proxy in the config: features.network_proxy not set (off); [permissions.azi4a2-autonomous.network] enabled = true, domains: 1 allowed, 1 denied",
      ],
    },
    {
      name: "domains listed but nothing probed: the network is off, and what was not probed is named",
      facts: (f) => {
        withDomains({})(f);
        noProbes(['"codex-smoke-denied.localhost" = "deny": the network is off'])(f);
      },
      status: "skip",
      observedIs: "no network rules to prove: the profile's network is off",
      evidence: '"codex-smoke-denied.localhost" = "deny": the network is off',
    },
    {
      name: "the proxy on but no domain listed and nothing probed: the network is off",
      facts: (f) => {
        const effective = effectiveConfig() as Table;
        effective.features = { network_proxy: true };
        f.config = configFacts({ effective });
        noProbes([])(f);
      },
      status: "skip",
      observedIs: "no network rules to prove: the profile's network is off",
    },
    {
      name: "no config and no network facts: nothing listed, no mode lines",
      missing: { config: "not gathered", network: "not gathered" },
      status: "skip",
      observedIs: "no network rules to prove: Codex's managed proxy is off and the profile lists no domains",
      evidence: [],
    },
  ],
  invalid: [
    {
      name: "an allowed domain refused by the proxy's policy (curl saw the 403): find what refuses it",
      facts: (f) => {
        withDomains({})(f);
        f.domainRules.results[2] = {
          index: 2,
          host: "127.0.0.1",
          proxyActive: true,
          attempt: attempt("curl", "https://127.0.0.1/", {
            connectStatus: 403,
            curlExit: 56,
            proxyError: "blocked-by-denylist",
            message: "curl: (56) CONNECT tunnel failed, response 403",
          }),
        };
      },
      status: "fail",
      observedIs:
        '"127.0.0.1" = "allow": blocked although allowed: curl: blocked by the proxy policy (denylist): CONNECT answered 403, x-proxy-error: blocked-by-denylist',
      remediation:
        'Find what refuses 127.0.0.1 despite "127.0.0.1" = "allow": a deny entry that matches it wins (narrow it); a private address also needs `allow_local_binding = true`.',
    },
    {
      name: "a probe that finished but recorded nothing",
      facts: (f) => {
        withDomains({ kills: [null, null, null] })(f);
        f.domainRules.finished = [true, true, true];
      },
      status: "error",
      observedIs: `could not test "${DENIED}" = "deny": the probe recorded nothing`,
    },
    {
      name: "no command sees the proxy and the config never turns it on: turn it on",
      facts: (f) => {
        withDomains(proxyUnseen, false)(f);
        delete (f.config.effective as Table).features;
      },
      status: "fail",
      remediation:
        "Set `[features] network_proxy = true`: without Codex's managed proxy the domains table is not enforced.",
    },
    {
      name: "no command sees the proxy under a legacy flag: the flag is the fix",
      facts: (f) => {
        withDomains(proxyUnseen, false)(f);
        legacyFlagPassed(f);
      },
      status: "fail",
      remediation: LEGACY_FLAG_FIX,
    },
    {
      name: "no command sees the proxy and the profile's network is off: the switch is the fix",
      facts: (f) => {
        withDomains(proxyUnseen, false)(f);
        (f.config.effective as Table).permissions["azi4a2-autonomous"].network.enabled = false;
      },
      status: "fail",
      remediation: "Set `enabled = true` under [permissions.azi4a2-autonomous.network] (it is false).",
    },
    {
      name: "a denied domain not refused under a legacy flag: the flag is the fix",
      facts: (f) => {
        withDomains({})(f);
        f.domainRules.kills[0] = null;
        f.domainRules.results[0] = {
          index: 0,
          host: DENIED,
          proxyActive: true,
          attempt: attempt("curl", `https://${DENIED}/`, { httpStatus: 200, curlExit: 0 }),
        };
        legacyFlagPassed(f);
      },
      status: "fail",
      observed: "was not refused by the proxy",
      remediation: LEGACY_FLAG_FIX,
    },
  ],
});

testCheck(fsCredentials, {
  valid: [
    {
      name: "a file refused with EPERM counts as refused",
      facts: (f) => openInside(f, SSH_KEY, { ok: false, code: "EPERM" }),
      status: "pass",
      evidence: `SSH private key ${SSH_KEY}: EPERM`,
    },
  ],
  invalid: [
    {
      name: "two files opened, a third not tried: each named in the evidence, both denied in the fix",
      facts: (f) => {
        openInside(f, SSH_KEY, opened);
        openInside(f, `${CODEX_HOME}/config.toml`, opened);
        f.runner.credentialFiles = f.runner.credentialFiles?.filter((entry) => entry.path !== PROFILE_PATH);
      },
      status: "fail",
      evidence: [
        `${SSH_KEY} (SSH private key) opened inside: no entry of [permissions.azi4a2-autonomous.filesystem] covers it: the sandbox in force is not the profile's (config.layers)`,
        `${CODEX_HOME}/config.toml (Codex config) opened inside: no entry of [permissions.azi4a2-autonomous.filesystem] covers it: the sandbox in force is not the profile's (config.layers)`,
        `SSH private key ${SSH_KEY}: opened`,
        `Codex profile ${PROFILE_PATH}: not tried`,
        `Codex config ${CODEX_HOME}/config.toml: opened`,
      ],
      remediation:
        'Remove the entry that lets them be read (named above), or deny them in the profile\'s filesystem table: "~/.ssh" = "none", "~/.codex" = "none".',
    },
    {
      name: "an open that failed without an errno, and a file not tried: both untested, each in the evidence",
      facts: (f) => {
        openInside(f, SSH_KEY, { ok: false });
        f.runner.credentialFiles = f.runner.credentialFiles?.filter((entry) => entry.path !== PROFILE_PATH);
      },
      status: "error",
      evidence: [
        `${SSH_KEY}: open failed for another reason (failed)`,
        `${PROFILE_PATH} was not tried`,
        `SSH private key ${SSH_KEY}: failed`,
        `Codex profile ${PROFILE_PATH}: not tried`,
        `Codex config ${CODEX_HOME}/config.toml: ENOENT`,
      ],
    },
  ],
});
