// Never harm the host (issue 14): a report from inside the sandbox is untrusted input, restore undoes only the
// probe's own work, an interrupt at any moment leaves the project, HOME and config as they were, and Codex's
// history does not fill with audit sessions.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { ReferenceSetup } from "../src/demo/reference-setup.js";
import { listenOnLoopback } from "../src/util/loopback.js";
import {
  audit,
  CLI,
  launcherPrepends,
  loopbackRegistry,
  processesOf,
  runCli,
  withSetup,
} from "./helpers/audit.js";
import { readReport } from "./helpers/report-schema.js";
import { CODEX_STATE, treeState } from "./helpers/tree.js";

const run = promisify(execFile);

/** What must be byte-identical after an audit: the project (with .git) and HOME, minus Codex's own state. */
function hostState(setup: ReferenceSetup) {
  return { project: treeState(setup.project), home: treeState(setup.home, (rel) => CODEX_STATE.test(rel)) };
}

describe.concurrent("a probe report is untrusted input", () => {
  it("a report this host did not stage is refused in one line (exit 2), and the paths it names stay", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const victim = join(setup.root, "victim");
        mkdirSync(victim);
        writeFileSync(join(victim, "precious.txt"), "keep me\n");
        const forged = join(setup.project, "forged.json");
        writeFileSync(
          forged,
          JSON.stringify({
            schema: 2,
            tool: "codex-smoke-runner",
            part: "local",
            nonce: "0123456789ab",
            home: { marker: victim },
            outside: { writes: [{ dir: victim, marker: victim }] },
          }),
        );
        const before = hostState(setup);
        const result = await runCli(
          [
            "run",
            ...["--launcher", setup.launcher, "--project", setup.project, "--probe-report", forged],
            ...["--out", join(setup.root, "reports")],
          ],
          {
            env: setup.env,
            cwd: setup.project,
          },
        );
        expect(result.exitCode).toBe(2);
        expect(result.stderr.trim().split("\n")).toEqual([
          `codex-smoke: --probe-report ${forged}: refused: no staging with this nonce on this host (stage it with \`codex-smoke probe --stage\`; a report is accepted once)`,
        ]);
        expect(readFileSync(join(victim, "precious.txt"), "utf8")).toBe("keep me\n");
        expect(hostState(setup)).toEqual(before);
      },
    );
  });

  it("a staged report is accepted once; a second use and a symlinked report are refused", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const registry = await loopbackRegistry();
        await runCli(["probe", "--stage", "--registry", registry], { env: setup.env, cwd: setup.project });
        await run(
          setup.launcher,
          [
            "sandbox",
            "-P",
            setup.profileName,
            "-C",
            setup.project,
            "--",
            "node",
            ".codex-smoke/runner.mjs",
            ".codex-smoke/input.json",
            "local",
          ],
          { cwd: setup.project, env: setup.env },
        );
        const report = join(setup.project, ".codex-smoke", "report.local.json");
        const copy = readFileSync(report);
        const first = await audit(setup, ["--probe-report", report, "--only", "runner.,fs."]);
        expect(first.exitCode, first.stderr).toBe(0);
        expect(existsSync(join(setup.project, ".codex-smoke"))).toBe(false);

        mkdirSync(join(setup.project, ".codex-smoke"));
        writeFileSync(report, copy);
        const again = await audit(setup, ["--probe-report", report]);
        expect(again.exitCode).toBe(2);
        expect(again.stderr).toContain("refused: no staging with this nonce on this host");
      },
    );
  });
});

describe.concurrent("restore undoes only the probe's own work", () => {
  it("a commit and a build output the user made during the audit survive it", async () => {
    await withSetup(
      (setup) => {
        // The launcher is where "the user" works during the audit: before Codex starts, it commits and builds.
        launcherPrepends(
          setup,
          [
            'if [ "$1" = exec ]; then',
            '  git -c user.name=alice -c user.email=alice@example.invalid commit -q --allow-empty -m "work in progress"',
            "  echo built > www.azinstitute4autism.com/build-output.html",
            "fi",
          ].join("\n"),
        );
      },
      async (setup) => {
        const result = await audit(setup, ["--only", "fs.,runner."]);
        expect(result.exitCode, result.stdout).toBe(0);
        const log = await run("git", ["log", "--format=%s", "-2"], { cwd: setup.project });
        expect(log.stdout.trim().split("\n")).toEqual(["work in progress", "Reference project"]);
        expect(
          readFileSync(join(setup.project, "www.azinstitute4autism.com/build-output.html"), "utf8"),
        ).toBe("built\n");
        expect(result.status("fs.git_write")).toBe("pass");
        expect(result.observed("fs.git_write")).toContain("left alone: HEAD moved");
      },
    );
  });
});

let hangingRegistryHit = false;

/** A registry that accepts the request and never answers: the audit is still in its first phase. */
async function hangingRegistry(): Promise<string> {
  const server = createServer(() => {
    hangingRegistryHit = true;
  });
  const port = await listenOnLoopback(server);
  server.unref();
  return `http://127.0.0.1:${port}/`;
}

describe("interrupted at any moment", () => {
  it.each([
    { when: "before the launches (waiting for the registry)", moment: "registry" },
    { when: "during the launches", moment: "launches" },
    { when: "while the report is made", moment: "report" },
  ])("$when: exit 130, one line naming the partial report, the host as it was", async ({ moment }) => {
    await withSetup(
      () => {},
      async (setup) => {
        const registry = moment === "registry" ? await hangingRegistry() : await loopbackRegistry();
        const out = join(setup.root, "reports");
        const before = hostState(setup);
        const configBefore = readFileSync(setup.profileFile);
        const child = spawn(
          process.execPath,
          [
            CLI,
            "run",
            "--launcher",
            setup.launcher,
            "--project",
            setup.project,
            "--out",
            out,
            "--registry",
            registry,
            "--format",
            "json",
          ],
          { env: setup.env, cwd: setup.project, stdio: ["ignore", "pipe", "pipe"] },
        );
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        const ready = {
          registry: () => hangingRegistryHit,
          launches: () => processesOf(setup).length >= 2,
          // The runner's last report is written: the audit is about to restore and report.
          report: () =>
            readdirSync(setup.project).some(
              (name) =>
                name.startsWith(".codex-smoke-") && existsSync(join(setup.project, name, "report.net.json")),
            ),
        }[moment];
        // Seen once is enough: short launches come and go. Polled until the audit ends, however long a loaded
        // machine takes to get there (the test's own timeout bounds it).
        let reached = false;
        while (!reached && child.exitCode === null) {
          reached = ready?.() === true;
          if (!reached) await new Promise((r) => setTimeout(r, 25));
        }
        expect(reached, `the audit ended before the moment came (exit ${child.exitCode}): ${stderr}`).toBe(
          true,
        );
        child.kill("SIGINT");
        // A second Ctrl-C while it cleans up must not cut the cleanup short.
        setTimeout(() => child.kill("SIGINT"), 20);
        const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
        expect(code).toBe(130);
        const lines = stderr
          .trim()
          .split("\n")
          .filter((line) => !line.startsWith("[progress] "));
        expect(lines).toEqual([
          `codex-smoke: interrupted (SIGINT); partial report: ${join(out, "codex-smoke.json")}`,
        ]);
        const report = readReport(join(out, "codex-smoke.json"));
        expect(report.incomplete).toBe(true);
        expect(report.summary.pass + report.summary.fail).toBeLessThan(21);
        expect(processesOf(setup)).toEqual([]);
        expect(hostState(setup)).toEqual(before);
        expect(readFileSync(setup.profileFile).equals(configBefore)).toBe(true);
      },
    );
  });
});

describe("Codex's history", () => {
  it("a whole audit adds no session, rollout or thread reference to CODEX_HOME", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const sessionLike = () =>
          Object.keys(treeState(setup.codexHome)).filter(
            (rel) =>
              /^(sessions|archived_sessions|tui-thread-reference-capabilities|thread-writer-locks)\//.test(
                rel,
              ) && !rel.endsWith(".coordination.lock"),
          );
        const before = sessionLike();
        const result = await audit(setup);
        expect(result.exitCode, result.stdout).toBe(0);
        expect(sessionLike()).toEqual(before);
      },
    );
  });
});
