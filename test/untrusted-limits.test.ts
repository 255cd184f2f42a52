// Issue 19: everything read from the sandbox is bounded in size and depth. A 400k-deep nested array (800 KB, under
// the size cap) in a runner report crashed the host with exit 4; now the report breaks a limit, the checks that
// need it are `error` with one line, and the audit's report is still written (exit 3).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runnerFacts } from "../src/audit/facts.js";
import { MAX_REPORT_BYTES, parseRunnerReport, UntrustedInputError } from "../src/audit/untrusted.js";
import { parseBoundedJson } from "../src/core/bounded-json.js";
import { gathered } from "../src/core/model.js";
import type { RunnerInput } from "../src/runner/types.js";
import { healthyFacts } from "./fixtures/facts/healthy.js";
import { audit, loopbackRegistry, runCli, withSetup } from "./helpers/audit.js";

const DEPTH = 400_000;
/** 800 KB: under the 2 MB cap, and deep enough to overflow any recursive walk. */
const depthBomb = () => `${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`;
const NONCE = "0123456789ab";
const healthyText = (extra: string) =>
  JSON.stringify(healthyFacts().runner).replace(/}$/, `,"padding":${extra}}`);

describe("parseBoundedJson", () => {
  it("cuts containers deeper than the limit to null and says so; strings with brackets are text", () => {
    expect(parseBoundedJson('{"a":[[1]],"b":"[[[","c":{"d":{}}}', 2)).toEqual({
      value: { a: [null], b: "[[[", c: { d: null } },
      tooDeep: true,
    });
    expect(parseBoundedJson('{"a":[1],"b":"]\\"[{"}', 2)).toEqual({
      value: { a: [1], b: ']"[{' },
      tooDeep: false,
    });
  });

  it("parses a 400k-deep array without recursing, and JSON.stringify of the value is safe", () => {
    const { value, tooDeep } = parseBoundedJson(depthBomb(), 32);
    expect(tooDeep).toBe(true);
    expect(JSON.stringify(value)).toBe(`${"[".repeat(32)}null${"]".repeat(32)}`);
  });

  it("text that is not JSON stays a SyntaxError", () => {
    expect(() => parseBoundedJson("[[[", 2)).toThrow(SyntaxError);
  });
});

describe("parseRunnerReport's limits", () => {
  it("a depth bomb in a field nobody checks is refused with one line naming the limit", () => {
    expect(() => parseRunnerReport(healthyText(depthBomb()), "report.local.json", "local", NONCE)).toThrow(
      new UntrustedInputError("report.local.json: nested deeper than 32 levels"),
    );
  });

  it("a line in the model channel bigger than the cap is refused without parsing it", () => {
    const huge = healthyText(JSON.stringify("x".repeat(MAX_REPORT_BYTES)));
    expect(() => parseRunnerReport(huge, "model channel", "local", NONCE)).toThrow(
      `model channel: larger than ${MAX_REPORT_BYTES} bytes`,
    );
  });

  it("a real report's depth passes", () => {
    expect(parseRunnerReport(healthyText("[[[1]]]"), "r", "local", NONCE).nonce).toBe(NONCE);
  });

  it("runnerFacts: a bomb in the file and in the model channel is one line, not a crash", () => {
    const input = { nonce: NONCE, reports: { local: "/p/report.local.json", net: "/p/report.net.json" } };
    const exec = gathered({
      ...healthyFacts().exec,
      commandOutputs: [`CODEX_SMOKE_REPORT ${healthyText(depthBomb())}`],
    });
    const { runner } = runnerFacts(
      { input: input as RunnerInput, read: () => healthyText(depthBomb()) },
      exec,
    );
    expect(runner).toEqual({ ok: false, error: "/p/report.local.json: nested deeper than 32 levels" });
  });
});

describe("a depth bomb in a live session's report (real CLI)", () => {
  it("the runner's checks are error with one line, the report is written, exit 3 (not 4)", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const registry = await loopbackRegistry();
        const staged = await runCli(["probe", "--stage", "--registry", registry], {
          env: setup.env,
          cwd: setup.project,
        });
        expect(staged.exitCode, staged.stderr).toBe(0);
        const input = JSON.parse(readFileSync(join(setup.project, ".codex-smoke", "input.json"), "utf8"));
        writeFileSync(input.reports.local, healthyText(depthBomb()).replace(NONCE, input.nonce));
        const result = await audit(setup, [
          "--probe-report",
          join(".codex-smoke", "report.local.json"),
          "--only",
          "runner.report,fs.auth_json",
        ]);
        expect(result.exitCode, result.stderr).toBe(3);
        expect(result.status("runner.report")).toBe("error");
        expect(result.report?.results.find((r) => r.id === "runner.report")?.observed).toBe(
          `could not test: ${input.reports.local}: nested deeper than 32 levels`,
        );
        expect(result.status("fs.auth_json")).toBe("error");
        expect(result.observed("fs.auth_json")).toContain("nested deeper than 32 levels");
      },
    );
  });
});

describe("JSON input files the user names get the same caps (--expect, --baseline, diff)", () => {
  // Made in beforeAll, not while the file is collected: a run that filters these tests out (`-t`, Stryker) would
  // never run the afterAll that removes it.
  let dir = "";
  const file = (name: string) => join(dir, name);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "codex-smoke-inputs-"));
    writeFileSync(file("codex-auto"), "#!/bin/sh\n", { mode: 0o755 });
    execFileSync("mkfifo", [file("fifo.json")]);
    writeFileSync(file("big.json"), `[${"0,".repeat(1024 * 1024)}0]`);
    writeFileSync(file("deep.json"), depthBomb());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["a FIFO", "fifo.json", "not a regular file"],
    ["a file over 2 MB", "big.json", "larger than 2097152 bytes"],
    ["a 400k-deep nesting", "deep.json", "nested deeper than 64 levels"],
  ])("%s is one line naming the file (exit 2), never a hang or a crash", async (_kind, name, why) => {
    const input = file(name);
    const launcher = file("codex-auto");
    const env = { PATH: process.env.PATH ?? "", HOME: dir };
    for (const args of [
      ["diff", input, input],
      ["run", "--launcher", launcher, "--expect", input],
      ["run", "--launcher", launcher, "--baseline", input],
    ]) {
      const result = await runCli(args, { env, cwd: dir, timeoutMs: 20_000 });
      expect(result.exitCode, args.join(" ")).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toContain(input);
      expect(result.stderr).toContain(why);
    }
  });
});
