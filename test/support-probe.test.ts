// What a Codex binary supports, probed and remembered, without launching Codex: a stand-in `codex` script answers
// `--version`, `features list` and `exec --help` with a real release's recorded outputs and logs each launch (its
// arguments, cwd and CODEX_HOME). The support cache is a real file keyed by the identity of the binary's files.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CodexSupport, probeCodexSupport, SUPPORT_CACHE } from "../src/codex/support.js";
import { cachedSupport, rememberSupport } from "../src/codex/support-cache.js";
import { PACKAGE_DIR } from "../src/core/version.js";

let root: string;
/** The cache file where codex-smoke keeps it: inside a node_modules that exists. */
let cacheFile: string;

beforeEach(() => {
  root = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-support-probe-"));
  mkdirSync(join(root, "node_modules"));
  cacheFile = join(root, "node_modules", ".cache", "codex-smoke", "codex-support.json");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const recorded = (name: string) =>
  readFileSync(new URL(`./fixtures/codex/0.169.0/${name}`, import.meta.url), "utf8");

/** A stand-in `codex` answering as 0.169.0 does; `fail` names a probe that exits 1 with no output. */
function standIn(
  opts: { fail?: "--version" | "features" | "exec"; failAfterOutput?: "features"; version?: string } = {},
): string {
  const dir = join(root, "release");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "version.txt"), opts.version ?? recorded("version.txt"));
  writeFileSync(join(dir, "features-list.txt"), recorded("features-list.txt"));
  writeFileSync(join(dir, "exec-help.txt"), recorded("exec-help.txt"));
  const bin = join(dir, "codex");
  writeFileSync(
    bin,
    `#!/bin/sh
printf '%s|%s|%s\\n' "$*" "$PWD" "$CODEX_HOME" >> "${join(root, "launches.log")}"
[ "$1" = "${opts.fail ?? "none"}" ] && exit 1
[ "$1" = "${opts.failAfterOutput ?? "none"}" ] && { cat "${dir}/features-list.txt"; exit 1; }
case "$1" in
  --version) cat "${dir}/version.txt" ;;
  features) cat "${dir}/features-list.txt" ;;
  exec) cat "${dir}/exec-help.txt" ;;
esac
`,
  );
  chmodSync(bin, 0o755);
  return bin;
}

const launches = () => {
  const log = join(root, "launches.log");
  return existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").sort() : [];
};

const probe = (codex: string | null, probeHome = join(root, "probe-home")) =>
  probeCodexSupport(codex, {
    probeHome,
    env: { PATH: process.env.PATH ?? "" },
    timeoutMs: 30_000,
    cacheFile,
  });

const supported = (path: string): CodexSupport => ({
  path,
  version: "0.169.0",
  disableConnectionRetries: true,
  ephemeral: true,
});

describe("probeCodexSupport", () => {
  it("no Codex: nothing is probed", async () => {
    expect(await probe(null)).toBeNull();
    expect(existsSync(join(root, "probe-home"))).toBe(false);
  });

  it("asks the three questions in the private Codex home, remembers the answers, and asks nothing the second time", async () => {
    const codex = standIn();
    const home = join(root, "probe-home");
    expect(await probe(codex)).toEqual(supported(codex));
    expect(launches()).toEqual([
      `--version|${home}|${home}`,
      `exec --help|${home}|${home}`,
      `features list|${home}|${home}`,
    ]);
    expect(cachedSupport(cacheFile, codex)).toEqual(supported(codex));
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(root, "node_modules", ".cache", "codex-smoke"))).toEqual(["codex-support.json"]);

    expect(await probe(codex, join(root, "second-home"))).toEqual(supported(codex));
    expect(launches()).toHaveLength(3);
    expect(existsSync(join(root, "second-home"))).toBe(false);
  });

  it("a failed features list turns the retries flag off and is not remembered", async () => {
    const codex = standIn({ fail: "features" });
    expect(await probe(codex)).toEqual({ ...supported(codex), disableConnectionRetries: false });
    expect(existsSync(cacheFile)).toBe(false);
  });

  it("a features list that printed the feature but exited non-zero is not believed", async () => {
    const codex = standIn({ failAfterOutput: "features" });
    expect(await probe(codex)).toEqual({ ...supported(codex), disableConnectionRetries: false });
    expect(existsSync(cacheFile)).toBe(false);
  });

  it("the cache lives in codex-smoke's own node_modules/.cache", () => {
    expect(SUPPORT_CACHE).toBe(
      join(PACKAGE_DIR, "node_modules", ".cache", "codex-smoke", "codex-support.json"),
    );
  });

  it("a failed exec --help (or --version) is not remembered", async () => {
    const codex = standIn({ fail: "exec" });
    expect(await probe(codex)).toEqual({
      ...supported(codex),
      disableConnectionRetries: false,
      ephemeral: false,
    });
    expect(existsSync(cacheFile)).toBe(false);
    rmSync(join(root, "release"), { recursive: true });
    const silent = standIn({ fail: "--version" });
    expect((await probe(silent))?.version).toBeNull();
    expect(existsSync(cacheFile)).toBe(false);
  });

  it("a binary that answers but names no release is not remembered", async () => {
    const codex = standIn({ version: "codex-cli (dev build)\n" });
    expect(await probe(codex)).toEqual({ ...supported(codex), version: null });
    expect(existsSync(cacheFile)).toBe(false);
  });
});

/** A stand-in binary file: only its identity on disk matters to the cache. */
function binary(name: string): string {
  const path = join(root, name);
  writeFileSync(path, "#!/bin/sh\n", { mode: 0o755 });
  return path;
}

/** npm's layout of @openai/codex: the wrapper, its package.json, the platform package it starts, a .bin link. */
function npmLayout(): { bin: string; packageJson: string; platformJson: string } {
  const modules = join(root, "prefix", "node_modules");
  const platform = process.arch === "arm64" ? "codex-linux-arm64" : "codex-linux-x64";
  const packageJson = join(modules, "@openai", "codex", "package.json");
  const platformJson = join(modules, "@openai", platform, "package.json");
  mkdirSync(join(modules, "@openai", "codex", "bin"), { recursive: true });
  mkdirSync(join(modules, "@openai", platform, "vendor"), { recursive: true });
  mkdirSync(join(modules, ".bin"));
  writeFileSync(packageJson, JSON.stringify({ name: "@openai/codex", version: "0.169.0" }));
  writeFileSync(platformJson, JSON.stringify({ name: `@openai/${platform}`, version: "0.169.0" }));
  writeFileSync(join(modules, "@openai", "codex", "bin", "codex.js"), "#!/usr/bin/env node\n", {
    mode: 0o755,
  });
  symlinkSync("../@openai/codex/bin/codex.js", join(modules, ".bin", "codex"));
  return { bin: join(modules, ".bin", "codex"), packageJson, platformJson };
}

describe("the support cache's key and file", () => {
  it("npm's wrapper: a new package.json of the package or of the platform package it starts is a new binary", () => {
    const { bin, packageJson, platformJson } = npmLayout();
    rememberSupport(cacheFile, supported(bin));
    expect(cachedSupport(cacheFile, bin)).toEqual(supported(bin));
    writeFileSync(packageJson, JSON.stringify({ name: "@openai/codex", version: "0.171.0" }));
    expect(cachedSupport(cacheFile, bin)).toBeNull();
    rememberSupport(cacheFile, supported(bin));
    expect(cachedSupport(cacheFile, bin)).toEqual(supported(bin));
    writeFileSync(platformJson, "{}");
    expect(cachedSupport(cacheFile, bin)).toBeNull();
  });

  it("a binary that is not there is neither looked up nor remembered", () => {
    const missing = join(root, "gone", "codex");
    rememberSupport(cacheFile, supported(missing));
    expect(existsSync(cacheFile)).toBe(false);
    expect(cachedSupport(cacheFile, missing)).toBeNull();
  });

  it("keeps the 16 binaries probed last, newest first", () => {
    const bins = Array.from({ length: 17 }, (_, i) => binary(`codex-${i}`));
    for (const bin of bins) rememberSupport(cacheFile, supported(bin));
    const entries = JSON.parse(readFileSync(cacheFile, "utf8")) as Array<{ support: CodexSupport }>;
    expect(entries.map((entry) => entry.support.path)).toEqual(bins.slice(1).reverse());
    expect(cachedSupport(cacheFile, bins[0] as string)).toBeNull();
    expect(cachedSupport(cacheFile, bins[1] as string)).toEqual(supported(bins[1] as string));
  });

  it("entries that are not what a probe remembers are skipped, the others still found", () => {
    const codex = binary("codex");
    rememberSupport(cacheFile, supported(codex));
    const [good] = JSON.parse(readFileSync(cacheFile, "utf8")) as Array<{
      key: string;
      support: CodexSupport;
    }>;
    const key = good?.key as string;
    const broken = (support: Record<string, unknown>) => ({
      key,
      support: { ...supported(codex), ...support },
    });
    for (const bad of [
      broken({ path: 1 }),
      broken({ version: 169 }),
      broken({ disableConnectionRetries: "yes" }),
      broken({ ephemeral: null }),
      { key, support: null },
      { key: 7, support: supported(codex) },
      null,
    ]) {
      writeFileSync(cacheFile, JSON.stringify([bad]));
      expect(cachedSupport(cacheFile, codex), JSON.stringify(bad)).toBeNull();
      writeFileSync(cacheFile, JSON.stringify([bad, good]));
      expect(cachedSupport(cacheFile, codex), JSON.stringify(bad)).toEqual(supported(codex));
    }
    writeFileSync(cacheFile, JSON.stringify([{ key, support: { ...supported(codex), version: null } }]));
    expect(cachedSupport(cacheFile, codex)).toEqual({ ...supported(codex), version: null });
    writeFileSync(cacheFile, JSON.stringify({ key, support: supported(codex) }));
    expect(cachedSupport(cacheFile, codex)).toBeNull();
  });

  it("one entry per binary: remembering it again, or over a cache that is not a list or does not parse, keeps one", () => {
    const codex = binary("codex");
    const entries = () => JSON.parse(readFileSync(cacheFile, "utf8")) as unknown[];
    rememberSupport(cacheFile, supported(codex));
    rememberSupport(cacheFile, { ...supported(codex), version: "0.171.0" });
    expect(entries()).toHaveLength(1);
    expect(cachedSupport(cacheFile, codex)?.version).toBe("0.171.0");
    for (const text of ['{"key":"x"}', "{ not json"]) {
      writeFileSync(cacheFile, text);
      rememberSupport(cacheFile, supported(codex));
      expect(entries(), text).toHaveLength(1);
    }
  });

  it("what was remembered comes back under the path asked for (another link to the same binary)", () => {
    const codex = binary("codex");
    symlinkSync(codex, join(root, "link"));
    rememberSupport(cacheFile, supported(codex));
    expect(cachedSupport(cacheFile, join(root, "link"))).toEqual(supported(join(root, "link")));
  });

  it("outside a node_modules that exists the cache creates nothing", () => {
    const codex = binary("codex");
    const elsewhere = join(root, "no-modules", ".cache", "codex-smoke", "codex-support.json");
    rememberSupport(elsewhere, supported(codex));
    expect(existsSync(join(root, "no-modules"))).toBe(false);
  });

  it("a cache folder it cannot write to only means probing again", () => {
    const codex = binary("codex");
    mkdirSync(join(root, "node_modules", ".cache"));
    writeFileSync(join(root, "node_modules", ".cache", "codex-smoke"), "a file, not a folder");
    expect(() => rememberSupport(cacheFile, supported(codex))).not.toThrow();
    expect(cachedSupport(cacheFile, codex)).toBeNull();
  });
});
