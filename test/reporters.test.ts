import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadReport } from "../src/commands/diff.js";
import type { Report } from "../src/core/model.js";
import {
  FORMATS,
  type Format,
  parseFormats,
  removeStaleFiles,
  render,
  writeReportFiles,
} from "../src/reporters/index.js";
import { openReportDir } from "../src/reporters/report-dir.js";

const SAMPLE = "test/fixtures/reports/sample.json";
let report: Report;

beforeAll(async () => {
  report = await loadReport(SAMPLE);
});

const lines = (text: string) => text.split("\n");

/** Minimal XML 1.0 well-formedness check: balanced tags, one root, quoted attributes, escaped text. */
function assertWellFormedXml(xml: string): void {
  expect(xml).not.toMatch(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u);
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, "");
  const tag =
    /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w:.-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>/g;
  const stack: string[] = [];
  let roots = 0;
  let last = 0;
  for (const m of body.matchAll(tag)) {
    const text = body.slice(last, m.index);
    expect(text).not.toMatch(/</);
    expect(text.replace(/&(amp|lt|gt|quot|apos);/g, "")).not.toMatch(/&/);
    if (stack.length === 0) expect(text.trim()).toBe("");
    last = m.index + m[0].length;
    const [, closing, name, , selfClosing] = m;
    if (closing) expect(stack.pop()).toBe(name);
    else {
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name as string);
    }
  }
  expect(body.slice(last).trim()).toBe("");
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

describe("every format", () => {
  it.each(FORMATS)("%s: names every check, no ANSI without colour, ends with a newline", (format) => {
    const out = render(format, report, { color: false });
    for (const r of report.results) expect(out).toContain(r.id);
    expect(out).not.toContain("\x1b");
    expect(out.endsWith("\n")).toBe(true);
  });
});

describe("console", () => {
  const out = () => render("console", report, { color: false });

  it("shows the target and the summary", () => {
    const text = out();
    expect(lines(text)[0]).toBe("codex-smoke 0.1.0");
    for (const field of ["/home/dev/site/codex-auto", "/home/dev/site", "0.169.0", "azi4a2-autonomous"]) {
      expect(text).toContain(field);
    }
    expect(text.trimEnd().endsWith("2 passed, 1 failed, 1 warned, 1 skipped, 1 errors in 12.3s")).toBe(true);
  });

  it("groups by area in report order", () => {
    const areas = lines(out()).filter((l) => /^[a-z]+$/.test(l));
    expect(areas).toEqual(["launcher", "fs", "env", "tui", "net"]);
  });

  it.each([
    ["launcher.flags", "PASS", false, false],
    ["fs.git_write", "FAIL", true, true],
    ["env.secrets", "WARN", true, true],
    ["tui.permissions", "SKIP", false, false],
    ["net.registry", "ERR ", true, false],
  ] as const)("%s: tag %s, details %s, fix %s", (id, tag, details, fix) => {
    const text = out();
    const start = lines(text).findIndex((l) => l.includes(id));
    expect(lines(text)[start]).toMatch(new RegExp(`^  ${tag}  ${id.replace(".", "\\.")} +\\S`));
    const block: string[] = [];
    for (const l of lines(text).slice(start + 1)) {
      if (!l.startsWith("        ")) break;
      block.push(l.trim());
    }
    expect(block.some((l) => l.startsWith("expected:"))).toBe(details);
    expect(block.some((l) => l.startsWith("observed:"))).toBe(details);
    expect(block.some((l) => l.startsWith("fix:"))).toBe(fix);
  });

  it("shows at most three evidence lines and escapes control characters in evidence", () => {
    const text = out();
    expect(text).toContain("evidence: stderr:");
    expect(text).toContain("third line");
    expect(text).not.toContain("fourth line");
    expect(text).toContain("… 1 more line in the JSON report");
    const controls = [...text].filter((c) => c < " " && c !== "\n");
    expect(controls).toEqual([]);
    expect(text).toContain("evidence: stderr: \\x07bell and NUL\\x00 # hash \\ backslash");
    expect(text).toMatch(
      /observed: could not be tested: the exec launch timed out after 60 s\n +runner report missing/,
    );
  });

  it("a skipped check is one line, with why it was skipped", () => {
    const skipLines = lines(out()).filter((l) => l.includes("tui.permissions"));
    expect(skipLines).toEqual([
      "  SKIP  tui.permissions  /status shows workspace access — not selected (--skip tui.)",
    ]);
    const next = lines(out())[lines(out()).indexOf(skipLines[0] as string) + 1];
    expect(next).not.toMatch(/^ +(expected|observed):/);
  });

  it.each(["pass", "fail", "warn", "error", "skip"] as const)(
    "a %s result shows its evidence notes in full, after any evidence",
    (status) => {
      const base = report.results.find((r) => r.id === "net.registry") as Report["results"][number];
      const evidence = [
        "one",
        "two",
        "three",
        "four",
        "note: auto-approved MCP tools run outside the sandbox: x",
      ];
      const odd = { ...report, results: [{ ...base, status, evidence }] };
      const text = render("console", odd, { color: false });
      expect(text).toContain("        note: auto-approved MCP tools run outside the sandbox: x\n");
      expect(text).not.toContain("evidence: note:");
      if (status === "fail") expect(text).toContain("… 1 more line in the JSON report");
    },
  );

  it("colours only when asked", () => {
    const text = render("console", report, { color: true });
    expect(text).toContain("\x1b[31mFAIL\x1b[0m");
    expect(text).toContain("\x1b[32mPASS\x1b[0m");
  });
});

describe("json", () => {
  it("is the report, schemaVersion 1, and nothing outside the schema", () => {
    const extra = { ...report, env: { HOME: "/root" } } as Report;
    const text = render("json", extra, { color: false });
    expect(JSON.parse(text)).toEqual(report);
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(text).not.toContain('"env"');
  });
});

describe("junit", () => {
  const out = () => render("junit", report, { color: false });

  it("is well-formed XML", () => {
    assertWellFormedXml(out());
  });

  it("counts and classifies each check", () => {
    const text = out();
    expect(text).toContain(
      '<testsuites name="codex-smoke" tests="6" failures="1" errors="1" skipped="1" time="12.345">',
    );
    expect(text).toContain('<testcase classname="launcher" name="launcher.flags" time="0.003"/>');
    expect(text).toMatch(/name="fs.git_write"[^>]*>\n\s*<failure message="[^"]*" type="fail">/);
    expect(text).toMatch(/name="net.registry"[^>]*>\n\s*<error message="[^"]*" type="error">/);
    expect(text).toContain('<skipped message="not selected (--skip tui.)"/>');
    expect(text).toMatch(/name="env.secrets"[^>]*>\n\s*<system-out>WARNING: /);
  });

  it("escapes markup, and control characters (which XML cannot carry) as text", () => {
    const text = out();
    expect(text).toContain("HEAD moved &lt;abc123 &amp; def456&gt;");
    expect(text).toContain("stderr: \\x07bell and NUL\\x00 # hash \\ backslash");
    expect(text).toContain("[main def456] probe commit");
    expect(text).toContain(
      'message="The npm registry is reachable: could not be tested: the exec launch timed out',
    );
  });
});

describe("markdown", () => {
  const out = () => render("markdown", report, { color: false });

  it("has a title, the target, the summary and one row per check", () => {
    const text = out();
    expect(lines(text)[0]).toBe("# codex-smoke report");
    expect(text).toContain("| profile | azi4a2-autonomous |");
    expect(text).toContain("**2 passed, 1 failed, 1 warned, 1 skipped, 1 errors in 12.3s**");
    expect(text).toContain("| status | id | claim | observed |");
    const rows = lines(text).filter((l) => /^\| \S+ (pass|fail|warn|skip|error) \| `/.test(l));
    expect(rows).toHaveLength(report.results.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(6);
  });

  it("escapes pipes and markup in cells and keeps multi-line values on one row", () => {
    const text = out();
    expect(text).toContain("git commit succeeded \\| HEAD moved &lt;abc123 &amp; def456&gt;");
    expect(text).toContain("timed out after 60 s<br>runner report missing");
  });

  it("keeps Markdown punctuation in values literal, and a code span as code", () => {
    const first = report.results[0] as Report["results"][number];
    const odd = { ...report, results: [{ ...first, observed: "wrote *.toml via `tee` [x] and a ` alone" }] };
    expect(render("markdown", odd, { color: false })).toContain(
      "wrote \\*.toml via `tee` \\[x\\] and a \\` alone |",
    );
  });

  it("details every result that is not a pass", () => {
    const headings = lines(out()).filter((l) => l.startsWith("### "));
    expect(headings.map((h) => h.match(/`([^`]+)`/)?.[1])).toEqual([
      "fs.git_write",
      "env.secrets",
      "tui.permissions",
      "net.registry",
    ]);
  });
});

describe("tap", () => {
  const out = () => render("tap", report, { color: false });

  it("is TAP 14 with a plan and one test point per check", () => {
    const text = out();
    const points = lines(text).filter((l) => /^(not )?ok \d+ /.test(l));
    expect(lines(text)[0]).toBe("TAP version 14");
    expect(text).toContain("\n1..6\n");
    expect(points).toEqual([
      "ok 1 - launcher.flags: Launcher selects the profile",
      "ok 2 - fs.auth_json: auth.json is not readable",
      "not ok 3 - fs.git_write: .git is read-only",
      "ok 4 - env.secrets: No secret-looking variables in the sandbox",
      "ok 5 - tui.permissions: /status shows workspace access # SKIP not selected (--skip tui.)",
      "not ok 6 - net.registry: The npm registry is reachable # error",
    ]);
  });

  it("gives YAML diagnostics with quoted scalars", () => {
    const text = out();
    const blocks = [...text.matchAll(/\n {2}---\n([\s\S]*?)\n {2}\.\.\./g)].map((m) => m[1] as string);
    expect(blocks).toHaveLength(3);
    for (const block of blocks) {
      for (const line of lines(block)) {
        const scalar = line.match(/^ {2}(?:[a-z_]+: | {2}- )(".*")$/)?.[1];
        if (scalar) expect(typeof JSON.parse(scalar)).toBe("string");
        else expect(line).toMatch(/^ {2}(status: [a-z]+|evidence:|duration_ms: \d+)$/);
      }
    }
    expect(text).toContain('  observed: "git commit succeeded | HEAD moved <abc123 & def456>"');
  });

  it("escapes # and \\ in descriptions", () => {
    const first = report.results[0] as Report["results"][number];
    const odd = { ...report, results: [{ ...first, title: "a # b \\ c" }] };
    expect(render("tap", odd, { color: false })).toContain("ok 1 - launcher.flags: a \\# b \\\\ c\n");
  });
});

describe("parseFormats", () => {
  it.each([
    [[], []],
    [["console"], ["console"]],
    [
      ["console,json", "junit"],
      ["console", "json", "junit"],
    ],
    [
      ["json, tap,json", "tap"],
      ["json", "tap"],
    ],
  ] as Array<[string[], Format[]]>)("%j → %j", (values, formats) => {
    expect(parseFormats(values)).toEqual(formats);
  });

  it.each([
    [["xml"], '--format: unknown format "xml" (expected console, json, junit, markdown, tap)'],
    [["json,JSON"], '--format: unknown format "JSON" (expected console, json, junit, markdown, tap)'],
    [[""], "--format: no format given (expected console, json, junit, markdown, tap)"],
  ])("%j is a usage error", (values, message) => {
    expect(() => parseFormats(values)).toThrow(message);
  });
});

describe("writeReportFiles", () => {
  it("writes every non-console format into a new directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "codex-smoke-reports-"));
    try {
      const outDir = join(dir, "nested", "reports");
      const paths = await writeReportFiles(report, ["console", "json", "junit", "markdown", "tap"], outDir);
      expect(paths).toEqual(
        ["codex-smoke.json", "codex-smoke.junit.xml", "codex-smoke.md", "codex-smoke.tap"].map((n) =>
          join(outDir, n),
        ),
      );
      expect(await readFile(join(outDir, "codex-smoke.json"), "utf8")).toBe(
        render("json", report, { color: false }),
      );
      expect(await writeReportFiles(report, ["console"], join(dir, "none"))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("names the directory when it cannot be written", async () => {
    const dir = await mkdtemp(join(tmpdir(), "codex-smoke-reports-"));
    try {
      const blocker = join(dir, "file");
      await writeReportFiles(report, ["json"], dir);
      await import("node:fs/promises").then((fs) => fs.writeFile(blocker, ""));
      await expect(writeReportFiles(report, ["json"], join(blocker, "out"))).rejects.toThrow(
        `${join(blocker, "out")}: cannot write report files (${blocker} is a symbolic link or not a directory)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("replaces a symlink planted at a report name instead of writing through it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "codex-smoke-reports-"));
    try {
      const fs = await import("node:fs/promises");
      const victim = join(dir, "bashrc");
      await fs.writeFile(victim, "keep me\n");
      const out = join(dir, "reports");
      await fs.mkdir(out);
      await fs.symlink(victim, join(out, "codex-smoke.json"));
      await fs.symlink(victim, join(out, "codex-smoke.md"));
      await writeReportFiles(report, ["json"], out);
      expect(await fs.readFile(victim, "utf8")).toBe("keep me\n");
      expect((await fs.lstat(join(out, "codex-smoke.json"))).isFile()).toBe(true);
      // The stale-file removal removed the planted link itself.
      expect((await fs.readdir(out)).sort()).toEqual(["codex-smoke.json"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a report directory with a symlink in its path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "codex-smoke-reports-"));
    try {
      const fs = await import("node:fs/promises");
      await fs.mkdir(join(dir, "elsewhere"));
      await fs.symlink(join(dir, "elsewhere"), join(dir, "reports"));
      await expect(writeReportFiles(report, ["json"], join(dir, "reports", "ci"))).rejects.toThrow(
        `${join(dir, "reports")} is a symbolic link or not a directory`,
      );
      expect(await fs.readdir(join(dir, "elsewhere"))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("report directory housekeeping", () => {
  it("the report directory refuses procfs at once instead of spinning (Node's recursive mkdir never returns there)", () => {
    const started = Date.now();
    expect(() => openReportDir("/proc/codex-smoke-test/reports")).toThrow(/ENOENT/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("removeStaleFiles removes only codex-smoke's own files that this run did not write", async () => {
    const dir = await mkdtemp(join(tmpdir(), "codex-smoke-reports-"));
    try {
      const names = [
        "codex-smoke.json",
        "codex-smoke.md",
        "codex-smoke.tui-screen.txt",
        "codex-smoke.tui-stream.log",
        "codex-smoke.old.json",
        "notes.md",
      ];
      const fs = await import("node:fs/promises");
      for (const name of names) await fs.writeFile(join(dir, name), "x");
      const opened = openReportDir(dir);
      const removed = removeStaleFiles(opened, ["codex-smoke.json"]);
      opened.close();
      expect(removed.sort()).toEqual(
        ["codex-smoke.md", "codex-smoke.tui-screen.txt", "codex-smoke.tui-stream.log"].map((n) =>
          join(dir, n),
        ),
      );
      expect((await fs.readdir(dir)).sort()).toEqual([
        "codex-smoke.json",
        "codex-smoke.old.json",
        "notes.md",
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
