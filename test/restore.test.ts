// restoreHost removes only what the host's own record says was not there before, and only while it is empty:
// Codex's mount points and placeholders, never a user's file, a file with content, or a symlink.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { existenceOf, type HostRecord } from "../src/audit/record.js";
import { restoreHost } from "../src/audit/restore.js";

const SITE = "www.azinstitute4autism.com";
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function recordFor(project: string): HostRecord {
  mkdirSync(join(homedir(), ".cache", "codex-smoke"), { recursive: true });
  const home = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-restore-home-"));
  dirs.push(home);
  return {
    nonce: "0123456789ab",
    project,
    home,
    codexHome: join(home, ".codex"),
    readonlyPaths: [".codex", SITE],
    outsideWriteDirs: [],
    stagingDir: join(project, ".codex-smoke"),
    credentials: [],
    canaries: [],
    existedBefore: existenceOf(project, [".codex", SITE, ".agents", ".aws"]),
    headBefore: null,
    isRepo: false,
    namespaces: { user: null, mnt: null, pid: null, net: null },
  };
}

function project(): string {
  const dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-restore-"));
  dirs.push(dir);
  mkdirSync(join(dir, ".codex"));
  return dir;
}

describe("restoreHost and what Codex leaves where nothing was", () => {
  it("removes an empty placeholder file and empty mount folders that were absent before", async () => {
    const dir = project();
    const record = recordFor(dir);
    writeFileSync(join(dir, SITE), "");
    mkdirSync(join(dir, ".agents"));
    mkdirSync(join(dir, ".aws"));
    const facts = await restoreHost(record);
    expect(existsSync(join(dir, SITE))).toBe(false);
    expect(existsSync(join(dir, ".agents"))).toBe(false);
    expect(existsSync(join(dir, ".aws"))).toBe(false);
    expect(facts.restored).toEqual([
      `removed the empty ${SITE} that was not there before`,
      "removed the empty .agents that was not there before",
      "removed the empty .aws that was not there before",
    ]);
    expect(facts.absentBefore).toEqual([SITE]);
  });

  it("keeps a file with content, a folder with content, a symlink, and whatever existed before", async () => {
    const dir = project();
    const record = recordFor(dir);
    writeFileSync(join(dir, SITE), "a user's notes\n");
    mkdirSync(join(dir, ".agents"));
    writeFileSync(join(dir, ".agents", "AGENTS.md"), "keep\n");
    symlinkSync("/etc/hostname", join(dir, ".aws"));
    const facts = await restoreHost(record);
    expect(existsSync(join(dir, SITE))).toBe(true);
    expect(existsSync(join(dir, ".agents", "AGENTS.md"))).toBe(true);
    expect(existsSync(join(dir, ".aws"))).toBe(true);
    expect(existsSync(join(dir, ".codex"))).toBe(true);
    expect(facts.restored).toEqual([]);
    expect(facts.absentBefore).toEqual([SITE]);
  });

  it("an empty folder that was there before stays", async () => {
    const dir = project();
    mkdirSync(join(dir, SITE));
    const facts = await restoreHost(recordFor(dir));
    expect(existsSync(join(dir, SITE))).toBe(true);
    expect(facts.absentBefore).toEqual([]);
    expect(facts.restored).toEqual([]);
  });
});
