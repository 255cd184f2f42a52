// `codex-smoke probe --stage` (host): puts the runner into the project for an agent in a live session to run, keeps
// the host's record of it outside the project (with the launcher's and the profile's hashes, to see at judging
// whether the session changed them), and prints the exact commands to give the agent. The staging folder ignores
// itself in git; `run --probe-report` restores from the record and removes it.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { hashFiles, launcherFiles, realPathOf } from "../audit/launcher-files.js";
import { expireStagings, saveStagingRecord } from "../audit/probe-staging.js";
import { outsideWriteDirs, stageRunner } from "../audit/stage.js";
import { UsageError } from "../core/errors.js";
import { DEFAULT_EXPECTATIONS } from "../core/expectations.js";
import { terminalSafeLine } from "../core/terminal-safe.js";
import { addDirsOf } from "../gather/codex-argv.js";
import { readConfigLayers } from "../gather/config.js";
import { type LauncherStatic, readLauncherStatic } from "../gather/launcher-static.js";
import { activeProfile } from "../gather/profile-rules.js";
import { registryPackageUrl, resolveRegistryBase } from "../gather/registry.js";

export const STAGE_DIR = ".codex-smoke";

interface StageOptions {
  registry: string | undefined;
  launcher: string;
  profile: string | undefined;
}

/** `cwd`: the project, where a relative --launcher is found. */
function stageOptions(args: string[], cwd: string): StageOptions {
  let values: { registry?: string; launcher?: string; profile?: string };
  try {
    values = parseArgs({
      args,
      options: {
        stage: { type: "boolean" },
        registry: { type: "string" },
        launcher: { type: "string" },
        profile: { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError(
      `probe --stage: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
  if (values.registry !== undefined && !/^https?:\/\/\S+$/.test(values.registry)) {
    throw new UsageError(`--registry: expected an http(s) URL, got "${values.registry}"`);
  }
  const launcher = values.launcher ?? "./codex-auto";
  if (!existsSync(resolve(cwd, launcher))) {
    throw new UsageError(
      `probe --stage: --launcher ${launcher}: no such file (the launcher the session was started with)`,
    );
  }
  return { registry: values.registry, launcher: realPathOf(resolve(cwd, launcher)), profile: values.profile };
}

/** `cwd`: the project to stage, where the session runs. */
export async function stageCommand(args: string[], cwd: string): Promise<number> {
  const options = stageOptions(args, cwd);
  expireStagings();
  const project = resolve(cwd);
  const home = process.env.HOME ?? homedir();
  const codexHome = resolve(process.env.CODEX_HOME ?? join(home, ".codex"));
  const statics = readLauncherStatic(options.launcher, readFileSync(options.launcher, "utf8"));
  const profileName = options.profile ?? statics.profile ?? DEFAULT_EXPECTATIONS.profile;
  const profileFile = join(codexHome, `${profileName}.config.toml`);
  const files = launcherFiles(options.launcher, project, statics.files);
  const registry = await resolveRegistryBase(options.registry);
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
    launcherFiles: files,
    watched: false,
    rules: ownRules(codexHome, home, project, profileName, statics),
  });
  saveStagingRecord({
    record: staged.record,
    input: staged.input,
    stagedAt: new Date().toISOString(),
    launcher: options.launcher,
    hashes: hashFiles([...files, profileFile]),
  });
  console.log(`Staged the runner in ${terminalSafeLine(staged.record.stagingDir)} (git-ignored).`);
  console.log(
    "Ask the agent in your ./codex-auto session to run exactly these two commands, one after the other:",
  );
  for (const command of staged.commands) console.log(`  ${command}`);
  console.log("Then judge the facts on the host:");
  const launcherOption =
    options.launcher === realPathOf(join(project, "codex-auto")) ? "" : ` --launcher ${options.launcher}`;
  console.log(
    `  codex-smoke run --probe-report ${STAGE_DIR}/report.local.json${terminalSafeLine(launcherOption)}`,
  );
  return 0;
}

/** The profile's own filesystem rules, for the runner to prove in the live session (its domain rules need the
 * model channel, which a live session does not give the host). */
function ownRules(
  codexHome: string,
  home: string,
  project: string,
  profileName: string,
  launcher: Pick<LauncherStatic, "overrides" | "invocations">,
) {
  const config = readConfigLayers({
    codexHome,
    home,
    profileName,
    project,
    launcherOverrides: launcher.overrides.map((override) => override.raw),
    addDirs: addDirsOf(
      project,
      launcher.invocations.map((invocation) => invocation.parsed),
    ),
  });
  const profile = activeProfile(config.effective, {
    home,
    workspaceRoots: config.workspaceRoots,
    tmpdir: process.env.TMPDIR,
  });
  return { profile, effective: config.effective, probeDomains: false };
}
