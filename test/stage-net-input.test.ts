// The exec launch starts before the registry is known: the runner's network part reads an input of its own, which
// the host writes once the URL is there — only as a new file in the staging folder it made itself.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type StageRequest, stageRunner } from "../src/audit/stage.js";

const root = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-net-input-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
function request(registryUrl: StageRequest["registryUrl"]): StageRequest {
  const project = join(root, `project-${++count}`);
  const home = join(root, `home-${count}`);
  mkdirSync(project);
  mkdirSync(join(home, ".codex"), { recursive: true });
  return {
    nonce: `n${count}`,
    project,
    home,
    codexHome: join(home, ".codex"),
    readonlyPaths: [".codex"],
    outsideWriteDirs: [],
    outsideReadFiles: [],
    registryUrl,
    stagingName: `.codex-smoke-n${count}`,
    placeCanaries: false,
    launcherFiles: [],
    watched: false,
  };
}

/** A registry URL resolved by hand, later. */
function pending() {
  let resolve: (url: string | null) => void = () => {};
  const url = new Promise<string | null>((done) => {
    resolve = done;
  });
  return { url, resolve };
}

describe("the network part's own input", () => {
  it("is written once the registry is known, and the network command reads it", async () => {
    const registry = pending();
    const staged = await stageRunner(request(registry.url));
    const netInput = join(staged.record.stagingDir, "input.net.json");
    expect(staged.commands[1]).toMatch(/\/input\.net\.json net$/);
    expect(staged.commands[0]).toMatch(/\/input\.json local$/);
    expect(existsSync(netInput)).toBe(false);
    registry.resolve("http://127.0.0.1:9/astro");
    await staged.netInput;
    expect(JSON.parse(readFileSync(netInput, "utf8")).registryUrl).toBe("http://127.0.0.1:9/astro");
    expect(
      JSON.parse(readFileSync(join(staged.record.stagingDir, "input.json"), "utf8")).registryUrl,
    ).toBeNull();
    staged.unstage();
    expect(existsSync(staged.record.stagingDir)).toBe(false);
  });

  it("is never written through a link planted under its name", async () => {
    const registry = pending();
    const staged = await stageRunner(request(registry.url));
    const target = join(root, `elsewhere-${count}.json`);
    symlinkSync(target, join(staged.record.stagingDir, "input.net.json"));
    registry.resolve("http://127.0.0.1:9/astro");
    await staged.netInput;
    expect(existsSync(target)).toBe(false);
    rmSync(join(staged.record.stagingDir, "input.net.json"));
    staged.unstage();
  });

  it("is not written when the staging folder was replaced meanwhile", async () => {
    const registry = pending();
    const staged = await stageRunner(request(registry.url));
    const dir = staged.record.stagingDir;
    renameSync(dir, `${dir}-moved`);
    mkdirSync(dir);
    registry.resolve("http://127.0.0.1:9/astro");
    await staged.netInput;
    expect(existsSync(join(dir, "input.net.json"))).toBe(false);
    expect(existsSync(join(`${dir}-moved`, "input.net.json"))).toBe(false);
  });

  it("is not needed when the registry is known at staging (probe --stage): one input for both parts", async () => {
    const staged = await stageRunner(request("http://127.0.0.1:9/astro"));
    expect(staged.commands.every((command) => command.includes("/input.json "))).toBe(true);
    await staged.netInput;
    expect(existsSync(join(staged.record.stagingDir, "input.net.json"))).toBe(false);
    staged.unstage();
  });
});
