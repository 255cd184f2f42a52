// What a Codex binary supports is probed once and remembered while none of its files change.
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { probeCodexSupport } from "../src/codex/support.js";
import { cachedSupport, rememberSupport } from "../src/codex/support-cache.js";
import { devDependencyCodex } from "../src/demo/codex-install.js";

const dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-support-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const support = (path: string) => ({
  path,
  version: "0.169.0",
  disableConnectionRetries: true,
  ephemeral: true,
});

/** A stand-in binary file: only its identity on disk matters to the cache. */
function binary(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, "#!/bin/sh\necho codex-cli 0.169.0\n", { mode: 0o755 });
  return path;
}

describe("the support cache", () => {
  it("gives back what was remembered for the same file, under the path asked for", () => {
    const file = join(dir, "a.json");
    const codex = binary("codex-a");
    expect(cachedSupport(file, codex)).toBeNull();
    rememberSupport(file, support(codex));
    expect(cachedSupport(file, codex)).toEqual(support(codex));
  });

  it("forgets a binary that was rewritten, replaced or changed mode", () => {
    const file = join(dir, "b.json");
    const codex = binary("codex-b");
    rememberSupport(file, support(codex));
    writeFileSync(codex, "#!/bin/sh\necho codex-cli 0.171.0\n");
    expect(cachedSupport(file, codex)).toBeNull();
    rememberSupport(file, support(codex));
    // Same bytes, new file (as an upgrade extracts it): another inode.
    copyFileSync(codex, `${codex}.new`);
    rmSync(codex);
    copyFileSync(`${codex}.new`, codex);
    expect(cachedSupport(file, codex)).toBeNull();
    rememberSupport(file, support(codex));
    chmodSync(codex, 0o700);
    expect(cachedSupport(file, codex)).toBeNull();
  });

  it("keeps one entry per binary and ignores a cache that does not parse", () => {
    const file = join(dir, "c.json");
    const one = binary("codex-c1");
    const two = binary("codex-c2");
    rememberSupport(file, support(one));
    rememberSupport(file, { ...support(two), version: "0.150.0" });
    expect(cachedSupport(file, one)?.version).toBe("0.169.0");
    expect(cachedSupport(file, two)?.version).toBe("0.150.0");
    writeFileSync(file, "{ not json");
    expect(cachedSupport(file, one)).toBeNull();
    rememberSupport(file, support(one));
    expect(cachedSupport(file, one)?.version).toBe("0.169.0");
  });

  it("does not remember a probe that timed out", async () => {
    const codex = devDependencyCodex()?.bin;
    if (!codex) throw new Error("the dev dependency @openai/codex is missing");
    const file = join(dir, "timeout.json");
    const env = { ...process.env } as Record<string, string>;
    await probeCodexSupport(codex, { probeHome: join(dir, "probe-t"), env, timeoutMs: 1, cacheFile: file });
    expect(cachedSupport(file, codex)).toBeNull();
  });

  it("probes the real Codex once: the second audit launches nothing for it", async () => {
    const codex = devDependencyCodex()?.bin;
    if (!codex) throw new Error("the dev dependency @openai/codex is missing");
    const file = join(dir, "real.json");
    const opts = (home: string) => ({
      probeHome: join(dir, home),
      env: { ...process.env } as Record<string, string>,
      timeoutMs: 60_000,
      cacheFile: file,
    });
    const first = await probeCodexSupport(codex, opts("probe-1"));
    expect(first?.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(join(dir, "probe-1"))).toBe(true);
    const second = await probeCodexSupport(codex, opts("probe-2"));
    expect(second).toEqual(first);
    // The probe's private Codex home is made only when Codex is launched.
    expect(existsSync(join(dir, "probe-2"))).toBe(false);
  });
});
