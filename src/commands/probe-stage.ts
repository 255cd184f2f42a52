// `codex-smoke probe --stage` (host): puts the runner into the project for an agent in a live session to run, keeps
// the host's record of it outside the project, and prints the exact commands to give the agent. The staging folder
// ignores itself in git; `run --probe-report` restores from the record and removes it.
import { randomBytes } from "node:crypto";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { saveStagingRecord } from "../audit/probe-staging.js";
import { outsideWriteDirs, stageRunner } from "../audit/stage.js";
import { UsageError } from "../core/errors.js";
import { DEFAULT_EXPECTATIONS } from "../core/expectations.js";
import { terminalSafeLine } from "../core/terminal-safe.js";
import { registryPackageUrl, resolveRegistryBase } from "../gather/registry.js";

export const STAGE_DIR = ".codex-smoke";

export async function stageCommand(args: string[]): Promise<number> {
  let registryOption: string | undefined;
  try {
    registryOption = parseArgs({
      args,
      options: { stage: { type: "boolean" }, registry: { type: "string" } },
      strict: true,
    }).values.registry;
  } catch (error) {
    throw new UsageError(
      `probe --stage: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
  if (registryOption !== undefined && !/^https?:\/\/\S+$/.test(registryOption)) {
    throw new UsageError(`--registry: expected an http(s) URL, got "${registryOption}"`);
  }
  const project = resolve(".");
  const home = process.env.HOME ?? homedir();
  const registry = await resolveRegistryBase(registryOption);
  const staged = await stageRunner({
    nonce: randomBytes(6).toString("hex"),
    project,
    home,
    codexHome: resolve(process.env.CODEX_HOME ?? join(home, ".codex")),
    readonlyPaths: DEFAULT_EXPECTATIONS.readonlyPaths,
    outsideWriteDirs: outsideWriteDirs(project, home, []),
    outsideReadFiles: [],
    registryUrl: registry.ok
      ? registryPackageUrl(registry.value.base, DEFAULT_EXPECTATIONS.registryPackage)
      : null,
    stagingName: STAGE_DIR,
    placeCanaries: false,
  });
  saveStagingRecord({ record: staged.record, input: staged.input });
  console.log(`Staged the runner in ${terminalSafeLine(staged.record.stagingDir)} (git-ignored).`);
  console.log(
    "Ask the agent in your ./codex-auto session to run exactly these two commands, one after the other:",
  );
  for (const command of staged.commands) console.log(`  ${command}`);
  console.log("Then judge the facts on the host:");
  console.log(`  codex-smoke run --probe-report ${STAGE_DIR}/report.local.json`);
  return 0;
}
