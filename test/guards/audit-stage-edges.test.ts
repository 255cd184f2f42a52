// The staging folder's edges (src/audit/stage.ts): the network part's input written once the registry is known
// (with the profile's domain probes planned again for its URL, never after unstaging began, no file left open),
// names the filesystem refuses, and a record whose folder cannot be opened.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type StageRequest, stageRunner, unstage } from "../../src/audit/stage.js";
import { UsageError } from "../../src/core/errors.js";
import { pinGitNowhere } from "../helpers/git-nowhere.js";
import { stageRequest } from "../helpers/stage-request.js";
import { tempDirs } from "../helpers/temp-dirs.js";

// git run by the code under test never reaches this checkout (test/helpers/git-nowhere.ts).
pinGitNowhere();

const NONCE = "0123456789ab";
const { tempDir } = tempDirs("test-guard-stage-edges-");

function request(registryUrl: StageRequest["registryUrl"], rules?: StageRequest["rules"]): StageRequest {
  const root = tempDir();
  const at = { project: join(root, "proj"), home: join(root, "home"), nonce: NONCE };
  return stageRequest(at, { registryUrl, ...(rules ? { rules } : {}) });
}

/** A registry URL resolved (or refused) by hand, later. */
function pending() {
  let resolve: (url: string | null) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const url = new Promise<string | null>((done, fail) => {
    resolve = done;
    reject = fail;
  });
  return { url, resolve, reject };
}

/** A profile whose proxy allows the registry's host: one probe off every allowlist, one of the registry. */
const registryRules: StageRequest["rules"] = {
  profile: null,
  effective: {
    default_permissions: "p",
    features: { network_proxy: true },
    permissions: { p: { network: { enabled: true, domains: { "registry.test": "allow" } } } },
  },
  probeDomains: true,
};

const netInputOf = (dir: string) => JSON.parse(readFileSync(join(dir, "input.net.json"), "utf8"));

describe("the network part's own input", () => {
  it("plans the domain probes again with the registry's URL: the input gets host and URL, the record the new plan", async () => {
    const registry = pending();
    const staged = await stageRunner(request(registry.url, registryRules));
    // At staging the URL is unknown: the registry's host is probed at its bare https URL.
    expect(staged.record.domains?.probes.map((probe) => probe.url)).toEqual([
      `https://codex-smoke-${NONCE}.invalid/`,
      "https://registry.test/",
    ]);
    registry.resolve("http://registry.test:9/astro");
    await staged.netInput;
    expect(netInputOf(staged.record.stagingDir).domains).toEqual([
      { host: `codex-smoke-${NONCE}.invalid`, url: `https://codex-smoke-${NONCE}.invalid/` },
      { host: "registry.test", url: "http://registry.test:9/astro" },
    ]);
    expect(staged.record.domains?.probes.map((probe) => probe.url)).toEqual([
      `https://codex-smoke-${NONCE}.invalid/`,
      "http://registry.test:9/astro",
    ]);
    expect(staged.unstage()).toEqual([]);
    expect(existsSync(staged.record.stagingDir)).toBe(false);
  });

  it("a registry lookup that failed: the input says no registry (null), and has no domain list without rules", async () => {
    const registry = pending();
    const staged = await stageRunner(request(registry.url));
    registry.reject(new Error("no registry"));
    await staged.netInput;
    const input = netInputOf(staged.record.stagingDir);
    expect(input.registryUrl).toBeNull();
    expect(input).not.toHaveProperty("domains");
    staged.unstage();
  });

  it("is not written once unstaging began, even into a folder that stayed (the agent's file kept it)", async () => {
    const registry = pending();
    const staged = await stageRunner(request(registry.url));
    const dir = staged.record.stagingDir;
    writeFileSync(join(dir, "notes.txt"), "the agent's\n");
    expect(staged.unstage()).toEqual([`${dir} holds files the host did not put there: left as it is`]);
    registry.resolve("http://127.0.0.1:9/astro");
    await staged.netInput;
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });

  it("leaves no file open once written and unstaged", async () => {
    const before = readdirSync("/proc/self/fd").length;
    const registry = pending();
    const staged = await stageRunner(request(registry.url));
    registry.resolve("http://127.0.0.1:9/astro");
    await staged.netInput;
    expect(staged.unstage()).toEqual([]);
    expect(readdirSync("/proc/self/fd").length).toBe(before);
  });
});

describe("staging names and records the filesystem refuses", () => {
  it("a staging name too long for the filesystem: its own error, nothing made", async () => {
    const req = request(null);
    // `rejects.toThrow` passes on a rejection with no error at all: the error itself is asserted.
    const error = await stageRunner({ ...req, stagingName: `.codex-smoke-${"x".repeat(300)}` }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: "ENAMETOOLONG" });
    expect(error).not.toBeInstanceOf(UsageError);
    expect(readdirSync(req.project)).toEqual([]);
  });

  it("a staging name that is no plain entry name: refused as unsafe, nothing written", async () => {
    const req = request(null);
    const error = await stageRunner({ ...req, stagingName: "a/b" }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      `${join(req.project, "a/b")}: cannot stage the runner (moved or replaced while it was made); nothing was written through it`,
    );
    expect(readdirSync(req.project)).toEqual([]);
  });

  it("a recorded folder that cannot be opened is left alone, with the system's reason", async () => {
    const staged = await stageRunner(request(null));
    const long = join(staged.record.project, "x".repeat(300));
    expect(unstage({ ...staged.record, stagingDir: long })).toEqual([
      `${long}: cannot open (ENAMETOOLONG): left as it is`,
    ]);
    expect(staged.unstage()).toEqual([]);
  });
});
