// The helpers several checks share (checks/_shared.ts), on written-out inputs and outputs.
import { describe, expect, it } from "vitest";
import {
  blockedByPermission,
  describeProbe,
  fileLineColumn,
  firstLines,
  refusedToStart,
  settingSource,
} from "../../checks/_shared.js";
import { configFacts, effectiveConfig, LAUNCHER_OVERRIDES, PROFILE_PATH } from "../fixtures/facts/healthy.js";

describe("blockedByPermission", () => {
  it.each([
    [{ ok: false, code: "EROFS" }, true],
    [{ ok: false, code: "EACCES" }, true],
    [{ ok: false, code: "EPERM" }, true],
    [{ ok: false, code: "ENOENT" }, false],
    [{ ok: false, code: "exit:128" }, false],
    [{ ok: false }, false],
    [{ ok: true, code: "EROFS" }, false],
  ])("%j → %s", (probe, blocked) => {
    expect(blockedByPermission(probe)).toBe(blocked);
  });
});

describe("describeProbe", () => {
  it.each([
    [undefined, "not run"],
    [null, "not run"],
    [{ ok: true }, "ok"],
    [{ ok: true, code: "http:200" }, "ok http:200"],
    [{ ok: true, code: "exit:0", detail: "done\nmore" }, "ok exit:0 (done)"],
    [{ ok: false, code: "EROFS" }, "EROFS"],
    [{ ok: false }, "failed"],
    [{ ok: false, detail: "boom" }, "failed (boom)"],
    [
      { ok: false, code: "exit:128", detail: "fatal: Read-only file system\nhint: x" },
      "exit:128 (fatal: Read-only file system)",
    ],
  ])("%j → %s", (probe, text) => {
    expect(describeProbe(probe)).toBe(text);
  });
});

describe("fileLineColumn", () => {
  it("is the parse error as path:line:column: message, and null for a file that parsed", () => {
    const file = { path: "/c.toml", role: "base" as const, exists: true };
    expect(fileLineColumn({ ...file, parseError: { line: 3, column: 7, message: "bad" } })).toBe(
      "/c.toml:3:7: bad",
    );
    expect(fileLineColumn({ ...file, data: {} })).toBeNull();
  });
});

describe("settingSource", () => {
  it("takes the last launcher -c for the key first", () => {
    const config = configFacts({ effective: effectiveConfig() }, [
      ...LAUNCHER_OVERRIDES,
      "approval_policy=on-request",
    ]);
    expect(settingSource(config, "approval_policy")).toEqual({
      value: "on-request",
      source: "launcher -c approval_policy=on-request",
    });
  });

  it("then the profile file, then config.toml", () => {
    const config = configFacts({ base: { web_search: "cached", model: "m" }, effective: {} });
    expect(settingSource(config, "web_search")).toEqual({ value: "live", source: PROFILE_PATH });
    expect(settingSource(config, "model")).toEqual({ value: "m", source: "/home/alice/.codex/config.toml" });
    expect(settingSource(config, "nothing")).toBeNull();
  });

  it("skips a profile file that is missing", () => {
    const config = configFacts({ profile: null, base: { web_search: "cached" }, effective: {} });
    expect(settingSource(config, "web_search")).toEqual({
      value: "cached",
      source: "/home/alice/.codex/config.toml",
    });
  });
});

describe("firstLines", () => {
  it("trims, drops blank lines and keeps the first three unless told", () => {
    const text = "  one  \n\n   \ntwo\n three\nfour";
    expect(firstLines(text)).toEqual(["one", "two", "three"]);
    expect(firstLines(text, 1)).toEqual(["one"]);
    expect(firstLines(text, 5)).toEqual(["one", "two", "three", "four"]);
  });
});

describe("refusedToStart", () => {
  it("is error, could not test, with Codex's first line and up to four lines of evidence", () => {
    expect(refusedToStart("x in effect", "\nError: bad config\n  in a\n  in b\n  in c\n  in d")).toEqual({
      status: "error",
      expected: "x in effect",
      observed: "could not test: Codex refused to start: Error: bad config",
      evidence: ["Error: bad config", "in a", "in b", "in c"],
      // The fix is for the refusal, never the claim's: the claim was not tested.
      remediation:
        "Make Codex start on this setup: correct what its error names (evidence); running the launcher by hand shows the same error.",
    });
  });
});
