// "Could not test" is `error` (exit 3), never pass or fail; timeouts and Ctrl-C leave no process, temp dir or
// config change behind.
import { execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, loopbackRegistry, processesOf, runArgs, withSetup } from "./helpers/audit.js";
import { readReport } from "./helpers/report-schema.js";

/** The CLI's script and `run`'s arguments for `setup`, with the loopback registry. */
function cliRunArgs(
  setup: { launcher: string; project: string; root: string },
  registry: string,
  ...extra: string[]
) {
  return [CLI, ...runArgs(setup, "--registry", registry, ...extra)];
}

const runDirs = (home: string) => {
  try {
    return readdirSync(join(home, ".cache", "codex-smoke"));
  } catch {
    return [];
  }
};

describe.concurrent("could not test", () => {
  it("a host whose bubblewrap cannot create namespaces: host.sandbox and the runner's checks are error, exit 3", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const registry = await loopbackRegistry();
        const script = `echo 0 > /proc/sys/user/max_user_namespaces && exec "$0" "$@"`;
        const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
          execFile(
            "unshare",
            [
              "--user",
              "--map-root-user",
              "sh",
              "-c",
              script,
              process.execPath,
              ...cliRunArgs(setup, registry, "--format", "json"),
            ],
            { env: setup.env, timeout: 120_000 },
            (error, stdout) => resolve({ code: error ? (error.code as number) : 0, stdout }),
          );
        });
        const report = readReport(join(setup.root, "reports", "codex-smoke.json"));
        const status = (id: string) => report.results.find((r: { id: string }) => r.id === id)?.status;
        expect(status("host.sandbox"), result.stdout).toBe("error");
        for (const id of ["runner.report", "fs.auth_json", "fs.git_write", "net.registry", "env.secrets"]) {
          expect(status(id), id).toBe("error");
        }
        expect(report.summary.pass).toBeGreaterThan(0);
        expect(report.summary.fail).toBe(0);
        expect(result.code).toBe(3);
      },
    );
  });

  it("a Codex launch that outlives --timeout is killed with its processes: error, exit 3", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const registry = await loopbackRegistry();
        const profileBefore = readFileSync(setup.profileFile);
        const result = await new Promise<{ code: number | null }>((resolve) => {
          execFile(
            process.execPath,
            cliRunArgs(setup, registry, "--timeout", "0.3", "--format", "json"),
            { env: setup.env, timeout: 120_000 },
            (error) => resolve({ code: error ? (error.code as number) : 0 }),
          );
        });
        const report = readReport(join(setup.root, "reports", "codex-smoke.json"));
        const status = (id: string) => report.results.find((r: { id: string }) => r.id === id)?.status;
        // The exec header may come out within 0.3 s (then banner.sandbox judges it); the runner's report never does.
        expect(status("runner.report")).toBe("error");
        expect(status("tui.permissions")).toBe("error");
        expect(report.summary.pass).toBeGreaterThan(0);
        expect(report.summary.fail).toBe(0);
        expect(result.code).toBe(3);
        expect(processesOf(setup)).toEqual([]);
        expect(runDirs(setup.home)).toEqual([]);
        expect(readFileSync(setup.profileFile).equals(profileBefore)).toBe(true);
      },
    );
  });

  it("Ctrl-C during an audit kills every launch, restores the config and removes the run dir", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const registry = await loopbackRegistry();
        const profileBefore = readFileSync(setup.profileFile);
        const child = spawn(process.execPath, cliRunArgs(setup, registry), {
          env: setup.env,
          stdio: "ignore",
        });
        // Interrupt once Codex is really running (its launches carry this setup's CODEX_HOME).
        for (let i = 0; i < 100 && processesOf(setup).length < 2; i++)
          await new Promise((r) => setTimeout(r, 100));
        expect(processesOf(setup).length).toBeGreaterThan(0);
        child.kill("SIGINT");
        const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
        expect(code).toBe(130);
        expect(processesOf(setup)).toEqual([]);
        expect(runDirs(setup.home)).toEqual([]);
        expect(readFileSync(setup.profileFile).equals(profileBefore)).toBe(true);
        expect(readdirSync(setup.project).filter((name) => name.startsWith(".codex-smoke"))).toEqual([]);
      },
    );
  });
});

describe("Codex missing", () => {
  it("no codex on PATH: the launch-based checks are error, nothing fails, exit 3", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const registry = await loopbackRegistry();
        const nodeOnly = join(setup.root, "node-only-bin");
        const { mkdirSync, symlinkSync } = await import("node:fs");
        mkdirSync(nodeOnly);
        symlinkSync(process.execPath, join(nodeOnly, "node"));
        const env = { ...setup.env, PATH: `${nodeOnly}:/usr/bin:/bin` };
        const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
          execFile(
            process.execPath,
            cliRunArgs(setup, registry, "--format", "json"),
            { env, timeout: 120_000 },
            (error, stdout) => resolve({ code: error ? (error.code as number) : 0, stdout }),
          );
        });
        const report = readReport(join(setup.root, "reports", "codex-smoke.json"));
        const status = (id: string) => report.results.find((r: { id: string }) => r.id === id)?.status;
        for (const id of [
          "host.sandbox",
          "banner.sandbox",
          "tui.permissions",
          "mcp.approval",
          "fs.auth_json",
        ]) {
          expect(status(id), id).toBe("error");
        }
        expect(report.summary.fail, result.stdout).toBe(0);
        expect(result.code).toBe(3);
      },
    );
  });
});
