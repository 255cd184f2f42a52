// Which Codex an audit runs: the caller's PATH without codex-smoke's own node_modules/.bin directories, and what
// stands behind a `codex` executable (the npm wrapper's platform package, or a standalone binary's directory).
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerEnvironment, demoCodex, ownBinDirs, userPath } from "../src/codex/locate.js";
import { UsageError } from "../src/core/errors.js";
import { codexInstallFromBin, devDependencyCodex } from "../src/demo/codex-install.js";

describe("the user's PATH", () => {
  it("lists node_modules/.bin at the package root and at every directory above it", () => {
    expect(ownBinDirs("/home/u/.npm/_npx/ab12/node_modules/codex-smoke")).toEqual([
      "/home/u/.npm/_npx/ab12/node_modules/codex-smoke/node_modules/.bin",
      "/home/u/.npm/_npx/ab12/node_modules/node_modules/.bin",
      "/home/u/.npm/_npx/ab12/node_modules/.bin",
      "/home/u/.npm/_npx/node_modules/.bin",
      "/home/u/.npm/node_modules/.bin",
      "/home/u/node_modules/.bin",
      "/home/node_modules/.bin",
      "/node_modules/.bin",
    ]);
  });

  it("npx: drops the temporary install's node_modules/.bin, keeps the project's own and the rest in order", () => {
    const root = "/home/u/.npm/_npx/ab12/node_modules/codex-smoke";
    const path = [
      "/home/u/site/node_modules/.bin",
      "/home/u/.npm/_npx/ab12/node_modules/.bin",
      "/home/u/bin",
      "/usr/local/bin",
      "/usr/bin",
    ].join(":");
    expect(userPath(path, root)).toBe("/home/u/site/node_modules/.bin:/home/u/bin:/usr/local/bin:/usr/bin");
  });

  it("a project that depends on codex-smoke: its node_modules/.bin is codex-smoke's installation and goes", () => {
    const root = "/home/u/site/node_modules/codex-smoke";
    const path =
      "/home/u/site/node_modules/.bin:/home/u/site/node_modules/codex-smoke/node_modules/.bin:/usr/bin";
    expect(userPath(path, root)).toBe("/usr/bin");
  });

  it("a checkout (npm start): its own node_modules/.bin goes, a sibling project's stays", () => {
    const root = "/work/codex-smoke";
    const path = "/work/codex-smoke/node_modules/.bin/:/work/other/node_modules/.bin:/usr/bin";
    expect(userPath(path, root)).toBe("/work/other/node_modules/.bin:/usr/bin");
  });

  it("keeps empty entries (the current directory) and an empty PATH", () => {
    expect(userPath("::/usr/bin", "/work/codex-smoke")).toBe("::/usr/bin");
    expect(userPath(undefined, "/work/codex-smoke")).toBe("");
  });

  it("the launch environment is the caller's with only PATH filtered", () => {
    const env = callerEnvironment(
      { PATH: "/work/codex-smoke/node_modules/.bin:/usr/bin", HOME: "/home/u", UNSET: undefined },
      "/work/codex-smoke",
    );
    expect(env).toStrictEqual({ PATH: "/usr/bin", HOME: "/home/u" });
  });

  it("an environment without PATH gets none added", () => {
    const env = callerEnvironment({ HOME: "/home/u" }, "/work/codex-smoke");
    expect(env).toStrictEqual({ HOME: "/home/u" });
  });
});

describe("the installation behind a codex executable", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-locate-"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function file(path: string, text: string, mode = 0o644): string {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
    chmodSync(path, mode);
    return path;
  }

  /** An npm install of @openai/codex as npm lays it out: wrapper, platform package, .bin symlink. */
  function npmLayout(prefix: string, version: string): string {
    const modules = join(prefix, "node_modules");
    file(join(modules, "@openai/codex/package.json"), JSON.stringify({ name: "@openai/codex", version }));
    file(join(modules, "@openai/codex/bin/codex.js"), "#!/usr/bin/env node\n", 0o755);
    const platform = process.arch === "arm64" ? "codex-linux-arm64" : "codex-linux-x64";
    file(
      join(modules, `@openai/${platform}/package.json`),
      JSON.stringify({ name: `@openai/${platform}`, version }),
    );
    mkdirSync(join(modules, `@openai/${platform}/vendor`), { recursive: true });
    mkdirSync(join(modules, ".bin"), { recursive: true });
    symlinkSync("../@openai/codex/bin/codex.js", join(modules, ".bin", "codex"));
    return join(modules, ".bin", "codex");
  }

  it("the npm wrapper: its platform package's vendor dir (symlinks resolved) and the package version", () => {
    const bin = npmLayout(join(root, "npm"), "0.150.0");
    const install = codexInstallFromBin(bin);
    const platform = process.arch === "arm64" ? "codex-linux-arm64" : "codex-linux-x64";
    expect(install).toEqual({
      bin,
      binDir: join(root, "npm", "node_modules", ".bin"),
      vendorDir: realpathSync(join(root, "npm", "node_modules", "@openai", platform, "vendor")),
      version: "0.150.0",
    });
  });

  it("a standalone binary reached through a symlink: the directory of the binary itself", () => {
    const real = file(join(root, "standalone", "opt", "codex"), "#!/bin/sh\n", 0o755);
    mkdirSync(join(root, "standalone", "bin"));
    const link = join(root, "standalone", "bin", "codex");
    symlinkSync(real, link);
    expect(codexInstallFromBin(link)).toEqual({
      bin: link,
      binDir: join(root, "standalone", "bin"),
      vendorDir: realpathSync(join(root, "standalone", "opt")),
      version: null,
    });
  });

  it("a codex.js that is not @openai/codex's counts as a standalone binary", () => {
    const bin = file(join(root, "other", "bin", "codex.js"), "#!/usr/bin/env node\n", 0o755);
    file(join(root, "other", "package.json"), JSON.stringify({ name: "not-codex" }));
    expect(codexInstallFromBin(bin).vendorDir).toBe(realpathSync(join(root, "other", "bin")));
  });

  it("the dev dependency only in a checkout: an installed codex-smoke has none of its own", () => {
    npmLayout(join(root, "checkout"), "0.169.0");
    expect(devDependencyCodex(join(root, "checkout"))?.version).toBe("0.169.0");
    const installed = join(root, "checkout", "node_modules", "codex-smoke");
    mkdirSync(installed, { recursive: true });
    expect(devDependencyCodex(installed)).toBeNull();
    expect(devDependencyCodex(join(root, "no-codex-here"))).toBeNull();
  });

  it("demo takes --codex, else the checkout's dev dependency, else the codex on PATH, else says how to get one", () => {
    const option = npmLayout(join(root, "option"), "0.160.0");
    const checkout = codexInstallFromBin(npmLayout(join(root, "dev"), "0.169.0"));
    const onPath = npmLayout(join(root, "global"), "0.171.0");
    const path = { PATH: `/nonexistent:${join(root, "global", "node_modules", ".bin")}` };
    expect(demoCodex(option, checkout, path).version).toBe("0.160.0");
    expect(demoCodex(undefined, checkout, path).version).toBe("0.169.0");
    expect(demoCodex(undefined, null, path).bin).toBe(onPath);
    expect(() => demoCodex(undefined, null, { PATH: "/nonexistent" })).toThrow(
      new UsageError(
        "no Codex CLI found: install it (npm install -g @openai/codex) or pass --codex <path to the codex binary>",
      ),
    );
  });
});
