// The per-check pages (docs/checks/<id>.md): one per registered check and no other, each quoting the audited
// README exactly, saying how the check verifies and what each status means, with the check's own claim and
// remediation and a real example; and every non-pass result, in every format, and `list` name the page.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { evaluate } from "../src/audit/evaluate.js";
import { catalogueMarkdown, FACT_LABELS } from "../src/commands/catalogue.js";
import { claimOf, docsPageOf, runCheck } from "../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../src/core/expectations.js";
import type { CheckResult, Report, Status } from "../src/core/model.js";
import { FORMATS, render } from "../src/reporters/index.js";
import { TOKEN_PATTERNS } from "../src/runner/secrets.js";
import { factsOf } from "./checks/rule-tester.js";
import { healthyFacts } from "./fixtures/facts/healthy.js";
import { runCli } from "./helpers/audit.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PAGES_DIR = `${ROOT}docs/checks`;
const read = (path: string) => readFileSync(`${ROOT}${path}`, "utf8");

/** The text under `## heading`, up to the next `## `. */
function section(page: string, heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start < 0) return "";
  const rest = page.slice(start + heading.length + 5);
  const end = rest.indexOf("\n## ");
  return end < 0 ? rest : rest.slice(0, end);
}

/** The contents of the ```text blocks in `markdown`. */
function textBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```text\n([\s\S]*?)\n```$/gm)].map((m) => m[1] as string);
}

const squeeze = (text: string) => text.replace(/\s+/g, " ").trim();

/** The audited README, as docs/audited-readme.md keeps it (its one text block). */
const auditedReadme = squeeze(textBlocks(read("docs/audited-readme.md"))[0] ?? "");

describe("one page per check", () => {
  it("every registered check has its page, and every page is a registered check's", () => {
    const pages = readdirSync(PAGES_DIR).sort();
    expect(pages).toEqual(checks.map((check) => `${check.id}.md`).sort());
    expect(docsPageOf("fs.auth_json")).toBe("docs/checks/fs.auth_json.md");
    for (const check of checks) expect(existsSync(`${ROOT}${docsPageOf(check.id)}`), check.id).toBe(true);
  });

  it("the audited README is the whole seed text", () => {
    expect(auditedReadme.startsWith("Autonomous Codex Use the project launcher")).toBe(true);
    expect(auditedReadme.endsWith("Then check the MCP configuration: /mcp verbose")).toBe(true);
  });

  describe.each(checks.map((check) => [check.id, check] as const))("%s", (id, check) => {
    // A missing page fails the first test above and each of these, instead of the whole file.
    const page = existsSync(`${ROOT}${docsPageOf(id)}`) ? read(docsPageOf(id)) : "";

    it("is titled with its id and says what the check verifies, in the catalogue's words", () => {
      expect(page.split("\n")[0]).toBe(`# \`${id}\`: ${check.title}`);
      expect(page).toContain(`**What it verifies:** ${claimOf(check, DEFAULT_EXPECTATIONS)}\n`);
    });

    it("quotes the audited README exactly", () => {
      const quotes = textBlocks(section(page, "The README's claim"));
      expect(quotes.length).toBeGreaterThan(0);
      for (const quote of quotes) expect(auditedReadme).toContain(squeeze(quote));
    });

    it("says how it is verified and what pass, fail, warn and error mean", () => {
      expect(section(page, "How it is verified").trim().length).toBeGreaterThan(80);
      const rows = section(page, "What each status means")
        .split("\n")
        .map((line) => /^\| `([a-z]+)` \| (.+) \|$/.exec(line))
        .filter((m) => m !== null)
        .map((m) => [m[1], (m[2] as string).length > 5]);
      expect(rows).toEqual([
        ["pass", true],
        ["fail", true],
        ["warn", true],
        ["error", true],
        ["skip", true],
      ]);
    });

    it("gives the check's remediation", () => {
      expect(section(page, "Remediation")).toContain(`\n${check.remediation}\n`);
    });

    it("shows real output of a result that is not a pass, linking back to this page", () => {
      const examples = textBlocks(section(page, "Example"));
      expect(examples.length).toBeGreaterThan(0);
      const tag = new RegExp(`^ {2}(FAIL|WARN|ERR ) {2}${id.replaceAll(".", "\\.")} +\\S`);
      for (const example of examples) {
        expect(example.split("\n")[0]).toMatch(tag);
        expect(example).toContain(`        docs: ${docsPageOf(id)}`);
      }
    });

    it("shows no secret and no host other than loopback or the registry placeholder", () => {
      for (const pattern of TOKEN_PATTERNS) expect(page).not.toMatch(pattern);
      const hosts = [...page.matchAll(/\bhttps?:\/\/([^/\s:]+)/g)].map((m) => m[1]);
      for (const host of hosts) expect(["127.0.0.1", "<npm-registry>"]).toContain(host);
    });
  });
});

/** A result of each status, as the engine makes them (with their page). */
function resultsOfEachStatus(): CheckResult[] {
  const statuses: Status[] = ["pass", "fail", "warn", "error", "skip"];
  return statuses.map((status, i) => ({
    id: `area.check_${status}`,
    title: `Check ${i}`,
    claim: "a claim",
    status,
    expected: "expected",
    observed: status === "skip" ? "not selected (--only/--skip)" : "observed",
    evidence: ["evidence"],
    remediation: "Fix it.",
    docs: `docs/checks/area.check_${status}.md`,
    durationMs: 1,
  }));
}

function reportOf(results: CheckResult[]): Report {
  return {
    schemaVersion: 1,
    tool: { name: "codex-smoke", version: "0.1.0" },
    startedAt: "2025-06-01T08:00:00.000Z",
    durationMs: 1000,
    target: {
      launcher: "/p/codex-auto",
      project: "/p",
      codexHome: "/h/.codex",
      profile: "azi4a2-autonomous",
      codexVersion: "0.169.0",
      codexPath: "/usr/bin/codex",
    },
    summary: { pass: 1, fail: 1, warn: 1, skip: 1, error: 1 },
    incomplete: false,
    results,
  };
}

describe("no path from a development machine", () => {
  // A home or checkout of whoever captured the example (`/root/…`, `/work/…`, a demo dir's random name): the
  // pages show placeholders (`<demo>`, `<project>`, `<codex-smoke>`) instead.
  const MACHINE_PATH =
    /(?<![\w>.~-])\/(root|work)\/|(?<![\w>.~-])\/home\/(?!alice\/|you\/|<you>|runner\b)[^\s/]+\/|codex-smoke\/demo-[A-Za-z0-9]{6}\b/;
  const pages = [
    ...readdirSync(PAGES_DIR).map((name) => `docs/checks/${name}`),
    "docs/audited-readme.md",
    "README.md",
  ];

  it.each(pages)("%s", (path) => {
    const lines = read(path).split("\n");
    expect(lines.filter((line) => MACHINE_PATH.test(line))).toEqual([]);
  });

  it("the pattern finds such a path (the check is not a rubber stamp)", () => {
    for (const line of [
      "observed: /root/.cache/codex-smoke/demo-iEHJRe/work/proj/.codex/config.toml",
      "bwrap: execvp /work/wt/h10-docs/node_modules/@openai/codex-linux-x64/vendor",
      '"/home/alex/.codex/auth.json" = "none"',
    ])
      expect(MACHINE_PATH.test(line), line).toBe(true);
    for (const line of ["<demo>/work/proj", '"/home/you/.codex/auth.json"', "HOME=/home/alice"])
      expect(MACHINE_PATH.test(line), line).toBe(false);
  });
});

describe("results link to their check's page", () => {
  it("the engine sets the page on a result, and the audit on a check it did not select", () => {
    const facts = factsOf(healthyFacts());
    const [first, second] = checks;
    if (!first || !second) throw new Error("registry empty");
    expect(runCheck(first, facts, { expect: DEFAULT_EXPECTATIONS }).docs).toBe(
      "docs/checks/launcher.flags.md",
    );
    const results = evaluate([first, second], new Set([first.id]), facts, DEFAULT_EXPECTATIONS, (s) => s);
    expect(results.map((r) => [r.status, r.docs])).toEqual([
      ["pass", "docs/checks/launcher.flags.md"],
      ["skip", "docs/checks/launcher.integrity.md"],
    ]);
  });

  it.each(FORMATS)("%s names the page of every result that is not a pass", (format) => {
    const report = reportOf(resultsOfEachStatus());
    const text = render(format, report, { color: false });
    for (const status of ["fail", "warn", "error", "skip"])
      expect(text, status).toContain(`docs/checks/area.check_${status}.md`);
    // A pass needs no pointer; the JSON report keeps every field as it is.
    if (format === "json") expect(text).toContain('"docs": "docs/checks/area.check_pass.md"');
    else expect(text).not.toContain("docs/checks/area.check_pass.md");
  });

  it("a report from before pages existed renders as before (the field is optional)", () => {
    const old = reportOf(resultsOfEachStatus().map(({ docs: _docs, ...rest }) => rest));
    for (const format of FORMATS) expect(render(format, old, { color: false })).not.toContain("docs/checks/");
  });
});

describe("the catalogue in users' words", () => {
  it("names what each check needs without internal fact names, and links each id to its page", () => {
    const rows = catalogueMarkdown(checks).split("\n").slice(2);
    const labels = new Set(Object.values(FACT_LABELS));
    for (const [i, row] of rows.entries()) {
      const cells = row.split(" | ");
      expect(cells[0]).toBe(`| [\`${checks[i]?.id}\`](docs/checks/${checks[i]?.id}.md)`);
      const needs = (cells.at(-1) as string).replace(/ \|$/, "").split(", ");
      for (const label of needs) expect(labels, row).toContain(label);
    }
    expect(rows.find((row) => row.includes("mcp.approval"))).toMatch(/\| `codex mcp get` per server \|$/);
    expect(FACT_LABELS.sideEffects).toBe("the host after the launch");
  });

  it("list prints each check's page and where this installation keeps the pages", async () => {
    const result = await runCli(["list"], { env: { PATH: process.env.PATH ?? "", HOME: homedir() } });
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split("\n");
    for (const check of checks) {
      const at = lines.findIndex((line) => line.startsWith(`  ${check.id} `));
      expect(lines[at + 1]?.trim(), check.id).toBe(`docs: docs/checks/${check.id}.md`);
    }
    expect(result.stdout).toContain(
      `docs paths are relative to codex-smoke's package directory, here ${ROOT.replace(/\/$/, "")}\n`,
    );
    expect(result.stdout).not.toMatch(/mcpGet|sideEffects|hostSandbox/);
  });
});
