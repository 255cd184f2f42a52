// The pieces of issue 19's trust work on real files, without Codex: the runner's launcher probe changes nothing,
// the host resolves the launcher's files and hashes them (a swapped-in symlink or FIFO is no file), stagings
// expire, live-session results are labelled, and every reporter shows the label.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { evaluate } from "../src/audit/evaluate.js";
import { hashFiles, launcherFiles } from "../src/audit/launcher-files.js";
import { expireStagings } from "../src/audit/probe-staging.js";
import { CACHE_DIR } from "../src/audit/session.js";
import { parseRunnerReport, UntrustedInputError } from "../src/audit/untrusted.js";
import { DEFAULT_EXPECTATIONS } from "../src/core/expectations.js";
import type { Report } from "../src/core/model.js";
import { render } from "../src/reporters/index.js";
import { ownNamespaces } from "../src/runner/attest.js";
import { probeLauncherFiles } from "../src/runner/integrity.js";
import { main } from "../src/runner/main.js";
import { factsOf } from "./checks/rule-tester.js";
import { healthyFacts } from "./fixtures/facts/healthy.js";
import { treeState } from "./helpers/tree.js";

let root: string;
beforeEach(() => {
  mkdirSync(join(homedir(), ".cache", "codex-smoke"), { recursive: true });
  root = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-trust-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("the runner's probe of the launcher's files", () => {
  it("opens for append and closes: nothing created, nothing changed, a symlink or FIFO refused", () => {
    const file = join(root, "codex-auto");
    writeFileSync(file, "#!/bin/sh\n");
    symlinkSync(file, join(root, "link"));
    execFileSync("mkfifo", [join(root, "fifo")]);
    // treeState would block reading the FIFO: it is compared by its type only.
    const state = () => treeState(root, (rel) => rel === "fifo");
    const before = state();
    const probes = probeLauncherFiles([file, join(root, "missing"), join(root, "link"), join(root, "fifo")]);
    expect(probes.map((p) => [p.append.ok ? "ok" : p.append.code, p.folderWritable.ok, p.mount])).toEqual([
      ["ok", true, null],
      ["ENOENT", true, null],
      ["ELOOP", true, null],
      ["ENXIO", true, null],
    ]);
    expect(state()).toEqual(before);
    expect(existsSync(join(root, "missing"))).toBe(false);
  });

  it("knows a mount point of its own (here: the root of the filesystem)", () => {
    expect(probeLauncherFiles(["/"])[0]?.mount).not.toBeNull();
  });
});

describe("the host's choice of files and their hashes", () => {
  it("the launcher and the project files it runs, as real paths; nothing outside the project but the launcher", () => {
    const project = join(root, "project");
    mkdirSync(join(project, "lib"), { recursive: true });
    for (const name of ["codex-auto", "lib/env.sh", "settings.sh"]) writeFileSync(join(project, name), "x\n");
    writeFileSync(join(root, "outside.sh"), "x\n");
    symlinkSync(join(project, "settings.sh"), join(project, "linked.sh"));
    const files = launcherFiles(join(project, "codex-auto"), project, [
      { line: 2, path: "lib/env.sh", from: "launcher" },
      { line: 3, path: "./linked.sh", from: "cwd" },
      { line: 4, path: "../outside.sh", from: "cwd" },
      { line: 5, path: "missing.sh", from: "cwd" },
      { line: 6, path: "lib", from: "cwd" },
    ]);
    expect(files).toEqual([
      join(project, "codex-auto"),
      join(project, "lib/env.sh"),
      join(project, "settings.sh"),
    ]);
  });

  it("hashes regular files only: a file replaced by a symlink or a FIFO hashes to null", () => {
    const file = join(root, "a");
    writeFileSync(file, "one\n");
    const before = hashFiles([file]);
    expect(before[file]).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(file, "two\n");
    expect(hashFiles([file])[file]).not.toBe(before[file]);
    rmSync(file);
    execFileSync("mkfifo", [file]);
    expect(hashFiles([file])).toEqual({ [file]: null });
    rmSync(file);
    symlinkSync(join(root, "elsewhere"), file);
    writeFileSync(join(root, "elsewhere"), "one\n");
    expect(hashFiles([file])).toEqual({ [file]: null });
  });
});

describe("stagings expire", () => {
  it("a record older than a week is removed, a newer one kept", () => {
    const stages = join(CACHE_DIR, "stages");
    // 0700, as the product makes it: audit-untrusted checks the mode of the folder whoever made it first.
    const created = mkdirSync(stages, { recursive: true, mode: 0o700 });
    const old = join(stages, `${"0".repeat(11)}a.json`);
    const fresh = join(stages, `${"0".repeat(11)}b.json`);
    for (const path of [old, fresh]) writeFileSync(path, "{}\n");
    const eightDaysAgo = (Date.now() - 8 * 24 * 3600 * 1000) / 1000;
    utimesSync(old, eightDaysAgo, eightDaysAgo);
    try {
      expect(expireStagings()).toContain(`${"0".repeat(11)}a.json`);
      expect([existsSync(old), existsSync(fresh)]).toEqual([false, true]);
    } finally {
      rmSync(fresh, { force: true });
      if (created) rmdirSync(created);
    }
  });
});

describe("the staged runner outside a sandbox", () => {
  it("refuses with the host's own namespaces in its input: exit 3, nothing written; a stray argument is usage", async () => {
    const input = join(root, "input.json");
    const report = join(root, "report.local.json");
    writeFileSync(
      input,
      JSON.stringify({
        schema: 2,
        nonce: "0123456789ab",
        hostNamespaces: ownNamespaces(),
        reports: { local: report },
      }),
    );
    const before = treeState(root);
    expect(await main([input, "local"])).toBe(3);
    expect(treeState(root)).toEqual(before);
    expect(await main([input, "local", "--force", "extra"])).toBe(2);
  });
});

describe("live-session results say where their evidence came from", () => {
  it("inside when the check reads the runner's facts, host otherwise; a check's own word counts; none outside a live session", () => {
    const values = healthyFacts();
    const selected = new Set(checks.map((c) => c.id));
    const watched = evaluate(checks, selected, factsOf(values), DEFAULT_EXPECTATIONS, (s) => s);
    expect(watched.filter((r) => r.evidenceFrom !== undefined)).toEqual([]);

    values.staging.flow = "live";
    values.staging.changed = [{ path: values.launcher.path, before: "a".repeat(64), after: "b".repeat(64) }];
    const live = evaluate(checks, selected, factsOf(values), DEFAULT_EXPECTATIONS, (s) => s);
    const from = Object.fromEntries(live.map((r) => [r.id, r.evidenceFrom]));
    expect(from["launcher.flags"]).toBe("host");
    expect(from["config.profile"]).toBe("host");
    expect(from["runner.report"]).toBe("inside");
    expect(from["fs.auth_json"]).toBe("inside");
    expect(from["net.registry"]).toBe("inside");
    // It read the runner's probes too, but its failure is the host's own hash comparison.
    expect([live.find((r) => r.id === "launcher.integrity")?.status, from["launcher.integrity"]]).toEqual([
      "fail",
      "host",
    ]);
  });

  it.each(["console", "markdown", "junit", "tap", "json"] as const)("%s shows it", (format) => {
    const values = healthyFacts();
    values.staging.flow = "live";
    const results = evaluate(
      checks,
      new Set(checks.map((c) => c.id)),
      factsOf(values),
      DEFAULT_EXPECTATIONS,
      (s) => s,
    );
    const report: Report = {
      schemaVersion: 1,
      tool: { name: "codex-smoke", version: "0.1.0" },
      startedAt: "2026-12-06T08:00:00.000Z",
      durationMs: 1000,
      target: {
        launcher: "/p/codex-auto",
        project: "/p",
        codexHome: "/h",
        profile: "p",
        codexVersion: "0.169.0",
        codexPath: "/c",
      },
      summary: { pass: results.length, fail: 0, warn: 0, skip: 0, error: 0 },
      incomplete: false,
      results,
    };
    const text = render(format, report, { color: false });
    const inside = results.filter((r) => r.evidenceFrom === "inside").length;
    if (format === "json") expect(text).toContain('"evidenceFrom": "inside"');
    else
      expect(text).toContain(
        `live session: ${inside} results as reported from inside the session (an agent there could have invented them), ${results.length - inside} verified on the host`,
      );
  });
});

describe("the report's launcher probes are read as untrusted input", () => {
  it("a probe with another mount value is refused, naming the field", () => {
    const report = { ...healthyFacts().runner, nonce: "0123456789ab" };
    const text = (mount: unknown) =>
      JSON.stringify({ ...report, launcherFiles: [{ ...report.launcherFiles[0], mount }] });
    expect(parseRunnerReport(text("ro"), "r", "local", "0123456789ab").launcherFiles[0]?.mount).toBe("ro");
    expect(() => parseRunnerReport(text("yes"), "r", "local", "0123456789ab")).toThrow(
      new UntrustedInputError('r.launcherFiles[0].mount: expected "ro" or "rw"'),
    );
    expect(() =>
      parseRunnerReport(JSON.stringify({ ...report, startedAt: 1 }), "r", "local", "0123456789ab"),
    ).toThrow("r.startedAt: expected a string");
  });
});
