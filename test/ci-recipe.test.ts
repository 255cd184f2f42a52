// Integration (real Codex): the GitHub Actions recipe passes as given. Its `run:` steps run in order, as the
// runner runs them (bash -eo pipefail, GITHUB_ENV / GITHUB_PATH / GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files), in a
// fresh HOME with no CODEX_HOME, on a repository holding the reference launcher and the example's codex-home/.
// Three things stand in for what only GitHub has: the `uses:` actions are skipped (checkout: the repository is in
// place; the cache: this is the first night), the sysctl step is not run (it would change this machine), and the
// install step's effect is laid out as `npm install --global` lays it out under the prefix the recipe sets
// (hard links to the dev dependency's Codex, and codex-smoke's own bin): a Codex at another path than the
// author's, which only the example's `~` grant can name. The example's two MCP servers (npx, a URL) become the
// reference setup's loopback stand-ins, and npm's registry a loopback one: tests never leave the machine.
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { Report } from "../src/core/model.js";
import { findCodexInstall } from "../src/demo/codex-install.js";
import type { ReferenceSetup } from "../src/demo/reference-setup.js";
import { loopbackRegistry, withSetup } from "./helpers/audit.js";
import { REPO } from "./helpers/shell-commands.js";

const run = promisify(execFile);
const EXAMPLE = join(REPO, "examples", "github-actions");
const INSTALL = 'npm install --global "@openai/codex@$(cat .codex-version)" "$CODEX_SMOKE_PACKAGE"';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}

const steps = (
  parseYaml(readFileSync(join(EXAMPLE, "codex-smoke.yml"), "utf8")) as { jobs: { audit: { steps: Step[] } } }
).jobs.audit.steps;

/** The example's profile with its MCP servers (npx, a URL) swapped for the reference setup's loopback stand-ins. */
function exampleProfile(setup: ReferenceSetup): string {
  const example = readFileSync(join(EXAMPLE, "codex-home", "azi4a2-autonomous.config.toml"), "utf8");
  const standins = readFileSync(setup.profileFile, "utf8");
  const servers = (text: string) => text.indexOf("\n[mcp_servers.playwright]");
  expect(servers(example)).toBeGreaterThan(0);
  return example.slice(0, servers(example)) + standins.slice(servers(standins));
}

/** The repository as the workflow expects it: the launcher, `.codex-version`, codex-home/ (committed). */
async function repository(setup: ReferenceSetup): Promise<void> {
  const codexHome = join(setup.project, "codex-home");
  mkdirSync(codexHome);
  writeFileSync(join(codexHome, "config.toml"), readFileSync(join(EXAMPLE, "codex-home", "config.toml")));
  writeFileSync(join(codexHome, "azi4a2-autonomous.config.toml"), exampleProfile(setup));
  writeFileSync(join(setup.project, ".codex-version"), `${findCodexInstall().version}\n`);
  const git = (...args: string[]) =>
    run("git", ["-c", "core.hooksPath=/dev/null", ...args], { cwd: setup.project });
  await git("add", ".");
  await git(
    "-c",
    "user.name=ci",
    "-c",
    "user.email=ci@codex-smoke.invalid",
    "commit",
    "-q",
    "-m",
    "ci setup",
  );
}

/** What the install step leaves under the npm prefix: Codex as npm nests it, and codex-smoke's bin. */
async function installUnder(prefix: string): Promise<void> {
  const modules = join(prefix, "lib", "node_modules");
  const codex = join(modules, "@openai", "codex");
  const devModules = join(REPO, "node_modules", "@openai");
  mkdirSync(join(codex, "node_modules", "@openai"), { recursive: true });
  await run("cp", ["-al", `${join(devModules, "codex")}/.`, codex]);
  await run("cp", ["-al", join(devModules, "codex-linux-x64"), join(codex, "node_modules", "@openai")]);
  mkdirSync(join(prefix, "bin"));
  symlinkSync("../lib/node_modules/@openai/codex/bin/codex.js", join(prefix, "bin", "codex"));
  // `npm install --global <folder>` links the folder; its bin runs the CLI.
  symlinkSync(REPO, join(modules, "codex-smoke"));
  const cli = join(modules, "codex-smoke", "dist", "src", "cli.js");
  writeFileSync(join(prefix, "bin", "codex-smoke"), `#!/bin/sh\nexec node "${cli}" "$@"\n`);
  chmodSync(join(prefix, "bin", "codex-smoke"), 0o755);
}

/** `NAME=value` lines (GITHUB_ENV) and directories (GITHUB_PATH) the steps wrote so far. */
function stepEnvironment(files: { env: string; path: string }, base: Record<string, string>) {
  const read = (file: string) =>
    existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
  const added = Object.fromEntries(read(files.env).map((line) => line.split(/=(.*)/s).slice(0, 2)));
  const paths = read(files.path).reverse(); // the last added comes first, as on the runner
  return { ...base, ...added, PATH: [...paths, base.PATH].join(":") };
}

describe("the GitHub Actions recipe", () => {
  it("passes as given in a fresh HOME, Codex installed where only the example's ~ grant names it", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        await repository(setup);
        const work = join(setup.root, "runner");
        const home = join(work, "home");
        mkdirSync(home, { recursive: true });
        const files = {
          env: join(work, "github_env"),
          path: join(work, "github_path"),
          output: join(work, "github_output"),
          summary: join(work, "step_summary"),
        };
        for (const file of Object.values(files)) writeFileSync(file, "");
        const base: Record<string, string> = {
          PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          HOME: home,
          LANG: "C.UTF-8",
          CI: "true",
          GITHUB_ACTIONS: "true",
          GITHUB_ENV: files.env,
          GITHUB_PATH: files.path,
          GITHUB_OUTPUT: files.output,
          GITHUB_STEP_SUMMARY: files.summary,
          npm_config_registry: await loopbackRegistry(),
        };
        const ran: string[] = [];
        let auditExit: number | null = null;
        for (const step of steps) {
          if (step.uses !== undefined || step.run === undefined) continue;
          if (step.run.includes("sysctl")) continue; // would change this machine; user namespaces are on here
          if (step.if !== undefined && step.if !== "always()") continue; // `failure()`: no step failed
          const env = { ...stepEnvironment(files, base), ...step.env };
          if (step.run === INSTALL) {
            await installUnder(env.NPM_CONFIG_PREFIX ?? "");
            ran.push(`${step.name} (laid out)`);
            continue;
          }
          const bash = ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run];
          const result = await run("bash", bash, { cwd: setup.project, env, timeout: 240_000 }).then(
            () => 0,
            (error: { code?: number; stderr?: string }) => {
              if (step.id !== "audit") throw new Error(`${step.name}: ${error.stderr}`);
              return error.code ?? null;
            },
          );
          if (step.id === "audit") auditExit = result;
          ran.push(step.name ?? step.run);
        }

        expect(ran).toEqual([
          "Install into ~/.npm-global, with the image's node",
          "Install the pinned Codex and codex-smoke (laid out)",
          "Put the Codex home in place",
          "Audit",
          "Job summary",
        ]);
        const reports = join(setup.project, "codex-smoke-reports");
        const report = JSON.parse(
          readFileSync(join(reports, "latest", "codex-smoke.json"), "utf8"),
        ) as Report;
        // The example's profile lists no domain and leaves Codex's proxy off: no network rule to prove.
        const notPassed = report.results
          .filter((r) => r.status !== "pass" && r.id !== "net.profile_rules")
          .map((r) => `${r.id}: ${r.observed}`);
        expect(notPassed).toEqual([]);
        expect(report.results.find((r) => r.id === "net.profile_rules")?.status).toBe("skip");
        expect(auditExit).toBe(0);
        expect(report.target.codexPath).toBe(join(home, ".npm-global", "bin", "codex"));
        expect(report.target.codexHome).toBe(join(home, ".codex"));
        expect(readFileSync(files.output, "utf8")).toBe(""); // no exit code recorded: the audit passed
        expect(readFileSync(files.summary, "utf8")).toContain("codex-smoke");
        expect(existsSync(join(reports, "baseline.json"))).toBe(true);
        expect(dirname(readFileSync(files.env, "utf8").trim().split("=")[1] ?? "")).toBe(home);
      },
    );
  });
});
