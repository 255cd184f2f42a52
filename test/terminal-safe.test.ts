// Issue 19 / decisions §28: escape sequences from input never reach a terminal or a report page raw. Each input
// (a report's strings, --expect, --baseline and diff files, file names) carries each payload, and each output
// (stderr lines, console, diff, matrix, Markdown, JUnit, TAP, JSON) must show it escaped.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffReports, renderDiff } from "../src/commands/diff.js";
import { buildMatrix, renderMatrix } from "../src/commands/matrix-table.js";
import type { CheckResult, Report } from "../src/core/model.js";
import { jsonText, terminalSafe, terminalSafeLine } from "../src/core/terminal-safe.js";
import { FORMATS, render } from "../src/reporters/index.js";
import { renderMarkdown } from "../src/reporters/markdown.js";
import { runCli } from "./helpers/audit.js";

/** What an attacker writes: clipboard write (OSC 52), a title change, clear screen, a raw 8-bit CSI, a bidi
 * override. */
const PAYLOADS = {
  osc52: "\x1b]52;c;ZWNobyBwd25lZA==\x07",
  title: "\x1b]0;totally legit\x07",
  clear: "\x1b[2J\x1b[H",
  csi8bit: "\u009b31mred\u009b0m",
  bidi: "\u202eexe.txt\u202c",
};
const ALL = Object.values(PAYLOADS).join(" ");

/** No raw control character a terminal acts on (tab and newline are text), no bidi control. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const dir = mkdtempSync(join(tmpdir(), "codex-smoke-terminal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hostileResult(status: CheckResult["status"], id = `fs.auth_json${PAYLOADS.title}`): CheckResult {
  return {
    id,
    title: `title ${ALL}`,
    claim: `claim ${ALL}`,
    status,
    expected: `expected ${ALL}`,
    observed: `observed ${ALL}`,
    evidence: [`evidence ${ALL}`, "second line"],
    remediation: `fix ${ALL}`,
    docs: `docs/checks/x${PAYLOADS.bidi}.md`,
    durationMs: 1,
  };
}

function hostileReport(status: CheckResult["status"] = "fail"): Report {
  return {
    schemaVersion: 1,
    tool: { name: "codex-smoke", version: "0.1.0" },
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1000,
    target: {
      launcher: `/p/codex-auto${PAYLOADS.clear}`,
      project: `/p${PAYLOADS.osc52}`,
      codexHome: `/h${PAYLOADS.csi8bit}`,
      profile: `profile${PAYLOADS.title}`,
      codexVersion: `codex-cli 0.169.0${PAYLOADS.bidi}`,
      codexPath: "/usr/bin/codex",
    },
    summary: { pass: 0, fail: status === "fail" ? 2 : 0, warn: status === "warn" ? 2 : 0, skip: 0, error: 0 },
    incomplete: false,
    results: [hostileResult(status), hostileResult(status, `net.registry${PAYLOADS.csi8bit}`)],
  };
}

describe("terminalSafe", () => {
  it.each(Object.entries(PAYLOADS))("escapes %s, keeping what it tried to do visible", (_name, payload) => {
    expect(terminalSafe(`a ${payload} b`)).not.toMatch(RAW);
    expect(terminalSafeLine(`a ${payload}\nb`)).not.toMatch(RAW);
  });

  it("writes the escapes readably; keeps line breaks and tabs in text, escapes them in a line; drops colour", () => {
    expect(terminalSafe(PAYLOADS.osc52)).toBe("\\x1b]52;c;ZWNobyBwd25lZA==\\x07");
    expect(terminalSafe(PAYLOADS.csi8bit)).toBe("\\x9b31mred\\x9b0m");
    expect(terminalSafe(PAYLOADS.bidi)).toBe("\\u202eexe.txt\\u202c");
    expect(terminalSafe("a\r\nb\tc\rd")).toBe("a\nb\tc\\rd");
    expect(terminalSafeLine("a\nb\tc")).toBe("a\\nb\\tc");
    expect(terminalSafe("\x1b[31mred\x1b[0m")).toBe("red");
  });

  it("jsonText escapes what JSON.stringify leaves raw (C1, U+2028/9, bidi) and stays the same JSON", () => {
    const value = { s: `${ALL} \u2028\u2029` };
    expect(JSON.stringify(value)).toMatch(/[\u009b\u2028\u202e]/);
    const text = jsonText(value);
    expect(text).not.toMatch(RAW);
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(text).toContain("\\u009b");
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe("every output of a report", () => {
  it.each(FORMATS)("%s: no raw control or bidi character from the report's strings", (format) => {
    const out = render(format, hostileReport(), { color: false });
    expect(out).not.toMatch(RAW);
    if (format === "json") expect(JSON.parse(out)).toEqual(hostileReport());
    else expect(out).toContain("\\x1b]52;c;ZWNobyBwd25lZA==");
  });

  it("console with colour: only codex-smoke's own colour codes", () => {
    const out = render("console", hostileReport(), { color: true });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: codex-smoke's own SGR codes are allowed
    expect(out.replace(/\x1b\[[0-9;]*m/g, "")).not.toMatch(RAW);
  });

  it("diff and the matrix table", () => {
    const diff = renderDiff(diffReports(hostileReport("warn"), hostileReport("fail")), { color: false });
    expect(diff).toContain("\\x9b");
    expect(diff).not.toMatch(RAW);
    const matrix = buildMatrix([
      { label: `0.150.0${PAYLOADS.clear}`, version: "0.150.0", report: hostileReport("warn") },
      { label: "0.169.0", version: "0.169.0", report: hostileReport("fail") },
    ]);
    const table = renderMatrix(matrix, { color: false, notes: [`note ${ALL}`] });
    expect(table).toContain("\\x1b[2J");
    expect(table).not.toMatch(RAW);
  });
});

describe("Markdown code spans (issue 23)", () => {
  it("a claim's `code` renders as code, not as escaped backticks; a stray backtick stays literal", () => {
    const report = hostileReport();
    const result = {
      ...(report.results[0] as CheckResult),
      claim: "The session reports `approval: never` and a ` alone.",
    };
    const md = renderMarkdown({ ...report, results: [result] });
    expect(md).toContain("The session reports `approval: never` and a \\` alone.");
    expect(md).not.toContain("\\`approval");
  });

  it("a pipe inside a code span in a table cell is escaped for the table", () => {
    const report = hostileReport();
    const result = { ...(report.results[0] as CheckResult), claim: "uses `a|b` here" };
    expect(renderMarkdown({ ...report, results: [result] })).toContain("uses `a\\|b` here");
  });
});

describe("stderr lines quoting input (real CLI)", () => {
  const env = { PATH: process.env.PATH ?? "", HOME: dir };

  it.each([
    ["a title change", PAYLOADS.title, "\\u001b]0;totally legit\\u0007"],
    ["a raw 8-bit CSI", PAYLOADS.csi8bit, "\\x9b31mred\\x9b0m"],
  ])("a --format value with %s", async (_name, payload, shown) => {
    const result = await runCli(["run", "--format", `json,${payload}`], { env, cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(shown);
    expect(result.stderr).not.toMatch(RAW);
  });

  it("an --expect key", async () => {
    const file = join(dir, "expect.json");
    writeFileSync(file, JSON.stringify({ [`profile${PAYLOADS.osc52}`]: "x", [PAYLOADS.csi8bit]: 1 }));
    const launcher = join(dir, "codex-auto");
    writeFileSync(launcher, "#!/bin/sh\n", { mode: 0o755 });
    const result = await runCli(["run", "--launcher", launcher, "--expect", file], { env, cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("\\x1b]52;c;");
    expect(result.stderr).not.toMatch(RAW);
  });

  it("diff's files: a status and an id from the file; and a clean diff of hostile reports on stdout", async () => {
    const bad = join(dir, `bad${PAYLOADS.clear}.json`);
    const report = hostileReport();
    writeFileSync(
      bad,
      JSON.stringify({ ...report, results: [{ ...report.results[0], status: PAYLOADS.bidi }] }),
    );
    const refused = await runCli(["diff", bad, bad], { env, cwd: dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("\\x1b[2J");
    expect(refused.stderr).not.toMatch(RAW);
    const [older, newer] = [join(dir, "older.json"), join(dir, "newer.json")];
    writeFileSync(older, JSON.stringify(hostileReport("warn")));
    writeFileSync(newer, JSON.stringify(hostileReport("fail")));
    const diffed = await runCli(["diff", older, newer], { env, cwd: dir });
    expect(diffed.exitCode).toBe(1);
    expect(diffed.stdout).toContain("Regressions");
    expect(diffed.stdout).not.toMatch(RAW);
  });
});
