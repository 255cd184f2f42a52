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
import { readConfigLayers } from "../gather/config.js";
import { activeProfile } from "../gather/profile-rules.js";
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
  const codexHome = resolve(process.env.CODEX_HOME ?? join(home, ".codex"));
  const registry = await resolveRegistryBase(registryOption);
  const staged = await stageRunner({
    nonce: randomBytes(6).toString("hex"),
    project,
    home,
    codexHome,
    readonlyPaths: DEFAULT_EXPECTATIONS.readonlyPaths,
    outsideWriteDirs: outsideWriteDirs(project, home, []),
    outsideReadFiles: [],
    registryUrl: registry.ok
      ? registryPackageUrl(registry.value.base, DEFAULT_EXPECTATIONS.registryPackage)
      : null,
    stagingName: STAGE_DIR,
    placeCanaries: false,
    rules: ownRules(codexHome, home, project),
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

/** The README profile's own rules, for the runner to prove in the live session (the launcher is not known here). */
function ownRules(codexHome: string, home: string, project: string) {
  const config = readConfigLayers({
    codexHome,
    home,
    profileName: DEFAULT_EXPECTATIONS.profile,
    project,
    launcherOverrides: [],
  });
  const profile = activeProfile(config.effective, { home, project, tmpdir: process.env.TMPDIR });
  return { profile, effective: config.effective, probeDomains: false };
}
