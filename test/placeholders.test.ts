// Codex's empty placeholders: where the host's record looks (the project root and every read-only folder, which a
// profile may have made writable by mistake) and what it removes (only empty entries absent before, never through
// a symlink the agent may have put in the way).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { existenceOf, placeholderPaths } from "../src/audit/record.js";
import { removePlaceholders } from "../src/audit/restore.js";

const SITE = "www.azinstitute4autism.com";
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  mkdirSync(join(homedir(), ".cache", "codex-smoke"), { recursive: true });
  const dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-placeholders-"));
  dirs.push(dir);
  mkdirSync(join(dir, ".codex"));
  mkdirSync(join(dir, ".git"));
  mkdirSync(join(dir, SITE));
  writeFileSync(join(dir, SITE, "index.html"), "<p>site</p>\n");
  return dir;
}

describe("placeholderPaths", () => {
  it("the read-only folders, and Codex's mount points in the root and in each of them, deepest first", () => {
    const paths = placeholderPaths([".codex", SITE]);
    expect(new Set(paths)).toEqual(
      new Set([
        ".codex",
        SITE,
        ...[".agents", ".aws", ".codex", ".git"].flatMap((name) => [
          name,
          `.codex/${name}`,
          `${SITE}/${name}`,
        ]),
      ]),
    );
    expect(paths.length).toBe(new Set(paths).size);
    expect(paths.indexOf(`${SITE}/.agents`)).toBeLessThan(paths.indexOf(SITE));
    expect(paths.indexOf(".codex/.git")).toBeLessThan(paths.indexOf(".codex"));
  });
});

describe("removePlaceholders", () => {
  it("a read-only folder made writable: the .agents, .aws, .codex and .git Codex left inside it go, its content stays", () => {
    const dir = project();
    const record = { project: dir, existedBefore: existenceOf(dir, placeholderPaths([".codex", SITE])) };
    for (const name of [".agents", ".aws", ".codex", ".git"]) mkdirSync(join(dir, SITE, name));
    mkdirSync(join(dir, ".agents"));
    writeFileSync(join(dir, ".aws"), ""); // an empty file: what a racing helper leaves

    expect(removePlaceholders(record).sort()).toEqual(
      [`${SITE}/.agents`, `${SITE}/.aws`, `${SITE}/.codex`, `${SITE}/.git`, ".agents", ".aws"]
        .map((path) => `removed the empty ${path} that was not there before`)
        .sort(),
    );
    expect(readdirSync(join(dir, SITE))).toEqual(["index.html"]);
    expect(readdirSync(dir).sort()).toEqual([".codex", ".git", SITE].sort());
    expect(removePlaceholders(record)).toEqual([]); // again, after the last process is gone: nothing more
  });

  it("what was there before, or has content, stays", () => {
    const dir = project();
    mkdirSync(join(dir, SITE, ".aws"));
    const record = { project: dir, existedBefore: existenceOf(dir, placeholderPaths([".codex", SITE])) };
    mkdirSync(join(dir, SITE, ".codex"));
    writeFileSync(join(dir, SITE, ".codex", "config.toml"), "model = 'x'\n");
    writeFileSync(join(dir, ".agents"), "notes\n");
    expect(removePlaceholders(record)).toEqual([]);
    expect(existsSync(join(dir, SITE, ".aws"))).toBe(true);
    expect(existsSync(join(dir, SITE, ".codex", "config.toml"))).toBe(true);
    expect(existsSync(join(dir, ".agents"))).toBe(true);
  });

  it("never through a symlink: a read-only folder swapped for a link to elsewhere keeps what is there", () => {
    const dir = project();
    const record = { project: dir, existedBefore: existenceOf(dir, placeholderPaths([".codex", SITE])) };
    const elsewhere = join(dir, "..", `${dir.split("/").at(-1)}-elsewhere`);
    dirs.push(elsewhere);
    mkdirSync(join(elsewhere, ".agents"), { recursive: true });
    rmSync(join(dir, SITE), { recursive: true });
    symlinkSync(elsewhere, join(dir, SITE));
    expect(removePlaceholders(record)).toEqual([]);
    expect(existsSync(join(elsewhere, ".agents"))).toBe(true);
  });
});
