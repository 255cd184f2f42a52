// `codex-smoke probe --stage` (host): puts the runner into the project for an agent in a live session to run,
// with the facts only the host knows (registry URL), and prints the exact command to give the agent.
// The staging dir ignores itself, so the project's own files stay untouched; `run --probe-report` removes it.
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";
import { DEFAULT_EXPECTATIONS } from "./expectations.js";
import { registryPackageUrl, resolveRegistryBase } from "./gather/registry.js";
import type { RunnerInput } from "./runner/report-types.js";

export const STAGE_DIR = ".codex-smoke";

export async function stageCommand(args: string[]): Promise<number> {
  let parsed: { values: { registry?: string } };
  try {
    parsed = parseArgs({
      args,
      options: { stage: { type: "boolean" }, registry: { type: "string" } },
      strict: true,
    });
  } catch (error) {
    throw new UsageError(
      `probe --stage: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
  const registryOption = parsed.values.registry;
  if (registryOption !== undefined && !/^https?:\/\/\S+$/.test(registryOption)) {
    throw new UsageError(`--registry: expected an http(s) URL, got "${registryOption}"`);
  }
  const project = resolve(".");
  const dir = join(project, STAGE_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ".gitignore"), "*\n");
  copyFileSync(fileURLToPath(new URL("./runner/runner.js", import.meta.url)), join(dir, "runner.mjs"));
  const registry = await resolveRegistryBase(registryOption);
  const home = process.env.HOME ?? homedir();
  const input: RunnerInput = {
    nonce: randomBytes(6).toString("hex"),
    reportPath: join(dir, "report.json"),
    project,
    home,
    authJsonPath: join(process.env.CODEX_HOME ?? join(home, ".codex"), "auth.json"),
    readonlyPaths: DEFAULT_EXPECTATIONS.readonlyPaths,
    outsideWriteDirs: [resolve(project, ".."), home, "/tmp", "/var/tmp"],
    outsideReadFiles: [],
    registryUrl: registry.ok
      ? registryPackageUrl(registry.value.base, DEFAULT_EXPECTATIONS.registryPackage)
      : null,
    untrustedTlsUrl: null,
    networkTimeoutMs: 5000,
  };
  writeFileSync(join(dir, "input.json"), `${JSON.stringify(input, null, 2)}\n`);
  console.log(`Staged the runner in ${dir} (git-ignored).`);
  console.log("Ask the agent in your ./codex-auto session to run exactly:");
  console.log(`  node ${STAGE_DIR}/runner.mjs ${STAGE_DIR}/input.json`);
  console.log("Then complete the report on the host:");
  console.log(`  codex-smoke run --probe-report ${STAGE_DIR}/report.json`);
  return 0;
}
