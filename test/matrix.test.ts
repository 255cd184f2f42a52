// The matrix verdict and table: releases ordered by version, rows that differ marked, and exit 1 exactly when a
// check that passed with an earlier release does not pass with a later one.
import { describe, expect, it } from "vitest";
import {
  buildMatrix,
  losesPass,
  type MatrixColumn,
  matrixExitCode,
  renderMatrix,
} from "../src/commands/matrix-table.js";
import type { CheckResult, Report, Status } from "../src/core/model.js";

const CHECKS = ["launcher.flags", "tui.permissions", "fs.auth_json"];

function report(version: string, statuses: Status[], observed: string[] = []): Report {
  const results: CheckResult[] = statuses.map((status, i) => ({
    id: CHECKS[i] as string,
    title: `title of ${CHECKS[i]}`,
    claim: "",
    status,
    expected: "",
    observed: observed[i] ?? `${status} observed`,
    evidence: [],
    remediation: "",
    durationMs: 0,
  }));
  const summary = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const status of statuses) summary[status]++;
  return {
    schemaVersion: 1,
    tool: { name: "codex-smoke", version: "0.1.0" },
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1000,
    target: { launcher: "", project: "", codexHome: "", profile: "", codexVersion: version, codexPath: "" },
    summary,
    incomplete: false,
    results,
  };
}

const column = (version: string, statuses: Status[], label = version): MatrixColumn => ({
  label,
  version,
  report: report(version, statuses),
});

describe("losesPass", () => {
  it.each([
    [["pass", "fail"], ["0.150.0", "0.169.0"], true],
    [["pass", "error"], ["0.150.0", "0.169.0"], true],
    [["pass", "warn"], ["0.150.0", "0.169.0"], true],
    [["pass", "skip"], ["0.150.0", "0.169.0"], true],
    [["pass", undefined], ["0.150.0", "0.169.0"], true],
    [["fail", "pass"], ["0.150.0", "0.169.0"], false],
    [["error", "pass"], ["0.150.0", "0.169.0"], false],
    [["pass", "pass", "fail"], ["0.150.0", "0.160.0", "0.171.0"], true],
    [["pass", "fail", "pass"], ["0.150.0", "0.160.0", "0.171.0"], true],
    [["fail", "fail"], ["0.150.0", "0.169.0"], false],
    [["pass", "fail"], ["0.169.0", "0.169.0"], false],
  ] as Array<[Array<Status | undefined>, string[], boolean]>)(
    "%j over %j → %s",
    (statuses, versions, lost) => {
      expect(losesPass(statuses, versions)).toBe(lost);
    },
  );
});

describe("buildMatrix", () => {
  it("orders releases by version, whatever the --codex order, and marks what differs and what lost a pass", () => {
    const matrix = buildMatrix([
      column("0.171.0", ["pass", "pass", "fail"]),
      column("0.150.0", ["pass", "error", "pass"]),
      column("0.169.0", ["pass", "pass", "pass"]),
    ]);
    expect(matrix.columns.map((c) => c.label)).toEqual(["0.150.0", "0.169.0", "0.171.0"]);
    expect(
      matrix.rows.map((row) => [row.id, row.cells.map((cell) => cell?.status), row.differs, row.lostPass]),
    ).toEqual([
      ["launcher.flags", ["pass", "pass", "pass"], false, false],
      ["tui.permissions", ["error", "pass", "pass"], true, false],
      ["fs.auth_json", ["pass", "pass", "fail"], true, true],
    ]);
  });

  it("a check missing from one report is a hole in its column", () => {
    const later = column("0.169.0", ["pass", "pass", "pass"]);
    later.report.results = later.report.results.slice(0, 2);
    const matrix = buildMatrix([column("0.150.0", ["pass", "pass", "pass"]), later]);
    expect(matrix.rows[2]?.cells.map((cell) => cell?.status)).toEqual(["pass", undefined]);
    expect(matrix.rows[2]?.lostPass).toBe(true);
  });
});

describe("matrixExitCode", () => {
  const exit = (...columns: MatrixColumn[]) => matrixExitCode(buildMatrix(columns), "fail");

  it("1 when a later release loses a pass", () => {
    expect(
      exit(column("0.150.0", ["pass", "pass", "pass"]), column("0.169.0", ["pass", "warn", "pass"])),
    ).toBe(1);
  });

  it("a later release that fixes a check is no regression: the earlier one's error makes it inconclusive (3)", () => {
    expect(
      exit(column("0.150.0", ["pass", "error", "pass"]), column("0.169.0", ["pass", "pass", "pass"])),
    ).toBe(3);
  });

  it("a check that fails with every release fails the matrix as it fails a run (1)", () => {
    expect(
      exit(column("0.150.0", ["pass", "pass", "fail"]), column("0.169.0", ["pass", "pass", "fail"])),
    ).toBe(1);
  });

  it("0 when every release passes; warnings count only with --fail-on warn", () => {
    expect(
      exit(column("0.150.0", ["pass", "pass", "pass"]), column("0.169.0", ["pass", "pass", "pass"])),
    ).toBe(0);
    const warned = buildMatrix([
      column("0.150.0", ["warn", "pass", "pass"]),
      column("0.169.0", ["warn", "pass", "pass"]),
    ]);
    expect(matrixExitCode(warned, "fail")).toBe(0);
    expect(matrixExitCode(warned, "warn")).toBe(1);
  });
});

describe("renderMatrix", () => {
  it("one row per check, one column per release, marks and what each release observed where they differ", () => {
    const earlier: MatrixColumn = {
      label: "0.150.0",
      version: "0.150.0",
      report: report(
        "0.150.0",
        ["pass", "error", "pass"],
        ["", "could not test: tui: timed out", "open fails"],
      ),
    };
    const later: MatrixColumn = {
      label: "0.169.0",
      version: "0.169.0",
      report: report("0.169.0", ["pass", "pass", "fail"], ["", "Profile p (workspace)", "opened\ninside"]),
    };
    const text = renderMatrix(buildMatrix([later, earlier]), { color: false, notes: ["0.150.0: note"] });
    expect(text).toBe(
      [
        "codex-smoke matrix: 3 checks × 2 releases, 2 differ, 1 lost pass",
        "",
        "    check            0.150.0  0.169.0",
        "    launcher.flags   PASS     PASS",
        "  ≠ tui.permissions  ERR      PASS",
        "  ✗ fs.auth_json     PASS     FAIL",
        "",
        "  ≠ tui.permissions  title of tui.permissions",
        "      0.150.0  could not test: tui: timed out",
        "      0.169.0  Profile p (workspace)",
        "",
        "  ✗ fs.auth_json  title of fs.auth_json",
        "      0.150.0  open fails",
        "      0.169.0  opened ⏎ inside",
        "",
        "  ≠ differs between releases   ✗ passed with an earlier release, not with a later one",
        "  0.150.0: note",
        "",
      ].join("\n"),
    );
  });

  it("colours status tags only when asked", () => {
    const matrix = buildMatrix([column("0.150.0", ["pass", "pass", "pass"])]);
    expect(renderMatrix(matrix, { color: true })).toContain("\x1b[32mPASS\x1b[0m");
    expect(renderMatrix(matrix, { color: false })).not.toContain("\x1b[");
  });
});
