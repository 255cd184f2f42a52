// How a run ends, as users see it: one outcome line on stderr when the console report is off (and with --quiet),
// a report directory holding only this run's files, and an internal error as exit 4 with its details in a log.
// The audits select checks that need no Codex launch (config.profile) or one short one (host.sandbox).
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import type { ReferenceSetup } from "../src/demo/reference-setup.js";
import { CLI, runArgs, runCli, withSetup } from "./helpers/audit.js";

const dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-outcome-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(setup: ReferenceSetup, args: string[], env: Record<string, string> = {}) {
  return runCli(runArgs(setup, ...args), { env: { ...setup.env, ...env }, cwd: setup.root });
}

/** A PATH with node and the system tools but no `codex`: the host.sandbox check cannot be tested. */
function pathWithoutCodex(setup: ReferenceSetup): string {
  const nodeOnly = join(setup.root, "node-only-bin");
  mkdirSync(nodeOnly);
  symlinkSync(process.execPath, join(nodeOnly, "node"));
  return `${nodeOnly}:/usr/bin:/bin`;
}

const breakProfile = (setup: ReferenceSetup) => rmSync(setup.profileFile);

describe.concurrent("the one-line outcome", () => {
  it("--format json, a failed and an untestable check: the line names the failure, counts the rest; progress on stderr, stdout empty", async () => {
    await withSetup(breakProfile, async (setup) => {
      const result = await run(setup, ["--only", "config.profile,host.sandbox", "--format", "json"], {
        PATH: pathWithoutCodex(setup),
      });
      expect(result.stderr).toMatch(
        /^\[progress\] sandbox started\n\[progress\] sandbox done in \d+\.\ds\ncodex-smoke: 1 failed \(config\.profile\), 1 could not be tested; report: reports\/codex-smoke\.json\n$/,
      );
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe("");
    });
  });

  it("--format junit, nothing failed but a check could not be tested: exit 3 and its line", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const result = await run(setup, ["--only", "host.sandbox", "--format", "junit"], {
          PATH: pathWithoutCodex(setup),
        });
        expect(result.stderr.split("\n").filter((line) => !line.startsWith("[progress] "))).toEqual([
          "codex-smoke: 1 could not be tested; report: reports/codex-smoke.json",
          "",
        ]);
        expect(result.exitCode).toBe(3);
        expect(readdirSync(join(setup.root, "reports")).sort()).toEqual([
          "codex-smoke.json",
          "codex-smoke.junit.xml",
        ]);
      },
    );
  });

  it("--quiet prints only the outcome line on stderr: a pass", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const result = await run(setup, ["--only", "config.profile", "--quiet"]);
        expect(result.stdout).toBe("");
        expect(result.stderr).toBe(
          `codex-smoke: 1 passed, ${checks.length - 1} skipped; report: reports/codex-smoke.json\n`,
        );
        expect(result.exitCode).toBe(0);
      },
    );
  });

  it("--quiet with a launch: no progress, no console, one line", async () => {
    await withSetup(breakProfile, async (setup) => {
      const result = await run(setup, ["--only", "config.profile,host.sandbox", "--quiet"], {
        PATH: pathWithoutCodex(setup),
      });
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        "codex-smoke: 1 failed (config.profile), 1 could not be tested; report: reports/codex-smoke.json\n",
      );
      expect(result.exitCode).toBe(1);
    });
  });

  it("a regression against --baseline leads the line", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const first = await run(setup, ["--only", "config.profile", "--quiet"]);
        expect(first.exitCode).toBe(0);
        const baseline = join(setup.root, "baseline.json");
        writeFileSync(baseline, readFileSync(join(setup.root, "reports", "codex-smoke.json")));
        breakProfile(setup);
        const second = await run(setup, ["--only", "config.profile", "--quiet", "--baseline", baseline]);
        expect(second.stderr).toBe(
          "codex-smoke: 1 regression against the baseline (config.profile), 1 failed (config.profile); report: reports/codex-smoke.json\n",
        );
        expect(second.exitCode).toBe(1);
      },
    );
  });

  it("with the console report on, stderr stays empty (the console ends with the summary and report paths)", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const result = await run(setup, ["--only", "config.profile"]);
        expect(result.stderr).toBe("");
        expect(result.exitCode).toBe(0);
        expect(result.stdout).toContain(`report: ${join(setup.root, "reports", "codex-smoke.json")}\n`);
      },
    );
  });
});

describe("a reader that goes away (| head)", () => {
  /** Runs the CLI with its stdout closed from the start: every write to it fails with EPIPE. */
  function withStdoutClosed(args: string[], env: Record<string, string>, cwd: string) {
    return new Promise<{ exitCode: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.on("close", (exitCode) => resolve({ exitCode, stderr }));
    });
  }

  it("list: exit 0, nothing on stderr", async () => {
    const result = await withStdoutClosed(["list"], { PATH: process.env.PATH ?? "", HOME: homedir() }, dir);
    expect(result).toEqual({ exitCode: 0, stderr: "" });
  });

  it("a run with the console report: the audit finishes, writes its report and keeps its exit code", async () => {
    await withSetup(breakProfile, async (setup) => {
      const args = [
        "run",
        "--launcher",
        setup.launcher,
        "--project",
        setup.project,
        "--only",
        "config.profile",
      ];
      const result = await withStdoutClosed(args, setup.env, setup.root);
      expect(result).toEqual({ exitCode: 1, stderr: "" });
      expect(readdirSync(join(setup.root, "reports"))).toEqual(["codex-smoke.json"]);
    });
  });
});

describe("an interrupted demo", () => {
  it("Ctrl-C: exit 130 and the temp reference setup is gone", async () => {
    const home = mkdtempSync(join(dir, "home-"));
    const args = [
      "demo",
      "--only",
      "banner.sandbox",
      "--registry",
      "http://127.0.0.1:9/",
      "--format",
      "json",
    ];
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: home },
      cwd: home,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("[progress] exec started")) child.kill("SIGINT");
    });
    const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(exitCode).toBe(130);
    // Only the demo's own dir is judged here: the audit's run dir is the audit's (see its lifecycle tests).
    const left = readdirSync(join(home, ".cache", "codex-smoke")).filter((name) => name.startsWith("demo-"));
    expect(left).toEqual([]);
  });
});

describe("the report directory holds only this run's files", () => {
  it("codex-smoke's own files from an earlier run are removed; other files stay", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const out = join(setup.root, "reports");
        mkdirSync(out);
        const earlier = [
          "codex-smoke.tui-screen.txt",
          "codex-smoke.tui-stream.log",
          "codex-smoke.md",
          "codex-smoke.tap",
          "codex-smoke.junit.xml",
          "codex-smoke.runner.json",
          "codex-smoke.internal-error.log",
          "codex-smoke.json",
        ];
        for (const name of [...earlier, "codex-smoke.notes.txt", "keep.txt"])
          writeFileSync(join(out, name), "old\n");
        const result = await run(setup, ["--only", "config.profile", "--format", "json,tap"]);
        expect(result.exitCode).toBe(0);
        expect(readdirSync(out).sort()).toEqual([
          "codex-smoke.json",
          "codex-smoke.notes.txt",
          "codex-smoke.tap",
          "keep.txt",
        ]);
        expect(readFileSync(join(out, "codex-smoke.json"), "utf8")).not.toBe("old\n");
        expect(readFileSync(join(out, "keep.txt"), "utf8")).toBe("old\n");
      },
    );
  });
});

describe("an internal error is exit 4: one line, the details in a log file", () => {
  // A fault injected from outside the product (node --import): rendering the JSON report throws, with a secret
  // value in its message, or printing the catalogue throws before any report directory is known.
  const fault = join(dir, "fault.mjs");
  writeFileSync(
    fault,
    `const stringify = JSON.stringify;
JSON.stringify = function (value, ...rest) {
  if (value && typeof value === "object" && "schemaVersion" in value)
    throw new Error("injected fault near " + process.env.CODEX_SMOKE_TEST_API_TOKEN);
  return stringify.call(this, value, ...rest);
};
if (process.argv.includes("list")) console.log = () => { throw new TypeError("injected list fault"); };
if (process.argv.includes("--late")) setTimeout(() => { throw new Error("injected late fault"); }, 300);
`,
  );
  const secret = "tok-5e3c1b9a77f04d2e";

  it("during a run: the log lands in --out, redacted, with the stack; stderr has the one line only", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const result = await run(setup, ["--only", "config.profile", "--format", "json"], {
          NODE_OPTIONS: `--import=${fault}`,
          CODEX_SMOKE_TEST_API_TOKEN: secret,
        });
        expect(result.stderr).toBe(
          "codex-smoke: internal error: injected fault near ***; details in reports/codex-smoke.internal-error.log\n",
        );
        expect(result.exitCode).toBe(4);
        expect(result.stdout).toBe("");
        const log = readFileSync(join(setup.root, "reports", "codex-smoke.internal-error.log"), "utf8");
        expect(log).toMatch(/^Error: injected fault near \*\*\*\n\s+at /m);
        expect(log).toContain('argv: ["run","--launcher"');
        expect(log).not.toContain(secret);
      },
    );
  });

  it("before the options are known: the log lands in ~/.cache/codex-smoke/internal-error.log", async () => {
    const home = mkdtempSync(join(dir, "home-"));
    const result = await runCli(["list"], {
      env: { PATH: process.env.PATH ?? "", HOME: home, NODE_OPTIONS: `--import=${fault}` },
      cwd: dir,
    });
    const log = join(home, ".cache", "codex-smoke", "internal-error.log");
    expect(result.stderr).toBe(`codex-smoke: internal error: injected list fault; details in ${log}\n`);
    expect(result.exitCode).toBe(4);
    expect(readFileSync(log, "utf8")).toMatch(/^TypeError: injected list fault\n\s+at /m);
  });

  it("an exception outside the main flow is internal too", async () => {
    const home = mkdtempSync(join(dir, "home-"));
    const result = await runCli(["--version", "--late"], {
      env: { PATH: process.env.PATH ?? "", HOME: home, NODE_OPTIONS: `--import=${fault}` },
      cwd: dir,
    });
    const log = join(home, ".cache", "codex-smoke", "internal-error.log");
    expect(result.stderr).toBe(`codex-smoke: internal error: injected late fault; details in ${log}\n`);
    expect(result.exitCode).toBe(4);
    expect(existsSync(log)).toBe(true);
  });

  it("a usage error stays exit 2 and writes no log", async () => {
    const home = mkdtempSync(join(dir, "home-"));
    const result = await runCli(["run", "--timeout", "x"], {
      env: { PATH: process.env.PATH ?? "", HOME: home },
      cwd: home,
    });
    expect(result.exitCode).toBe(2);
    expect(readdirSync(home)).toEqual([]);
  });
});
