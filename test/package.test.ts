// The package as a user gets it: `npm pack`, installed into an empty project, run through `npx` from there.
// Offline: the empty project gets a lockfile with the dependency versions of codex-smoke's own lock, each with its
// integrity (npm serves them from the cache `npm ci` filled) and a loopback `resolved` URL that nothing answers,
// so a dependency missing from the cache fails here instead of leaving the machine.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { findCodexInstall } from "../src/demo/codex-install.js";
import { buildReferenceSetup } from "../src/demo/reference-setup.js";
import { loopbackRegistry } from "./helpers/audit.js";
import { readReport } from "./helpers/report-schema.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NO_CODEX =
  "codex-smoke: no Codex CLI found: install it (npm install -g @openai/codex) or pass --codex <path to the codex binary>\n";

interface LockEntry {
  version: string;
  dev?: boolean;
  resolved?: string;
  [field: string]: unknown;
}

interface Packed {
  filename: string;
  entryCount: number;
  unpackedSize: number;
  files: Array<{ path: string }>;
}

let dir: string;
let project: string;
let packed: Packed;
let installOutput: string;

/** A user's environment: their PATH, their HOME (and npm's config there), nothing from the test's npm run. */
function userEnv(pathDirs: string[]): Record<string, string> {
  const path = [...pathDirs, dirname(process.execPath), "/usr/bin", "/bin"];
  const env: Record<string, string> = {
    PATH: path.filter((d, i) => path.indexOf(d) === i).join(delimiter),
    HOME: homedir(),
    LANG: "C.UTF-8",
  };
  // npm's own files stay where `npm ci` put them, also when HOME is a test setup's fake home.
  env.npm_config_cache = process.env.npm_config_cache ?? join(homedir(), ".npm");
  env.npm_config_userconfig = process.env.npm_config_userconfig ?? join(homedir(), ".npmrc");
  return env;
}

function run(command: string, args: string[], opts: { cwd: string; env: Record<string, string> }) {
  return new Promise<{ exitCode: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      command,
      args,
      { ...opts, timeout: 240_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ exitCode, stdout, stderr });
      },
    );
  });
}

/** `npx codex-smoke <args>` in the user's project. */
const npx = (args: string[], env: Record<string, string>) =>
  run("npx", ["--no", "--", "codex-smoke", ...args], { cwd: project, env });

/** The empty project's package.json and lockfile: codex-smoke from the tarball, its dependencies as we lock them. */
function writeUserProject(tarball: string): void {
  const ours = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const self = ours.packages[""] as LockEntry;
  const spec = `file:../${tarball}`;
  const integrity = `sha512-${createHash("sha512")
    .update(readFileSync(join(dir, tarball)))
    .digest("base64")}`;
  const packages: Record<string, unknown> = {
    "": { name: "user-project", dependencies: { "codex-smoke": spec } },
    "node_modules/codex-smoke": { ...self, resolved: spec, integrity, devDependencies: undefined },
  };
  for (const [path, entry] of Object.entries(ours.packages)) {
    if (path === "" || entry.dev) continue;
    const name = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    const file = `${name.split("/").pop()}-${entry.version}.tgz`;
    packages[path] = { ...entry, resolved: `http://127.0.0.1:9/${name}/-/${file}` };
  }
  const manifest = { name: "user-project", private: true, dependencies: { "codex-smoke": spec } };
  writeFileSync(join(project, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const lock = { name: "user-project", lockfileVersion: 3, requires: true, packages };
  writeFileSync(join(project, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-package-"));
  project = join(dir, "user-project");
  mkdirSync(project);
  // The global setup compiled the JavaScript; the declarations `types` points at are their own, quick, build.
  execFileSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.types.json"],
    {
      cwd: ROOT,
    },
  );
  // --ignore-scripts: `prepack` would rebuild dist/ under the feet of the tests running beside this one.
  const pack = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
    cwd: ROOT,
    env: userEnv([]),
  });
  packed = (JSON.parse(pack.stdout) as Packed[])[0] as Packed;
  writeUserProject(packed.filename);
  const install = await run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], {
    cwd: project,
    env: userEnv([]),
  });
  installOutput = `${install.stdout}${install.stderr}`;
  expect(install.exitCode, installOutput).toBe(0);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("ships only what runs: built JS, its declarations, the runner, the schemas, docs, the recipes", () => {
    const paths = packed.files.map((f) => f.path);
    const allowed = [
      /^dist\/(src|checks)\/.+\.js$/,
      /^dist\/src\/.+\.d\.ts$/,
      /^dist\/runner\.mjs$/,
      /^schemas\/(report|expect)\.schema\.json$/,
      /^docs\/(checks\/)?[^/]+\.md$/,
      /^examples\/(cron\/crontab|github-actions\/codex-smoke\.yml|github-actions\/codex-home\/(config|azi4a2-autonomous\.config)\.toml|nightly\/codex-smoke-nightly\.sh|systemd\/codex-smoke\.(service|timer))$/,
      /^(package\.json|README\.md|LICENSE)$/,
    ];
    expect(paths.filter((p) => !allowed.some((pattern) => pattern.test(p)))).toEqual([]);
    for (const needed of [
      "dist/src/cli.js",
      "dist/src/index.js",
      "dist/src/index.d.ts",
      "dist/runner.mjs",
      "dist/src/demo/mcp-stdio-standin.js",
      "dist/checks/index.js",
      "docs/checks/fs.auth_json.md",
      "examples/nightly/codex-smoke-nightly.sh",
      "examples/github-actions/codex-home/azi4a2-autonomous.config.toml",
      "schemas/report.schema.json",
      "schemas/expect.schema.json",
      "LICENSE",
    ]) {
      expect(paths).toContain(needed);
    }
  });

  it("installing it runs no script of ours (only a dependency's own, node-pty's build)", () => {
    const installed = JSON.parse(
      readFileSync(join(project, "node_modules", "codex-smoke", "package.json"), "utf8"),
    ) as { scripts?: Record<string, string> };
    const installTime = ["preinstall", "install", "postinstall", "prepare"];
    expect(Object.keys(installed.scripts ?? {}).filter((name) => installTime.includes(name))).toEqual([]);
    expect(installOutput).not.toContain("codex-smoke@");
  });

  it("--help and list work through npx", async () => {
    const help = await npx(["--help"], userEnv([]));
    expect(help.stdout).toMatch(/^codex-smoke \d+\.\d+\.\d+: prove an autonomous Codex setup enforces/);
    expect(help.exitCode).toBe(0);
    const list = await npx(["list"], userEnv([]));
    expect(list.stdout).toContain("fs.auth_json");
    expect(list.stdout.split("\n").filter((line) => /^ {2}[a-z]+\.[a-z_]+ /.test(line))).toHaveLength(
      checks.length,
    );
    expect(list.exitCode).toBe(0);
  });

  it("the library entry and the schemas resolve from the user's project", async () => {
    const script =
      'const m = await import("codex-smoke"); console.log(Object.keys(m).sort().join(" "), m.DEFAULT_EXPECTATIONS.profile);' +
      'console.log(import.meta.resolve("codex-smoke/schemas/report.schema.json"));';
    const node = await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: project,
      env: userEnv([]),
    });
    expect(node.stderr).toBe("");
    expect(node.stdout).toBe(
      `DEFAULT_EXPECTATIONS STATUSES azi4a2-autonomous\nfile://${project}/node_modules/codex-smoke/schemas/report.schema.json\n`,
    );
  });

  it("demo without a Codex on PATH says in one line how to get one", async () => {
    const demo = await npx(["demo", "--registry", await loopbackRegistry()], userEnv([]));
    expect(demo.stderr).toBe(NO_CODEX);
    expect(demo.exitCode).toBe(2);
  });

  it("demo with a Codex on PATH audits the reference setup with it: every check passes (no network rules to prove: skipped)", async () => {
    const bin = join(dir, "user-bin");
    mkdirSync(bin);
    symlinkSync(findCodexInstall().bin, join(bin, "codex"));
    const out = join(dir, "demo-reports");
    const args = ["demo", "--registry", await loopbackRegistry(), "--format", "json", "--out", out];
    const demo = await npx(args, userEnv([bin]));
    expect(demo.stderr).toMatch(
      new RegExp(`(^|\\n)codex-smoke: ${checks.length - 1} passed, 1 skipped; report: \\S+\\n$`),
    );
    expect(demo.exitCode).toBe(0);
    const report = readReport(join(out, "codex-smoke.json"));
    expect(report.results.filter((r) => r.status === "skip").map((r) => r.id)).toEqual(["net.profile_rules"]);
    expect(report.target.codexPath).toBe(join(bin, "codex"));
    expect(report.target.codexVersion).toBe("0.169.0");
  });

  it("run audits the Codex a logging wrapper first on PATH stands for (issue 12)", async () => {
    const wrapper = join(dir, "wrapper", "codex");
    const log = join(dir, "wrapper.log");
    const real = findCodexInstall();
    mkdirSync(dirname(wrapper));
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real.bin}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    // The wrapper is the user's `codex`; the sandbox still needs read on the real package's native binary.
    const setup = await buildReferenceSetup({ codex: { ...real, bin: wrapper, binDir: dirname(wrapper) } });
    try {
      const out = join(dir, "run-reports");
      const args = ["run", "--launcher", setup.launcher, "--project", setup.project, "--out", out];
      const audit = await npx([...args, "--registry", await loopbackRegistry(), "--format", "json"], {
        ...userEnv(setup.env.PATH?.split(delimiter) ?? []),
        ...setup.env,
      });
      expect(audit.stderr).toMatch(/(^|\n)codex-smoke: \d+ passed[^\n]*\n$/);
      expect(audit.exitCode).toBe(0);
      const report = readReport(join(out, "codex-smoke.json"));
      expect(report.target.codexVersion).toBe("0.169.0");
      expect(report.target.codexPath).toBe(join(setup.root, "bin", "codex"));
      // Every launch went through the wrapper: the version probe, exec, the sandbox, the two interactive sessions
      // (the TUI's /status and /mcp verbose, the MCP runtime turn), mcp get per server.
      const calls = readFileSync(log, "utf8").trimEnd().split("\n");
      const profile = "--profile azi4a2-autonomous ";
      expect(calls).toContain("--version");
      expect(calls.filter((line) => line.startsWith(`exec ${profile}`))).toHaveLength(1);
      expect(calls.filter((line) => line.startsWith("sandbox "))).toHaveLength(1);
      expect(
        calls.filter((line) => line.startsWith(profile) && line.includes(" --no-alt-screen ")),
      ).toHaveLength(2);
      expect(calls.filter((line) => line.startsWith(profile) && / mcp get \w+$/.test(line))).toHaveLength(2);
    } finally {
      await setup.dispose();
    }
  });
});
