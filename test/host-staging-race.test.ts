// Issue 19: an agent watching the project swaps the staging folder for a symlink to a host folder while the host
// stages the runner (`probe --stage`) and while it judges (`run --probe-report`: reading the reports, restoring,
// unstaging). The host must never write or remove anything through the swapped folder: the host folder stays
// byte-identical on every try.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { restoreHost } from "../src/audit/restore.js";
import { readStagedReport, type StageRequest, stageRunner, unstage } from "../src/audit/stage.js";
import { UsageError } from "../src/core/errors.js";
import type { ReferenceSetup } from "../src/demo/reference-setup.js";
import { healthyFacts } from "./fixtures/facts/healthy.js";
import { loopbackRegistry, runCli, withSetup } from "./helpers/audit.js";
import { treeState } from "./helpers/tree.js";

const TRIES = 50;
const STAGING = ".codex-smoke";

/**
 * The agent: it watches the project (inotify, as an agent's file watcher would) and whenever the staging folder is
 * a real folder it moves it aside and puts a symlink to the host folder in its place for ~2 ms, then puts the real
 * one back, again and again. One process for all tries: the test pauses it between tries (it acknowledges with a
 * `paused` line once the real folder is back) and stops it at the end (it prints how often it swapped).
 */
const RACER = `
const { existsSync, lstatSync, renameSync, symlinkSync, unlinkSync, watch } = require("node:fs");
const { dirname } = require("node:path");
const [dir, hostDir, pauseFile, stopFile] = process.argv.slice(2);
const aside = dir + ".agent";
const parent = process.ppid;
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
let swaps = 0;
let paused = false;
function race() {
  for (;;) {
    // Stopped, the test's folder gone, or the test's process gone (a timed-out test's worker is ended before it
    // removes its folder: one left so kept swapping for two hours): never outlive the test.
    if (existsSync(stopFile) || !existsSync(dirname(stopFile)) || process.ppid !== parent) {
      process.stdout.write("swaps " + swaps + "\\n");
      process.exit(0);
    }
    if (existsSync(pauseFile)) {
      if (!paused) process.stdout.write("paused\\n");
      paused = true;
      return;
    }
    paused = false;
    let entry;
    try { entry = lstatSync(dir); } catch { return; }
    if (!entry.isDirectory()) return;
    try { renameSync(dir, aside); symlinkSync(hostDir, dir); swaps++; } catch { return; }
    pause(2);
    try { unlinkSync(dir); renameSync(aside, dir); } catch {}
    pause(1);
  }
}
watch(dirname(dir), race);
setInterval(race, 5);
`;

interface Racer {
  /** Lets it swap until `pause` is called. */
  resume(): void;
  /** Stops its swapping; resolves once the real folder is back. */
  pause(): Promise<void>;
  /** Ends it; resolves with how often it swapped. */
  stop(): Promise<number>;
  /** Ends it at once if it still runs (a failed assertion ended the test early); resolves once it is gone. */
  kill(): Promise<void>;
}

async function startRacer(setup: ReferenceSetup, hostDir: string): Promise<Racer> {
  const script = join(setup.root, "racer.cjs");
  writeFileSync(script, RACER);
  const [pauseFile, stopFile] = [join(setup.root, "racer.pause"), join(setup.root, "racer.stop")];
  writeFileSync(pauseFile, "");
  const child = spawn(
    process.execPath,
    [script, join(setup.project, STAGING), hostDir, pauseFile, stopFile],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  const waiters: Array<() => void> = [];
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters.splice(0)) waiter();
  });
  const pausedCount = () => output.split("paused\n").length - 1;
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  await until(() => pausedCount() === 1);
  return {
    resume: () => rmSync(pauseFile),
    async pause() {
      const before = pausedCount();
      writeFileSync(pauseFile, "");
      await until(() => pausedCount() > before);
    },
    async stop() {
      writeFileSync(stopFile, "");
      await until(() => /swaps \d+\n/.test(output));
      return Number(/swaps (\d+)/.exec(output)?.[1]);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once("close", resolve));
      child.kill("SIGKILL");
      await gone;
    },
  };
}

/** A host folder holding files with every name the host writes or removes in the staging folder. */
function hostFolder(setup: ReferenceSetup): string {
  const dir = join(setup.home, "host-dir");
  mkdirSync(dir);
  for (const name of [
    ".gitignore",
    "input.json",
    "runner.mjs",
    "report.local.json",
    "report.net.json",
    "report.local.json.tmp",
    "report.net.json.tmp",
  ])
    writeFileSync(join(dir, name), `host file ${name}\n`);
  return dir;
}

/** What `probe --stage` asks of stageRunner, with a fresh nonce per try. */
function stageRequest(setup: ReferenceSetup, i: number): StageRequest {
  return {
    nonce: `0000000000${String(i).padStart(2, "0")}`,
    project: setup.project,
    home: setup.home,
    codexHome: setup.codexHome,
    readonlyPaths: [".codex", "www.azinstitute4autism.com"],
    outsideWriteDirs: [],
    outsideReadFiles: [],
    registryUrl: null,
    stagingName: STAGING,
    placeCanaries: false,
    launcherFiles: [],
    watched: false,
  };
}

/** Whatever the try left in the project: the staging folder, the agent's copy, the symlink (removed itself). */
function cleanStaging(setup: ReferenceSetup): void {
  for (const name of readdirSync(setup.project).filter((n) => n.startsWith(STAGING)))
    rmSync(join(setup.project, name), { recursive: true, force: true });
}

/** Runs `tries` with the racer started, and always ends the racer before the setup goes (a racer left running
 * would swap folders while they are removed). Returns how often it swapped. */
async function racing(setup: ReferenceSetup, hostDir: string, tries: (racer: Racer) => Promise<void>) {
  const racer = await startRacer(setup, hostDir);
  try {
    await tries(racer);
    return await racer.stop();
  } finally {
    await racer.kill();
  }
}

describe("staging and unstaging against an agent swapping the folder", () => {
  it(`probe --stage's staging: the host folder stays byte-identical over ${TRIES} tries`, async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const hostDir = hostFolder(setup);
        const before = treeState(hostDir);
        const outcomes = { staged: 0, refused: 0, swaps: 0 };
        outcomes.swaps = await racing(setup, hostDir, async (racer) => {
          for (let i = 0; i < TRIES; i++) {
            racer.resume();
            // What `probe --stage` runs (its CLI wiring is tested below).
            try {
              await stageRunner(stageRequest(setup, i));
              outcomes.staged++;
            } catch (error) {
              expect(error).toBeInstanceOf(UsageError);
              expect((error as Error).message).toBe(
                `${join(setup.project, STAGING)}: cannot stage the runner (moved or replaced while it was made); nothing was written through it`,
              );
              outcomes.refused++;
            }
            await racer.pause();
            expect(treeState(hostDir), `try ${i}`).toEqual(before);
            cleanStaging(setup);
          }
        });
        // The agent really swapped the folder during the tries (else the test proved nothing).
        console.info(`probe --stage against the racing agent: ${JSON.stringify(outcomes)}`);
        expect(outcomes.swaps, JSON.stringify(outcomes)).toBeGreaterThan(TRIES / 2);
      },
    );
  });

  it("probe --stage with the staging folder already a symlink: one line (exit 2), nothing written through it", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const hostDir = hostFolder(setup);
        const before = treeState(hostDir);
        symlinkSync(hostDir, join(setup.project, STAGING));
        const result = await runCli(["probe", "--stage", "--registry", await loopbackRegistry()], {
          env: setup.env,
          cwd: setup.project,
        });
        expect(result.exitCode).toBe(2);
        expect(result.stderr).toBe(
          `codex-smoke: ${join(setup.project, STAGING)}: cannot stage the runner (it, or a file in it, exists already)\n`,
        );
        expect(treeState(hostDir)).toEqual(before);
      },
    );
  });

  it(`judging (reading the reports, restoring, unstaging): the host folder stays byte-identical over ${TRIES} tries`, async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const hostDir = hostFolder(setup);
        const before = treeState(hostDir);
        const swaps = await racing(setup, hostDir, async (racer) => {
          for (let i = 0; i < TRIES; i++) {
            const staged = await stageRunner(stageRequest(setup, i));
            // What the agent's runner wrote.
            const report = { ...healthyFacts().runner, nonce: staged.record.nonce };
            for (const part of ["local", "net"] as const)
              writeFileSync(staged.input.reports[part], JSON.stringify({ ...report, part }));
            racer.resume();
            for (const part of ["local", "net"] as const) {
              try {
                readStagedReport(staged.record, part);
              } catch {
                // the folder was swapped at that moment: not read through
              }
            }
            await restoreHost(staged.record);
            unstage(staged.record);
            await racer.pause();
            expect(treeState(hostDir), `try ${i}`).toEqual(before);
            cleanStaging(setup);
          }
        });
        console.info(`judging against the racing agent: ${swaps} swaps`);
        expect(swaps).toBeGreaterThan(TRIES / 2);
      },
    );
  });
});
