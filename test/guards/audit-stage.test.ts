// Staging the runner in a real project and taking it away again (src/audit/stage.ts), the host's record
// (record.ts), and one audit's lifetime (session.ts): the host removes exactly what it put there, never a file the
// agent or the user added, and an interrupt kills the marked launches.
import { execFileSync, spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { existenceOf, gitHead, isGitRepo, placeholderPaths } from "../../src/audit/record.js";
import { CACHE_DIR, openSession } from "../../src/audit/session.js";
import { NETWORK_TIMEOUT_MS, outsideWriteDirs, stageRunner, unstage } from "../../src/audit/stage.js";
import { UsageError } from "../../src/core/errors.js";
import { LaunchedTree } from "../../src/core/processes.js";
import { PACKAGE_DIR } from "../../src/core/version.js";
import { ownNamespaces } from "../../src/runner/attest.js";
import { pinGitNowhere } from "../helpers/git-nowhere.js";
import { stageRequest } from "../helpers/stage-request.js";
import { tempDirs } from "../helpers/temp-dirs.js";

// git run by the code under test never reaches this checkout (test/helpers/git-nowhere.ts).
pinGitNowhere();

const NONCE = "0123456789ab";
const { tempDir } = tempDirs("test-guard-stage-");

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@invalid", ...args], {
    cwd,
    encoding: "utf8",
  }).trim();

/** A README-like layout: a git project with its read-only folders, a HOME, a CODEX_HOME without auth.json. */
function layout() {
  const root = tempDir();
  const project = join(root, "work", "proj");
  const home = join(root, "home");
  const request = stageRequest(
    { project, home, nonce: NONCE },
    {
      readonlyPaths: [".codex", "www.example"],
      outsideWriteDirs: [root],
      outsideReadFiles: [join(root, "canary.txt")],
      registryUrl: "http://127.0.0.1:9/astro",
      placeCanaries: true,
    },
  );
  mkdirSync(join(project, ".codex"));
  writeFileSync(join(project, "index.html"), "<p>site</p>\n");
  git(project, "init", "-q");
  git(project, "add", ".");
  git(project, "commit", "-qm", "init");
  return { root, project, home, request };
}

describe("stageRunner and unstage", () => {
  it("stages the runner, its input and a self-ignoring .gitignore, with the host's record of the project", async () => {
    const { project, home, request } = layout();
    const staged = await stageRunner(request);
    const dir = join(project, `.codex-smoke-${NONCE}`);
    expect(readdirSync(dir).sort()).toEqual([".gitignore", "input.json", "runner.mjs"]);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe("*\n");
    expect(
      readFileSync(join(dir, "runner.mjs")).equals(readFileSync(join(PACKAGE_DIR, "dist", "runner.mjs"))),
    ).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "input.json"), "utf8"))).toEqual(staged.input);
    // The staged folder ignores itself: git sees nothing new.
    expect(git(project, "status", "--porcelain")).toBe("");
    const auth = join(home, ".codex", "auth.json");
    expect(staged.input).toMatchObject({
      schema: 2,
      nonce: NONCE,
      project,
      home,
      reports: { local: join(dir, "report.local.json"), net: join(dir, "report.net.json") },
      hostNamespaces: ownNamespaces(),
      isRepo: true,
      authJson: [{ label: "$CODEX_HOME/auth.json", path: auth }],
      readonlyPaths: [".codex", "www.example"],
      outsideWriteDirs: request.outsideWriteDirs,
      outsideReadFiles: request.outsideReadFiles,
      registryUrl: "http://127.0.0.1:9/astro",
      networkTimeoutMs: NETWORK_TIMEOUT_MS,
    });
    const certificate = new X509Certificate(staged.input.tlsControl?.certPem ?? "");
    expect(certificate.subject).toBe("CN=codex-smoke-untrusted");
    expect(certificate.subjectAltName).toBe("IP Address:127.0.0.1");
    expect(staged.input.tlsControl?.keyPem).toMatch(/PRIVATE KEY-----/);
    expect(staged.commands).toEqual([
      `node .codex-smoke-${NONCE}/runner.mjs .codex-smoke-${NONCE}/input.json local --force`,
      `node .codex-smoke-${NONCE}/runner.mjs .codex-smoke-${NONCE}/input.json net --force`,
    ]);
    expect(staged.record).toMatchObject({
      nonce: NONCE,
      project,
      home,
      stagingDir: dir,
      headBefore: git(project, "rev-parse", "HEAD"),
      isRepo: true,
      existedBefore: { ".codex": true, "www.example": false, ".agents": false, ".aws": false },
      credentials: [{ label: "$CODEX_HOME/auth.json", path: auth, onHost: "canary" }],
    });
    expect(staged.record.canaries.map((c) => c.path)).toEqual([auth]);
    expect(existsSync(auth)).toBe(true);

    // The runner's reports and their temporaries go too; the canary as well.
    writeFileSync(staged.input.reports.local, "{}");
    writeFileSync(`${staged.input.reports.net}.tmp`, "{");
    expect(staged.unstage()).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    // Twice is harmless: nothing there is not a foreign file.
    expect(staged.unstage()).toEqual([]);
    expect(existsSync(auth)).toBe(false);
    expect(readdirSync(project).sort()).toEqual([".codex", ".git", "index.html"]);
  });

  it("a file the host did not put there keeps the folder, and says so", async () => {
    const { project, request } = layout();
    const staged = await stageRunner(request);
    writeFileSync(join(staged.record.stagingDir, "notes.txt"), "the agent's\n");
    expect(unstage(staged.record)).toEqual([
      `${staged.record.stagingDir} holds files the host did not put there: left as it is`,
    ]);
    expect(readdirSync(staged.record.stagingDir)).toEqual(["notes.txt"]);
    expect(existsSync(join(project, `.codex-smoke-${NONCE}`, "runner.mjs"))).toBe(false);
  });

  it("a staging folder that already exists (planted by the agent) is not reused", async () => {
    const { project, request } = layout();
    mkdirSync(join(project, request.stagingName));
    // Not `rejects.toThrow`: it passes on a rejection with no error at all.
    const error = await stageRunner(request).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      `${join(project, request.stagingName)}: cannot stage the runner (it, or a file in it, exists already)`,
    );
  });

  it("a login that replaced the canary is reported and kept", async () => {
    const { home, request } = layout();
    const staged = await stageRunner(request);
    const auth = join(home, ".codex", "auth.json");
    rmSync(auth);
    writeFileSync(auth, '{"tokens":{}}\n');
    expect(staged.unstage()).toEqual([`${auth} changed during the audit (a login?): left as it is`]);
    expect(readFileSync(auth, "utf8")).toBe('{"tokens":{}}\n');
  });

  it("probe --stage places no canary: a missing auth.json is not offered to the runner; its runner is not forced", async () => {
    const { request } = layout();
    const staged = await stageRunner({
      ...request,
      placeCanaries: false,
      stagingName: ".codex-smoke",
      watched: false,
    });
    expect(staged.input.authJson).toEqual([]);
    expect(staged.record.canaries).toEqual([]);
    expect(staged.commands[0]).toBe("node .codex-smoke/runner.mjs .codex-smoke/input.json local");
    staged.unstage();
  });
});

describe("outsideWriteDirs", () => {
  it("the project's parent, HOME, the temp dirs and the profile's entries: absolute, existing, not the project", () => {
    const { root, project, home } = layout();
    const extra = join(root, "extra");
    mkdirSync(extra);
    const dirsFound = outsideWriteDirs(project, home, [
      extra,
      "relative/dir",
      join(root, "missing"),
      project,
      home,
    ]);
    expect(dirsFound).toEqual(
      [dirname(project), home, "/tmp", "/var/tmp", extra].filter((dir) => existsSync(dir)),
    );
    expect(outsideWriteDirs(project, home, [`${project}/`])).not.toContain(`${project}/`);
  });
});

describe("the host's record", () => {
  it("HEAD: the commit, none on an unborn branch or outside a repository", async () => {
    const { project, root } = layout();
    expect(await gitHead({ project })).toBe(git(project, "rev-parse", "HEAD"));
    const unborn = join(root, "unborn");
    mkdirSync(unborn);
    git(unborn, "init", "-q");
    expect(await gitHead({ project: unborn })).toBeNull();
    expect(isGitRepo(unborn)).toBe(true);
    const plain = join(root, "plain");
    mkdirSync(plain);
    expect(isGitRepo(plain)).toBe(false);
  });

  it("a .git that is a symlink or a file is not taken for the repository's folder", () => {
    const { project, root } = layout();
    const linked = join(root, "linked");
    mkdirSync(linked);
    symlinkSync(join(project, ".git"), join(linked, ".git"));
    expect(isGitRepo(linked)).toBe(false);
  });

  it("placeholder paths: the read-only folders and Codex's mount points in and under them, deepest first", () => {
    const paths = placeholderPaths(["www.azinstitute4autism.com", ".codex"]);
    const depth = (path: string) => path.split("/").length;
    expect(paths.map(depth)).toEqual([...paths.map(depth)].sort((a, b) => b - a));
    expect(paths).toContain("www.azinstitute4autism.com/.git");
    expect(paths).toContain(".agents");
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("existenceOf: each project-relative path, as it is now", () => {
    const { project } = layout();
    expect(existenceOf(project, [".codex", "www.example", "index.html"])).toEqual({
      ".codex": true,
      "www.example": false,
      "index.html": true,
    });
  });
});

describe("openSession", () => {
  it("a private run directory, undo steps last-in first-out and once, a failed one not stopping the rest", async () => {
    const session = openSession();
    expect(session.nonce).toMatch(/^[0-9a-f]{12}$/);
    expect(session.runDir).toBe(join(homedir(), ".cache", "codex-smoke", `run-${session.nonce}`));
    expect(existsSync(session.runDir)).toBe(true);
    writeFileSync(join(session.runDir, "scratch"), "x");
    const order: string[] = [];
    session.onClose(() => {
      order.push("first");
    });
    session.onClose(() => {
      throw new Error("a failed undo");
    });
    session.onClose(async () => {
      order.push("last");
    });
    expect(session.interrupted()).toBeNull();
    await session.close();
    await session.close();
    expect(order).toEqual(["last", "first"]);
    expect(existsSync(session.runDir)).toBe(false);
    expect(existsSync(CACHE_DIR)).toBe(true);
  });

  it("SIGINT during the audit: the registered launches are killed, the signal is kept, a second one is ignored", async () => {
    const listeners = [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
    const session = openSession();
    const launch = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
    new LaunchedTree(launch.pid as number);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        launch.once("exit", (_c, s) => resolve(s)),
      );
      // The listener, not a real signal: the mutation runner runs tests in a worker thread, where a real SIGINT
      // would end the whole runner (test/host-safety.test.ts interrupts a real audit with real signals).
      process.emit("SIGINT", "SIGINT");
      expect(await exited).toBe("SIGKILL");
      process.emit("SIGTERM", "SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(session.interrupted()).toBe("SIGINT");
    } finally {
      launch.kill("SIGKILL");
      await session.close();
    }
    expect([process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")]).toEqual(listeners);
  });

  it("SIGTERM is taken over too; a run directory already gone is no error", async () => {
    const session = openSession();
    process.emit("SIGTERM", "SIGTERM");
    expect(session.interrupted()).toBe("SIGTERM");
    rmSync(session.runDir, { recursive: true });
    await session.close();
  });
});
