// The network mode the net checks show as evidence (checks/net/_network-mode.ts): the line from inside, the line
// from the config layers (launcher flags > launcher -c > profile file > config.toml) and the note when they
// disagree, each written out for one setup.
import { describe, expect, it } from "vitest";
import { networkMode } from "../../checks/net/_network-mode.js";
import type { FactName, FactValues } from "../../src/core/model.js";
import type { NetEnvironment } from "../../src/runner/net-types.js";
import {
  CODEX_HOME,
  configFacts,
  effectiveConfig,
  healthyFacts,
  LAUNCHER_OVERRIDES,
  PROFILE_PATH,
  profileData,
} from "../fixtures/facts/healthy.js";
import { factsOf } from "./rule-tester.js";

const BASE_PATH = `${CODEX_HOME}/config.toml`;
const PROXY = "http://127.0.0.1:46513";
const BUNDLE = `${CODEX_HOME}/proxy/ca-bundle-f8f7a869.pem`;

const DIRECT = "network inside: direct, no proxy";
const NETWORK_ON = "[permissions.azi4a2-autonomous.network] enabled = true";
/** With the feature on, the domain counts are always shown. */
const NETWORK_ON_NO_DOMAINS = `${NETWORK_ON}, domains: 0 allowed, 0 denied`;
const NOT_SET = `managed proxy in the config: features.network_proxy not set (off); ${NETWORK_ON}`;
const NOTE = "note: the config turns Codex's managed proxy on, but no command inside sees it";

function modeOf(mutate: (f: FactValues) => void, missing: Partial<Record<FactName, string>> = {}): string[] {
  const values = healthyFacts();
  mutate(values);
  const facts = factsOf(values, missing);
  return networkMode(values.network, facts.config, facts.launcher);
}

/** Appends words to the argv the launcher passed to `codex exec`. */
const execArgs =
  (...args: string[]) =>
  (f: FactValues) => {
    const exec = f.launcher.observed.exec;
    if (exec) exec.argv = [...exec.argv, ...args];
  };

/** Config layers with the feature as given in config.toml and the profile file, plus extra launcher `-c`. */
const layers = (options: { base?: unknown; profile?: unknown; overrides?: string[] }) => (f: FactValues) => {
  const base = options.base === undefined ? {} : { features: { network_proxy: options.base } };
  const profile =
    options.profile === undefined
      ? profileData()
      : { ...profileData(), features: { network_proxy: options.profile } };
  f.config = configFacts({ base, profile, effective: effectiveConfig() }, [
    ...LAUNCHER_OVERRIDES,
    ...(options.overrides ?? []),
  ]);
};

/** The effective config's `[permissions.azi4a2-autonomous.network]` replaced (undefined: removed). */
const profileNetwork = (network: Record<string, unknown> | undefined) => (f: FactValues) => {
  const effective = effectiveConfig();
  const permissions = effective.permissions as Record<string, Record<string, unknown>>;
  const reference = permissions["azi4a2-autonomous"] as Record<string, unknown>;
  if (network === undefined) delete reference.network;
  else reference.network = network;
  f.config = configFacts({ effective });
};

const inside = (environment: Partial<NetEnvironment>) => (f: FactValues) => {
  const current = f.network.report.environment;
  if (current) f.network.report.environment = { ...current, ...environment };
};

const both =
  (...steps: Array<(f: FactValues) => void>) =>
  (f: FactValues) => {
    for (const step of steps) step(f);
  };

describe("networkMode: the launcher's --enable / --disable network_proxy", () => {
  it.each<[string, (f: FactValues) => void, string[]]>([
    [
      "--enable network_proxy in exec's argv: on, and nothing inside sees it",
      execArgs("--enable", "network_proxy"),
      [
        DIRECT,
        `managed proxy in the config: features.network_proxy on (launcher --enable); ${NETWORK_ON_NO_DOMAINS}`,
        NOTE,
      ],
    ],
    [
      "--enable then --disable=network_proxy: the last one wins, over config.toml's true",
      both(layers({ base: true }), execArgs("--enable", "network_proxy", "--disable=network_proxy")),
      [DIRECT, `managed proxy in the config: features.network_proxy off (launcher --disable); ${NETWORK_ON}`],
    ],
    [
      "--enable=network_proxy attached, another option after it",
      (f) => {
        const exec = f.launcher.observed.exec;
        if (exec) exec.argv = ["exec", "--enable=network_proxy", "--skip-git-repo-check"];
      },
      [
        DIRECT,
        `managed proxy in the config: features.network_proxy on (launcher --enable); ${NETWORK_ON_NO_DOMAINS}`,
        NOTE,
      ],
    ],
    [
      "--disable network_proxy after --enable=network_proxy",
      execArgs("--enable=network_proxy", "--disable", "network_proxy"),
      [DIRECT, `managed proxy in the config: features.network_proxy off (launcher --disable); ${NETWORK_ON}`],
    ],
    [
      "another feature enabled, and a profile named network_proxy: not the proxy's flag",
      (f) => {
        const exec = f.launcher.observed.exec;
        if (exec)
          exec.argv = ["exec", "--enable", "web_search", "--profile", "network_proxy", "--disable=plugins"];
      },
      [DIRECT, NOT_SET],
    ],
    [
      "no exec launch observed: the TUI's argv",
      (f) => {
        delete f.launcher.observed.exec;
        const tui = f.launcher.observed.tui;
        if (tui) tui.argv = [...tui.argv, "--enable", "network_proxy"];
      },
      [
        DIRECT,
        `managed proxy in the config: features.network_proxy on (launcher --enable); ${NETWORK_ON_NO_DOMAINS}`,
        NOTE,
      ],
    ],
    [
      "exec's argv, not the TUI's, when both were observed",
      (f) => {
        const tui = f.launcher.observed.tui;
        if (tui) tui.argv = [...tui.argv, "--enable", "network_proxy"];
      },
      [DIRECT, NOT_SET],
    ],
    [
      "no launch observed at all: the config decides",
      both(layers({ base: true }), (f) => {
        f.launcher.observed = {};
      }),
      [
        DIRECT,
        `managed proxy in the config: features.network_proxy on (${BASE_PATH}); ${NETWORK_ON_NO_DOMAINS}`,
        NOTE,
      ],
    ],
  ])("%s", (_name, mutate, lines) => {
    expect(modeOf(mutate)).toEqual(lines);
  });

  it("the launcher not read: its argv says nothing, the config decides", () => {
    expect(
      modeOf(both(layers({ base: false }), execArgs("--enable", "network_proxy")), {
        launcher: "no launcher",
      }),
    ).toEqual([
      DIRECT,
      `managed proxy in the config: features.network_proxy off (${BASE_PATH}); ${NETWORK_ON}`,
    ]);
  });
});

describe("networkMode: the feature in the config layers", () => {
  it.each<[string, (f: FactValues) => void, string]>([
    [
      "-c features.network_proxy=true",
      layers({ base: false, overrides: ["features.network_proxy=true"] }),
      `features.network_proxy on (launcher -c features.network_proxy=true); ${NETWORK_ON_NO_DOMAINS}`,
    ],
    [
      "-c features.network_proxy=true, then -c features.network_proxy.enabled=false: the last one wins",
      layers({ overrides: ["features.network_proxy=true", "features.network_proxy.enabled=false"] }),
      `features.network_proxy off (launcher -c features.network_proxy.enabled=false); ${NETWORK_ON}`,
    ],
    [
      "-c features.network_proxy.enabled=true alone",
      layers({ overrides: ["features.network_proxy.enabled=true"] }),
      `features.network_proxy on (launcher -c features.network_proxy.enabled=true); ${NETWORK_ON_NO_DOMAINS}`,
    ],
    [
      "a -c that is not a boolean is no setting: the files decide",
      layers({ base: true, overrides: ['features.network_proxy="yes"'] }),
      `features.network_proxy on (${BASE_PATH}); ${NETWORK_ON_NO_DOMAINS}`,
    ],
    [
      "a -c of another feature is not the proxy's",
      layers({ overrides: ["features.plugins=false"] }),
      `features.network_proxy not set (off); ${NETWORK_ON}`,
    ],
    [
      "the profile file over config.toml",
      layers({ base: true, profile: false }),
      `features.network_proxy off (${PROFILE_PATH}); ${NETWORK_ON}`,
    ],
    [
      "the profile file's table form over config.toml",
      layers({ base: false, profile: { enabled: true } }),
      `features.network_proxy on (${PROFILE_PATH}); ${NETWORK_ON_NO_DOMAINS}`,
    ],
    [
      "a value that is not a boolean in the profile file: config.toml decides",
      layers({ base: false, profile: "yes" }),
      `features.network_proxy off (${BASE_PATH}); ${NETWORK_ON}`,
    ],
    [
      "a table without enabled in the profile file: config.toml decides",
      layers({ base: false, profile: { mode: "full" } }),
      `features.network_proxy off (${BASE_PATH}); ${NETWORK_ON}`,
    ],
  ])("%s", (_name, mutate, line) => {
    expect(modeOf(mutate)[1]).toBe(`managed proxy in the config: ${line}`);
  });
});

describe("networkMode: the profile's network table", () => {
  it.each<[string, (f: FactValues) => void, string]>([
    [
      "no default_permissions",
      (f) => {
        const { default_permissions: _, ...effective } = effectiveConfig();
        f.config = configFacts({ effective });
      },
      "no default_permissions",
    ],
    ["no network table", profileNetwork(undefined), "[permissions.azi4a2-autonomous.network] missing"],
    [
      "an empty network table",
      profileNetwork({}),
      "[permissions.azi4a2-autonomous.network] enabled = not set",
    ],
    [
      "every key, domains counted with the proxy off",
      profileNetwork({
        enabled: false,
        allow_local_binding: false,
        mode: "full",
        domains: { "a.invalid": "allow", "b.invalid": "deny", "c.invalid": "allow" },
      }),
      '[permissions.azi4a2-autonomous.network] enabled = false, allow_local_binding = false, mode = "full", domains: 2 allowed, 1 denied',
    ],
  ])("%s", (_name, mutate, network) => {
    expect(modeOf(mutate)[1]).toBe(
      `managed proxy in the config: features.network_proxy not set (off); ${network}`,
    );
  });
});

describe("networkMode: the network inside", () => {
  it.each<[string, (f: FactValues) => void, string]>([
    [
      "Codex's proxy with HTTP_PROXY only, local binding allowed",
      inside({ codexProxyActive: true, allowLocalBinding: true, proxyVariables: { HTTP_PROXY: PROXY } }),
      `network inside: Codex's managed proxy ${PROXY} (local/private addresses allowed)`,
    ],
    [
      "HTTPS_PROXY over https_proxy; the CA variable that points at Codex's bundle",
      inside({
        codexProxyActive: true,
        allowLocalBinding: false,
        proxyVariables: { https_proxy: "http://127.0.0.1:1", HTTPS_PROXY: PROXY },
        caVariables: { SSL_CERT_FILE: "/etc/ssl/certs/ca-certificates.crt", NODE_EXTRA_CA_CERTS: BUNDLE },
      }),
      `network inside: Codex's managed proxy ${PROXY} (local/private addresses blocked, HTTPS intercepted (NODE_EXTRA_CA_CERTS=${BUNDLE}))`,
    ],
    [
      "a copy beside Codex's bundle is not the bundle: no interception",
      inside({
        codexProxyActive: true,
        proxyVariables: { HTTPS_PROXY: PROXY },
        caVariables: { SSL_CERT_FILE: `${BUNDLE}.bak` },
      }),
      `network inside: Codex's managed proxy ${PROXY} (local/private addresses blocked)`,
    ],
    [
      "only NODE_USE_ENV_PROXY: direct",
      inside({ proxyVariables: { NODE_USE_ENV_PROXY: "1" } }),
      "network inside: direct, no proxy",
    ],
    [
      "another proxy's variables, NODE_USE_ENV_PROXY left out",
      inside({ proxyVariables: { HTTP_PROXY: PROXY, NODE_USE_ENV_PROXY: "1", no_proxy: "localhost" } }),
      "network inside: proxy variables HTTP_PROXY, no_proxy, not Codex's managed proxy",
    ],
    [
      "sockets denied",
      inside({ inetSocket: "EPERM", proxyVariables: { HTTPS_PROXY: PROXY } }),
      "network inside: sockets denied (network off)",
    ],
  ])("%s", (_name, mutate, line) => {
    expect(modeOf(mutate)[0]).toBe(line);
  });

  it("nothing recorded inside: no note, even with the feature on", () => {
    expect(
      modeOf(
        both(layers({ base: true }), (f) => {
          f.network.report.environment = null;
        }),
      ),
    ).toEqual([
      "network inside: not recorded",
      `managed proxy in the config: features.network_proxy on (${BASE_PATH}); ${NETWORK_ON_NO_DOMAINS}`,
    ]);
  });

  it("the feature on and Codex's proxy seen inside: no note", () => {
    expect(
      modeOf(
        both(
          layers({ base: true }),
          inside({ codexProxyActive: true, proxyVariables: { HTTPS_PROXY: PROXY } }),
        ),
      ),
    ).toEqual([
      `network inside: Codex's managed proxy ${PROXY} (local/private addresses blocked)`,
      `managed proxy in the config: features.network_proxy on (${BASE_PATH}); ${NETWORK_ON_NO_DOMAINS}`,
    ]);
  });
});
