// The README for users: its commands work when copied into a shell (each one passes the CLI's real option
// validation, or runs), it documents every option, format, expectation key and exit code, its links lead
// somewhere, and its Quick start stays the two commands of a fresh clone.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { README_END, README_START } from "../src/commands/catalogue.js";
import { RUN_OPTIONS } from "../src/commands/options.js";
import { DEFAULT_EXPECTATIONS, loadExpectations } from "../src/core/expectations.js";
import { FORMATS } from "../src/reporters/index.js";
import { checkCommand, fencedBlocks, REPO, type Scratch, simpleCommands } from "./helpers/shell-commands.js";

const readme = readFileSync(join(REPO, "README.md"), "utf8");

/** The README's text under `## heading`, up to the next `## `. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) return "";
  const rest = readme.slice(start + heading.length + 5);
  const end = rest.indexOf("\n## ");
  return end < 0 ? rest : rest.slice(0, end);
}

const scratchDir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "readme-test-"));
afterAll(() => rmSync(scratchDir, { recursive: true, force: true }));
let scratchCount = 0;

/** A fresh scratch directory per command: one command's stand-ins never satisfy another's. */
function scratch(): Scratch {
  const dir = join(scratchDir, String(++scratchCount));
  return { dir, home: join(dir, "home") };
}

const shellCommands = fencedBlocks(readme, ["sh", "bash", "shell"]).flatMap((block) => simpleCommands(block));

describe("the README's commands work when copied into a shell", () => {
  it("Quick start keeps exactly the two commands of a fresh clone", () => {
    const [block] = fencedBlocks(section("Quick start"), ["sh"]);
    const lines = (block ?? "").split("\n").map((line) => line.replace(/\s+#.*$/, "").trim());
    expect(lines).toEqual(["npm install && npm start", "npm test"]);
  });

  it("has commands for each use: probe after a launch, a nightly baseline, matrix and diff after an upgrade", () => {
    const codexSmoke = shellCommands
      .map((words) => words.join(" "))
      .filter((line) => /^(npx )?codex-smoke /.test(line));
    expect(codexSmoke.some((line) => line.includes(" probe --stage"))).toBe(true);
    expect(codexSmoke.some((line) => line.includes(" run ") && line.includes("--probe-report"))).toBe(true);
    expect(codexSmoke.some((line) => line.includes(" run ") && line.includes("--baseline"))).toBe(true);
    expect(codexSmoke.some((line) => line.includes(" matrix "))).toBe(true);
    expect(codexSmoke.some((line) => line.includes(" diff "))).toBe(true);
  });

  it.each(shellCommands.map((words) => [words.join(" "), words] as const))("%s", async (_line, words) => {
    await checkCommand([...words], scratch());
  });

  it("a command the CLI would reject is caught (the check is not a rubber stamp)", async () => {
    const bad = [
      ["codex-smoke", "run", "--format", "html"],
      ["codex-smoke", "run", "--timeout", "0"],
      ["codex-smoke", "run", "--only", "nosuch.check"],
      ["codex-smoke", "matrix", "--codex", "0.169.0", "--format", "json"],
      ["codex-smoke", "demo", "--launcher", "./codex-auto"],
      ["codex-smoke", "probe", "--stag"],
      ["npm", "run", "no-such-script"],
      ["rm", "-rf", "/"],
    ];
    for (const words of bad) await expect(checkCommand(words, scratch()), words.join(" ")).rejects.toThrow();
  });

  it("its --expect example is a valid expectations file", async () => {
    const blocks = fencedBlocks(section("Options"), ["json"]);
    expect(blocks.length).toBeGreaterThan(0);
    for (const [i, block] of blocks.entries()) {
      const file = join(scratchDir, `expect-${i}.json`);
      writeFileSync(file, block);
      await expect(loadExpectations(file)).resolves.toMatchObject(JSON.parse(block));
    }
  });
});

describe("the README documents the whole interface", () => {
  const options = section("Options");

  it("every run option, with its flag", () => {
    for (const name of Object.keys(RUN_OPTIONS)) expect(options, name).toContain(`\`--${name}`);
  });

  it("every format, with the file it writes", () => {
    for (const format of FORMATS) expect(options, format).toMatch(new RegExp(`\\| \`${format}\` \\|`));
    for (const file of ["codex-smoke.json", "codex-smoke.junit.xml", "codex-smoke.md", "codex-smoke.tap"])
      expect(options).toContain(`\`${file}\``);
  });

  it("every --expect key with its default", () => {
    for (const [key, value] of Object.entries(DEFAULT_EXPECTATIONS)) {
      const row = options.split("\n").find((line) => line.startsWith(`| \`${key}\` |`));
      expect(row, key).toBeDefined();
      const shown = Array.isArray(value)
        ? `[${value.map((item) => JSON.stringify(item)).join(", ")}]`
        : JSON.stringify(value);
      expect(row, key).toContain(`\`${shown}\``);
    }
  });

  it("every exit code", () => {
    for (const code of ["0", "1", "2", "3", "4", "130 / 143"]) expect(options).toContain(`\n| ${code} |`);
  });

  it("what the audit needs, which Codex it audits, what it changes on the machine", () => {
    expect(section("What the audit needs")).toMatch(/bubblewrap/);
    expect(section("What the audit needs")).toMatch(/No login/);
    expect(section("Which Codex is audited")).toContain("--codex <path>");
    const changes = section("What an audit changes on your machine");
    expect(changes).toContain("byte-identical");
    expect(changes).toContain("skills/");
    expect(changes).toContain("*.sqlite");
    expect(changes).toMatch(/no session or\s+rollout is added/);
  });

  it("keeps the generated check table between its markers", () => {
    expect(readme.indexOf(README_START)).toBeGreaterThan(0);
    expect(readme.indexOf(README_END)).toBeGreaterThan(readme.indexOf(README_START));
  });

  it("links only to files that exist", () => {
    const targets = [...readme.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1] as string);
    expect(targets.length).toBeGreaterThan(20);
    for (const target of targets) expect(existsSync(join(REPO, target)), target).toBe(true);
  });
});
