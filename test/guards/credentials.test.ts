// Where no auth.json exists the host places a canary so "cannot open" tests something; a `codex login` racing the
// audit writes real credentials there, and those must survive the canary's removal. Real files; each test is named
// for the bug it kills (issue 20).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { planCredentials, removeCanaries } from "../../src/audit/credentials.js";

const NONCE = "0123456789ab";
const LOGIN = '{"OPENAI_API_KEY":null,"tokens":{"id_token":"a login that raced the audit"}}\n';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A HOME with `~/.codex`, and a separate CODEX_HOME: two places a canary goes. */
function homes(): { home: string; codexHome: string; readme: string; actual: string } {
  const parent = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(parent, { recursive: true });
  const home = mkdtempSync(join(parent, "test-guard-credentials-"));
  dirs.push(home);
  mkdirSync(join(home, ".codex"));
  mkdirSync(join(home, "codex-home"));
  const codexHome = join(home, "codex-home");
  return { home, codexHome, readme: join(home, ".codex", "auth.json"), actual: join(codexHome, "auth.json") };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the auth.json canary", () => {
  it("is placed where no auth.json exists (0600, no credentials in it) and removed when still the host's own", () => {
    const { home, codexHome, readme, actual } = homes();
    const plan = planCredentials(codexHome, home, NONCE, true);
    expect(plan.credentials).toEqual([
      { label: "$CODEX_HOME/auth.json", path: actual, onHost: "canary" },
      { label: "~/.codex/auth.json", path: readme, onHost: "canary" },
    ]);
    expect(plan.canaries.map((c) => c.path)).toEqual([actual, readme]);
    expect(statSync(actual).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(actual, "utf8"))).toEqual({
      OPENAI_API_KEY: null,
      codex_smoke_canary: NONCE,
    });
    expect(removeCanaries(plan.canaries)).toEqual([]);
    expect([existsSync(actual), existsSync(readme)]).toEqual([false, false]);
  });

  it("replaced by a login's new file survives the removal (kills: removing without checking identity)", () => {
    const { home, codexHome, actual } = homes();
    const plan = planCredentials(codexHome, home, NONCE, true);
    // A login writes a temporary file and renames it over auth.json: a new inode at the same path.
    writeFileSync(join(codexHome, "auth.json.tmp"), LOGIN, { mode: 0o600 });
    renameSync(join(codexHome, "auth.json.tmp"), actual);
    expect(removeCanaries(plan.canaries)).toEqual([
      `${actual} changed during the audit (a login?): left as it is`,
    ]);
    expect(readFileSync(actual, "utf8")).toBe(LOGIN);
  });

  it("rewritten in place by a login survives: same inode, other size", () => {
    const { home, codexHome, actual } = homes();
    const plan = planCredentials(codexHome, home, NONCE, true);
    writeFileSync(actual, LOGIN);
    expect(removeCanaries(plan.canaries)).toHaveLength(1);
    expect(readFileSync(actual, "utf8")).toBe(LOGIN);
  });

  it("rewritten in place with as many bytes survives: only its modification time tells", async () => {
    const { home, codexHome, actual } = homes();
    const plan = planCredentials(codexHome, home, NONCE, true);
    const canary = readFileSync(actual, "utf8");
    const sameLength = canary.replace(NONCE, "ffffffffffff");
    // File times tick with the kernel's coarse clock (a jiffy): a later write gets a later time.
    await sleep(30);
    writeFileSync(actual, sameLength);
    expect(statSync(actual).size).toBe(Buffer.byteLength(canary));
    expect(removeCanaries(plan.canaries)).toHaveLength(1);
    expect(readFileSync(actual, "utf8")).toBe(sameLength);
  });

  it("an auth.json that exists gets no canary and is left as it was", () => {
    const { home, codexHome, actual, readme } = homes();
    writeFileSync(actual, LOGIN);
    const before = statSync(actual, { bigint: true });
    const plan = planCredentials(codexHome, home, NONCE, true);
    expect(plan.credentials[0]).toEqual({ label: "$CODEX_HOME/auth.json", path: actual, onHost: "file" });
    expect(plan.canaries.map((c) => c.path)).toEqual([readme]);
    expect(removeCanaries(plan.canaries)).toEqual([]);
    expect(readFileSync(actual, "utf8")).toBe(LOGIN);
    expect(statSync(actual, { bigint: true }).mtimeNs).toBe(before.mtimeNs);
    // Without canaries (probe --stage) an existing file is still a file, not "not logged in".
    expect(planCredentials(codexHome, home, NONCE, false).credentials[0]).toEqual({
      label: "$CODEX_HOME/auth.json",
      path: actual,
      onHost: "file",
    });
  });

  it("a canary already gone is no error; nothing is created by its removal", () => {
    const { home, codexHome, actual } = homes();
    const plan = planCredentials(codexHome, home, NONCE, true);
    unlinkSync(actual);
    expect(removeCanaries(plan.canaries)).toEqual([]);
    expect(existsSync(actual)).toBe(false);
  });

  it("without canaries (probe --stage) or without the folder, nothing is placed and the note says why", () => {
    const { home, codexHome, actual, readme } = homes();
    expect(planCredentials(codexHome, home, NONCE, false)).toEqual({
      credentials: [
        {
          label: "$CODEX_HOME/auth.json",
          path: actual,
          onHost: "missing",
          note: "not logged in; `codex-smoke run` tests it with a temporary canary",
        },
        {
          label: "~/.codex/auth.json",
          path: readme,
          onHost: "missing",
          note: "not logged in; `codex-smoke run` tests it with a temporary canary",
        },
      ],
      canaries: [],
    });
    rmSync(join(home, ".codex"), { recursive: true });
    const plan = planCredentials(codexHome, home, NONCE, true);
    expect(plan.credentials[1]).toEqual({
      label: "~/.codex/auth.json",
      path: readme,
      onHost: "missing",
      note: `${join(home, ".codex")} does not exist`,
    });
    expect(existsSync(join(home, ".codex"))).toBe(false);
    removeCanaries(plan.canaries);
  });

  it("CODEX_HOME at ~/.codex: one path, one canary", () => {
    const { home, readme } = homes();
    const plan = planCredentials(join(home, ".codex"), home, NONCE, true);
    expect(plan.credentials).toEqual([{ label: "$CODEX_HOME/auth.json", path: readme, onHost: "canary" }]);
    removeCanaries(plan.canaries);
  });

  it("a dangling symlink where auth.json goes gets no canary: nothing is created through it", () => {
    const { home, codexHome, actual } = homes();
    symlinkSync(join(home, "elsewhere", "auth.json"), actual);
    const plan = planCredentials(codexHome, home, NONCE, true);
    expect(plan.credentials[0]).toEqual({ label: "$CODEX_HOME/auth.json", path: actual, onHost: "file" });
    expect(plan.canaries.map((c) => c.path)).not.toContain(actual);
    expect(existsSync(join(home, "elsewhere"))).toBe(false);
    removeCanaries(plan.canaries);
  });

  it("placing a canary leaves no file open", () => {
    const { home, codexHome } = homes();
    const before = readdirSync("/proc/self/fd").length;
    const plan = planCredentials(codexHome, home, NONCE, true);
    expect(readdirSync("/proc/self/fd").length).toBe(before);
    removeCanaries(plan.canaries);
  });
});
