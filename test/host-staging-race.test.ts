// Issue 19: an agent watching the project swaps the staging folder for a symlink to a host folder while the host
// stages the runner (`probe --stage`) and while it judges (`run --probe-report`: reading the reports, restoring,
// unstaging). The host must never write or remove anything through the swapped folder: the host folder stays
// byte-identical on every try.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { restoreHost } from "../src/audit/restore.js";
import { readStagedReport, stageRunner, unstage } from "../src/audit/stage.js";
import type { ReferenceSetup } from "../src/demo/reference-setup.js";
import { healthyFacts } from "./fixtures/facts/healthy.js";
import { loopbackRegistry, runCli, withSetup } from "./helpers/audit.js";
import { treeState } from "./helpers/tree.js";

const TRIES = 50;
const STAGING = ".codex-smoke";

/**
 * The agent: it watches the project (inotify, as an agent's file watcher would) and whenever the staging folder is
 * a real folder it moves it aside and puts a symlink to the host folder in its place for ~2 ms, then puts the real
 * one back, again and again; until the stop file appears. Prints how often it swapped.
 */
const RACER = `
const { existsSync, lstatSync, renameSync, symlinkSync, unlinkSync, watch } = require("node:fs");
const { dirname } = require("node:path");
const [dir, hostDir, stopFile] = process.argv.slice(2);
const aside = dir + ".agent";
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
let swaps = 0;
function race() {
  for (;;) {
    if (existsSync(stopFile)) {
      process.stdout.write(swaps + "\\n");
      process.exit(0);
    }
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
setInterval(race, 20);
process.stdout.write("ready\\n");
`;

interface Racer {
  stop(): Promise<number>;
}

async function startRacer(setup: ReferenceSetup, hostDir: string): Promise<Racer> {
  const script = join(setup.root, "racer.cjs");
  if (!existsSync(script)) writeFileSync(script, RACER);
  const stopFile = join(setup.root, "racer.stop");
  rmSync(stopFile, { force: true });
  const child = spawn(process.execPath, [script, join(setup.project, STAGING), hostDir, stopFile], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((resolve) => {
    child.stdout.on("data", () => output.startsWith("ready\n") && resolve());
  });
  return {
    async stop() {
      writeFileSync(stopFile, "");
      await new Promise((resolve) => child.on("close", resolve));
      return Number(output.split("\n")[1]);
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

/** Whatever the try left in the project: the staging folder, the agent's copy, the symlink (removed itself). */
function cleanStaging(setup: ReferenceSetup): void {
  for (const name of readdirSync(setup.project).filter((n) => n.startsWith(STAGING)))
    rmSync(join(setup.project, name), { recursive: true, force: true });
}

describe("staging and unstaging against an agent swapping the folder", () => {
  it(`probe --stage: the host folder stays byte-identical over ${TRIES} tries`, async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const hostDir = hostFolder(setup);
        const before = treeState(hostDir);
        const registry = await loopbackRegistry();
        const outcomes = { staged: 0, refused: 0, swaps: 0 };
        for (let i = 0; i < TRIES; i++) {
          const racer = await startRacer(setup, hostDir);
          const result = await runCli(["probe", "--stage", "--registry", registry], {
            env: setup.env,
            cwd: setup.project,
          });
          outcomes.swaps += await racer.stop();
          expect(treeState(hostDir), `try ${i}`).toEqual(before);
          if (result.exitCode === 0) outcomes.staged++;
          else {
            expect(result.stderr).toBe(
              `codex-smoke: ${join(setup.project, STAGING)}: cannot stage the runner (moved or replaced while it was made); nothing was written through it\n`,
            );
            outcomes.refused++;
          }
          cleanStaging(setup);
        }
        // The agent really swapped the folder during the tries (else the test proved nothing).
        console.info(`probe --stage against the racing agent: ${JSON.stringify(outcomes)}`);
        expect(outcomes.swaps, JSON.stringify(outcomes)).toBeGreaterThan(TRIES / 2);
      },
    );
  });

  it(`judging (reading the reports, restoring, unstaging): the host folder stays byte-identical over ${TRIES} tries`, async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const hostDir = hostFolder(setup);
        const before = treeState(hostDir);
        let swaps = 0;
        for (let i = 0; i < TRIES; i++) {
          const staged = await stageRunner({
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
          });
          // What the agent's runner wrote.
          const report = { ...healthyFacts().runner, nonce: staged.record.nonce };
          for (const part of ["local", "net"] as const)
            writeFileSync(staged.input.reports[part], JSON.stringify({ ...report, part }));
          const racer = await startRacer(setup, hostDir);
          for (const part of ["local", "net"] as const) {
            try {
              readStagedReport(staged.record, part);
            } catch {
              // the folder was swapped at that moment: not read through
            }
          }
          await restoreHost(staged.record);
          unstage(staged.record);
          swaps += await racer.stop();
          expect(treeState(hostDir), `try ${i}`).toEqual(before);
          cleanStaging(setup);
        }
        console.info(`judging against the racing agent: ${swaps} swaps`);
        expect(swaps).toBeGreaterThan(TRIES / 2);
      },
    );
  });
});
