// The runner report's shape, field by field (untrusted.ts): a report the agent wrote is accepted only with every
// field of the expected type, and a refusal names the field, never its content. And the --probe-report door's own
// checks (probe-staging.ts): the nonce's form, the project, the staged path, the record's modes, once.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acceptProbeReport, saveStagingRecord } from "../../src/audit/probe-staging.js";
import type { HostRecord } from "../../src/audit/record.js";
import { parseRunnerReport, readRegularFile, UntrustedInputError } from "../../src/audit/untrusted.js";
import type { RunnerInput } from "../../src/runner/types.js";
import { healthyFacts } from "../fixtures/facts/healthy.js";
import { pinGitNowhere } from "../helpers/git-nowhere.js";
import { tempDirs } from "../helpers/temp-dirs.js";

// git run by the code under test never reaches this checkout (test/helpers/git-nowhere.ts).
pinGitNowhere();

const NONCE = "0123456789ab";
const STAGES = join(homedir(), ".cache", "codex-smoke", "stages");
const { tempDir, removeAfterTest } = tempDirs("test-guard-untrusted-");

/** `value` with the field at `path` (`a.b[0].c`) set to `replacement`, or deleted for undefined. */
function withField(value: unknown, path: string, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split(/\.|\[(\d+)\]/).filter((key) => key !== undefined && key !== "");
  let target = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (replacement === undefined) delete target[last];
  else target[last] = replacement;
  return copy;
}

const local = () => ({ ...healthyFacts().runner, nonce: NONCE });
const net = () => ({ ...healthyFacts().network.report, nonce: NONCE });

function refusal(text: string, part: "local" | "net"): string {
  try {
    parseRunnerReport(text, "report", part, NONCE);
  } catch (error) {
    expect(error).toBeInstanceOf(UntrustedInputError);
    expect((error as Error).name).toBe("UntrustedInputError");
    return (error as Error).message;
  }
  return "accepted";
}

describe("parseRunnerReport, field by field", () => {
  it.each([
    ["attestation.namespaces.user", 5, "report.attestation.namespaces.user: expected a string"],
    ["attestation.namespaces", null, "report.attestation.namespaces: expected an object"],
    ["attestation.hostNamespaces", [], "report.attestation.hostNamespaces: expected an object"],
    ["attestation.pid1", undefined, "report.attestation.pid1: expected a string"],
    ["attestation.capEff", 0, "report.attestation.capEff: expected a string"],
    ["authJson", {}, "report.authJson: expected an array"],
    ["authJson[0].open.ok", "false", "report.authJson[0].open.ok: expected true or false"],
    ["authJson[0].open.code", null, "report.authJson[0].open.code: expected a string"],
    ["git", "x", "report.git: expected an object"],
    ["git.commit.detail", 1, "report.git.commit.detail: expected a string"],
    ["readonlyPaths[1].existed", "yes", "report.readonlyPaths[1].existed: expected true or false"],
    ["env.insecureSwitches", [], "report.env.insecureSwitches: expected an object"],
    ["env.insecureSwitches", null, "report.env.insecureSwitches: expected an object"],
    ["env.insecureSwitches", "x", "report.env.insecureSwitches: expected an object"],
    ["env.insecureSwitches", { A: 1 }, "report.env.insecureSwitches.A: expected a string"],
    ["env.secretNames", ["A", 3], "report.env.secretNames[1]: expected a string"],
    ["outside.writes", null, "report.outside.writes: expected an array"],
    ["project.write", "x", "report.project.write: expected an object"],
    ["home.readBack", 1, "report.home.readBack: expected an object"],
    ["outside.writes[0].dir", 1, "report.outside.writes[0].dir: expected a string"],
    ["outside.reads[0].path", null, "report.outside.reads[0].path: expected a string"],
    ["outside.reads[0]", ["p"], "report.outside.reads[0]: expected an object"],
    ["schema", "2", "report.schema: expected a number"],
    ["schema", 1, "report: not a codex-smoke runner report"],
    ["tool", "other", "report: not a codex-smoke runner report"],
    ["part", "net", 'report.part: expected "local"'],
  ])("local %s = %j: %s", (path, value, message) => {
    expect(refusal(JSON.stringify(withField(local(), path, value)), "local")).toBe(message);
  });

  it.each([
    ["complete", 1, "report.complete: expected true or false"],
    ["environment.inetSocket", null, "report.environment.inetSocket: expected a string"],
    ["environment.allowLocalBinding", "no", "report.environment.allowLocalBinding: expected true or false"],
    ["environment.proxyVariables", null, "report.environment.proxyVariables: expected an object"],
    [
      "tlsControl.attempts[0].httpStatus",
      "200",
      "report.tlsControl.attempts[0].httpStatus: expected a number",
    ],
    ["registry[0].timedOut", null, "report.registry[0].timedOut: expected true or false"],
    ["registry", {}, "report.registry: expected an array"],
    ["part", "local", 'report.part: expected "net"'],
  ])("net %s = %j: %s", (path, value, message) => {
    expect(refusal(JSON.stringify(withField(net(), path, value)), "net")).toBe(message);
  });

  it("null where the report allows it, and an optional field left out, are accepted", () => {
    const optional = withField(local(), "git.commit.detail", undefined);
    const nullable = withField(
      withField(optional, "attestation.hostNamespaces", null),
      "attestation.pid1",
      null,
    );
    expect(refusal(JSON.stringify(nullable), "local")).toBe("accepted");
    const quiet = withField(withField(net(), "environment", null), "tlsControl", null);
    expect(refusal(JSON.stringify(withField(quiet, "registry", [])), "net")).toBe("accepted");
  });

  it("a report of the cap's length is parsed; one character more is refused unparsed", () => {
    const text = JSON.stringify(local());
    const full = text + " ".repeat(2 * 1024 * 1024 - text.length);
    expect(refusal(full, "local")).toBe("accepted");
    expect(refusal(`${full} `, "local")).toBe(`report: larger than ${2 * 1024 * 1024} bytes`);
  });

  it("not JSON, or JSON that is not an object: refused before any field", () => {
    expect(refusal("{ not json", "local")).toBe("report: not JSON");
    for (const text of ["[]", "null", "5", '"report"'])
      expect(refusal(text, "local")).toBe("report: expected an object");
  });

  it("a refusal never repeats the content", () => {
    const secret = "sk-proj-contentcontentcontent0";
    expect(refusal(JSON.stringify(withField(local(), "attestation.pid1", [secret])), "local")).not.toContain(
      secret,
    );
  });
});

describe("readRegularFile", () => {
  const openFds = () => readdirSync("/proc/self/fd").length;

  it("closes the file whether it accepts or refuses it", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "small.json"), "{}");
    writeFileSync(join(dir, "big.json"), " ".repeat(2 * 1024 * 1024 + 1));
    mkdirSync(join(dir, "folder"));
    const before = openFds();
    readRegularFile(join(dir, "small.json"));
    for (const name of ["big.json", "folder"])
      expect(() => readRegularFile(join(dir, name))).toThrow(UntrustedInputError);
    expect(openFds()).toBe(before);
  });

  it.runIf(existsSync("/sys/devices/system/cpu/online"))(
    "a file that ends before the size it reports is read to its end, not waited on",
    () => {
      // sysfs files report 4096 bytes and hold a few: the read loop must stop at the end of the data.
      const path = "/sys/devices/system/cpu/online";
      expect(statSync(path).size).toBeGreaterThan(readRegularFile(path).length);
      expect(readRegularFile(path)).toMatch(/^\d/);
    },
  );
});

describe("acceptProbeReport's own checks", () => {
  function staged(overrides: { project?: string; local?: string } = {}) {
    const project = tempDir();
    const nonce = randomBytes(6).toString("hex");
    mkdirSync(join(project, ".codex-smoke"));
    const report = join(project, ".codex-smoke", "report.local.json");
    const record = { nonce, project: overrides.project ?? project } as HostRecord;
    const input = {
      nonce,
      reports: { local: overrides.local ?? report, net: `${report}.net` },
    } as RunnerInput;
    const file = saveStagingRecord({
      record,
      input,
      stagedAt: new Date().toISOString(),
      launcher: "/bin/true",
      hashes: {},
    });
    removeAfterTest(file);
    writeFileSync(report, JSON.stringify({ ...healthyFacts().runner, nonce }));
    return { project, report, nonce, file };
  }
  const refused = (report: string, project: string) => {
    try {
      acceptProbeReport(report, project);
    } catch (error) {
      return (error as Error).message;
    }
    return "accepted";
  };

  it("the record is the host's alone (0600 in a 0700 folder) and goes once used, leaving nothing", () => {
    const { project, report, file } = staged();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(STAGES).mode & 0o777).toBe(0o700);
    expect(refused(report, project)).toBe("accepted");
    expect([existsSync(file), existsSync(`${file}.used`)]).toEqual([false, false]);
  });

  it("a nonce that is not 12 hex digits is not used to find a record", () => {
    const dir = tempDir();
    const path = join(dir, "r.json");
    for (const nonce of [
      "../../../etc/passwd",
      "0123456789AB",
      "0123456789abc",
      "x0123456789ab",
      123456789012,
      null,
    ]) {
      writeFileSync(path, JSON.stringify({ nonce }));
      expect(refused(path, dir)).toBe(`--probe-report ${path}: refused: ${path}: no valid nonce`);
    }
    writeFileSync(path, "{ nonce");
    expect(refused(path, dir)).toBe(`--probe-report ${path}: refused: ${path}: not JSON`);
  });

  it("staged for another project, or a report at another path than the staged one: refused, the record kept", () => {
    const other = staged({ project: "/elsewhere/project" });
    expect(refused(other.report, other.project)).toBe(
      `--probe-report ${other.report}: refused: staged for /elsewhere/project, not this project`,
    );
    expect(existsSync(other.file)).toBe(true);
    const moved = staged({ local: "/elsewhere/report.local.json" });
    expect(refused(moved.report, moved.project)).toBe(
      `--probe-report ${moved.report}: refused: expected /elsewhere/report.local.json`,
    );
    expect(existsSync(moved.file)).toBe(true);
  });

  it("a corrupt record of the host's own is not blamed on the report", () => {
    const { project, report, file } = staged();
    writeFileSync(file, "{ corrupt");
    expect(() => acceptProbeReport(report, project)).toThrow(SyntaxError);
  });
});
