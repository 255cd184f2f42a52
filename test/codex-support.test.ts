// What each Codex release supports, read from its real `--version`, `features list` and `exec --help` outputs
// (recorded in test/fixtures/codex/<release>/), and the version rules the audit applies.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { planAudit } from "../src/audit/plan.js";
import {
  execAppendedArgs,
  parseFeatureNames,
  parseLongOptions,
  supportFrom,
  unsupportedReason,
  withUnsupportedRelease,
} from "../src/codex/support.js";
import { compareVersions, isReleaseNumber, parseCodexVersion } from "../src/codex/version.js";
import { type Facts, gathered, notGathered } from "../src/core/model.js";

const fixture = (release: string, name: string) =>
  readFileSync(new URL(`./fixtures/codex/${release}/${name}`, import.meta.url), "utf8");

const recorded = (release: string) =>
  supportFrom(`/opt/codex-${release}/codex`, {
    version: fixture(release, "version.txt"),
    featuresList: fixture(release, "features-list.txt"),
    execHelp: fixture(release, "exec-help.txt"),
  });

describe("release numbers", () => {
  it.each([
    ["codex-cli 0.169.0\n", "0.169.0"],
    ["OpenAI Codex v0.150.0", "0.150.0"],
    ["codex-cli 0.170.0-alpha.2", "0.170.0-alpha.2"],
    ["codex-cli (dev build)", null],
    ["1.2", null],
    ["codex-cli 10.2.3", "10.2.3"],
    ["codex-cli 0.150.10", "0.150.10"],
  ])("parseCodexVersion(%j) is %j", (text, version) => {
    expect(parseCodexVersion(text)).toBe(version);
  });

  it.each([
    ["0.139.0", "0.150.0", -1],
    ["0.150.0", "0.139.0", 1],
    ["0.99.0", "0.139.0", -1],
    ["1.0.0", "0.999.9", 1],
    ["0.169.0", "0.169.0", 0],
    ["0.170.0-alpha.2", "0.170.0", -1],
    ["0.170.0-alpha.10", "0.170.0-alpha.2", 1],
    ["0.170.0-alpha.2", "0.170.0-beta.1", -1],
    ["0.170.0-alpha", "0.170.0-alpha.1", -1],
    ["0.170.0", "0.170.0-alpha.2", 1],
    ["0.170.0-beta.1", "0.170.0-alpha.2", 1],
    ["0.170.0-alpha.2", "0.170.0-alpha.10", -1],
    ["0.170.0-rc.9", "0.170.0-rc.10", -1],
    // Only identifiers of digits alone compare as numbers; the rest in ASCII order.
    ["0.170.0-10", "0.170.0-9a", -1],
    ["0.170.0-10-", "0.170.0-9", -1],
    ["0.170.0-10", "0.170.0-9-", -1],
    ["0.170.0-1e3", "0.170.0-5", -1],
    ["0.170.0-5", "0.170.0-1e3", 1],
    // Numerically equal, written differently: text order, the same both ways round.
    ["0.170.0-01", "0.170.0-1", -1],
    ["0.170.0-1", "0.170.0-01", 1],
  ])("compareVersions(%s, %s) is %i", (a, b, sign) => {
    expect(compareVersions(a, b)).toBe(sign);
  });

  it("comparing something that is not a release number is an error naming it", () => {
    expect(() => compareVersions("latest", "0.150.0")).toThrow("not a release number: latest");
    expect(() => compareVersions("0.150.0", "latest")).toThrow("not a release number: latest");
  });

  it("a release number is three numbers, an optional pre-release and nothing else", () => {
    expect(["0.150.0", "0.170.0-alpha.2"].map(isReleaseNumber)).toEqual([true, true]);
    expect(["0.150", "v0.150.0", "0.150.0 ", "latest", "./0.150.0/codex"].map(isReleaseNumber)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("what each recorded release supports", () => {
  it.each([
    ["0.133.0", false, true],
    ["0.139.0", false, true],
    ["0.150.0", true, true],
    ["0.160.0", true, true],
    ["0.169.0", true, true],
    ["0.171.0", true, true],
  ])("%s: --disable unbounded_connection_retries %s, --ephemeral %s", (release, retries, ephemeral) => {
    const support = recorded(release);
    expect(support.version).toBe(release);
    expect(support.disableConnectionRetries).toBe(retries);
    expect(support.ephemeral).toBe(ephemeral);
  });

  it("appends only what the release accepts, in a fixed order", () => {
    expect(execAppendedArgs(recorded("0.169.0"))).toEqual([
      "--disable",
      "unbounded_connection_retries",
      "--ephemeral",
    ]);
    expect(execAppendedArgs(recorded("0.139.0"))).toEqual(["--ephemeral"]);
    expect(execAppendedArgs({ ...recorded("0.169.0"), ephemeral: false })).toEqual([
      "--disable",
      "unbounded_connection_retries",
    ]);
    expect(execAppendedArgs(null)).toEqual([]);
  });

  it("reads feature names from the first column only", () => {
    const names = parseFeatureNames(fixture("0.171.0", "features-list.txt"));
    expect(names.has("unbounded_connection_retries")).toBe(true);
    expect(names.has("agent_message_board")).toBe(true);
    expect(names.has("stable")).toBe(false);
    expect(names.has("under")).toBe(false);
  });

  it("a feature name starts its line and is followed by two spaces and a column", () => {
    const names = parseFeatureNames("  indented  stable  true\nshort  stable  true\nalone   \n");
    expect([...names]).toEqual(["short"]);
  });

  it("reads documented options, not options mentioned in a description", () => {
    const help = "      --trust\n          Persists even with --ephemeral.\n  -p, --profile <NAME>\n";
    expect([...parseLongOptions(help)]).toEqual(["--trust", "--profile"]);
  });

  it("a release without the feature list keeps the retries flag off", () => {
    const support = supportFrom("/x/codex", {
      version: "codex-cli 0.150.0",
      featuresList: "",
      execHelp: fixture("0.150.0", "exec-help.txt"),
    });
    expect(support.disableConnectionRetries).toBe(false);
  });
});

describe("the support floor", () => {
  it.each([
    ["0.133.0", "Codex 0.133.0 cannot load permission profiles; this setup needs 0.139 or newer"],
    ["0.138.9", "Codex 0.138.9 cannot load permission profiles; this setup needs 0.139 or newer"],
    [
      "0.139.0-alpha.1",
      "Codex 0.139.0-alpha.1 cannot load permission profiles; this setup needs 0.139 or newer",
    ],
    ["0.139.0", null],
    ["0.171.0", null],
    ["2.0.0", null],
  ])("%s → %j", (version, reason) => {
    expect(unsupportedReason({ ...recorded("0.169.0"), version })).toBe(reason);
  });

  it("an unknown version or no Codex at all is audited normally", () => {
    expect(unsupportedReason({ ...recorded("0.169.0"), version: null })).toBeNull();
    expect(unsupportedReason(null)).toBeNull();
  });

  it("a too-old release is not launched at all; the static facts are still gathered", () => {
    const unsupported = planAudit(checks, ["playwright"], true);
    expect([...unsupported.facts].sort()).toEqual(["config", "launcher", "registry"]);
    expect([unsupported.exec, unsupported.runner, unsupported.tui, unsupported.hostSandbox]).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(unsupported.mcpServers).toEqual([]);
    const supported = planAudit(checks, ["playwright"], false);
    expect([supported.exec, supported.runner, supported.tui, supported.hostSandbox]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it("a too-old release makes every launch-based fact a broken setup with the one line and the upgrade as fix", () => {
    const facts = {
      launcher: gathered("static reading"),
      registry: gathered("registry"),
      config: gathered("config"),
      hostSandbox: notGathered("not needed"),
      exec: notGathered("not needed"),
      runner: notGathered("not needed"),
      sideEffects: notGathered("not needed"),
      tui: notGathered("not needed"),
      mcpGet: notGathered("not needed"),
    } as unknown as Facts;
    const reason = "Codex 0.133.0 cannot load permission profiles; this setup needs 0.139 or newer";
    const refused = withUnsupportedRelease(facts, reason);
    for (const name of [
      "hostSandbox",
      "exec",
      "runner",
      "network",
      "credentials",
      "sideEffects",
      "tui",
      "mcpGet",
      "mcpRuntime",
    ] as const) {
      expect(refused[name]).toEqual({
        ok: false,
        error: reason,
        breaks: {
          expected: "a Codex release that loads permission profiles (0.139 or newer)",
          remediation:
            "Upgrade Codex to 0.139 or newer (npm install -g @openai/codex@latest, or the release the setup is pinned to): an older release does not load the permission profile, so nothing it says applies.",
        },
      });
    }
    expect(refused.launcher).toEqual(gathered("static reading"));
    expect(refused.config).toEqual(gathered("config"));
    expect(withUnsupportedRelease(facts, null)).toBe(facts);
  });
});
