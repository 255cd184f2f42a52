// `codex-smoke probe` run BY THE AGENT inside a live session: the runner's probes, then the same checks the host
// uses, over the same facts (one engine). Checks that need the host (what persisted on it, the config files, the
// launches) are listed as such. Outside a Codex sandbox it writes nothing unless asked (--force): its probes would
// land on the real machine.

import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checks } from "../../checks/index.js";
import { runCheck } from "../core/engine.js";
import { UsageError } from "../core/errors.js";
import { DEFAULT_EXPECTATIONS } from "../core/expectations.js";
import type { CheckResult, FactName, Facts } from "../core/model.js";
import { gathered, notGathered } from "../core/model.js";
import { Redactor } from "../core/redact.js";
import { terminalSafeLine } from "../core/terminal-safe.js";
import { attest, sandboxVerdict } from "../runner/attest.js";
import { runPart } from "../runner/main.js";
import type { LocalReport, NetReport, RunnerInput } from "../runner/types.js";
import { generateCertificate } from "../tls/self-signed.js";
import { STAGE_DIR } from "./probe-stage.js";

const INSIDE_FACTS: ReadonlySet<FactName> = new Set(["runner", "network"]);

/** The staged input when the host staged this project (`probe --stage`), else one made from the environment. */
export function probeInput(cwd: string, out: string | undefined): RunnerInput {
  const staged = join(cwd, STAGE_DIR, "input.json");
  if (existsSync(staged)) return JSON.parse(readFileSync(staged, "utf8")) as RunnerInput;
  const home = process.env.HOME ?? homedir();
  const codexHome = process.env.CODEX_HOME ?? join(home, ".codex");
  const local = resolve(cwd, out ?? ".codex-smoke-report.json");
  const registry = process.env.npm_config_registry;
  const { certPem, keyPem } = generateCertificate({
    commonName: "codex-smoke-untrusted",
    ipAddresses: ["127.0.0.1"],
  });
  const authPaths = [...new Set([join(codexHome, "auth.json"), join(home, ".codex", "auth.json")])];
  return {
    schema: 2,
    nonce: randomBytes(6).toString("hex"),
    project: cwd,
    home,
    reports: {
      local,
      net: local.replace(/(\.json)?$/, ".net.json"),
      domains: local.replace(/(\.json)?$/, ".domains.json"),
    },
    hostNamespaces: null,
    // Not staged by the host: inside, a project without git still shows Codex's placeholder `.git`, which git
    // itself does not take for a repository.
    isRepo: existsSync(join(cwd, ".git", "HEAD")),
    authJson: authPaths.map((path) => ({ label: path, path })),
    readonlyPaths: DEFAULT_EXPECTATIONS.readonlyPaths,
    outsideWriteDirs: [...new Set([dirname(cwd), home, "/tmp", "/var/tmp"])],
    outsideReadFiles: [],
    registryUrl: registry ? `${registry.replace(/\/?$/, "/")}${DEFAULT_EXPECTATIONS.registryPackage}` : null,
    tlsControl: { certPem, keyPem },
    networkTimeoutMs: 5_000,
    // The README's launcher, when the session runs in its project.
    launcherFiles: existsSync(join(cwd, "codex-auto")) ? [join(cwd, "codex-auto")] : [],
  };
}

/** The verdicts `probe` can give from inside: checks whose needed facts exist inside the sandbox. */
export function insideVerdicts(
  local: LocalReport,
  net: NetReport,
): { results: CheckResult[]; hostSide: string[] } {
  const hostOnly = notGathered("needs the host");
  const facts: Facts = {
    launcher: hostOnly,
    registry: hostOnly,
    config: hostOnly,
    hostSandbox: hostOnly,
    exec: hostOnly,
    runner: gathered(local),
    network: gathered({ report: net, killedBy: null }),
    credentials: hostOnly,
    credentialFiles: hostOnly,
    profileRules: hostOnly,
    domainRules: hostOnly,
    sideEffects: hostOnly,
    tui: hostOnly,
    mcpGet: hostOnly,
    staging: hostOnly,
    mcpRuntime: hostOnly,
  };
  const results: CheckResult[] = [];
  const hostSide: string[] = [];
  for (const check of checks) {
    if (check.needs.every((name) => INSIDE_FACTS.has(name)))
      results.push(runCheck(check, facts, { expect: DEFAULT_EXPECTATIONS }));
    else hostSide.push(check.id);
  }
  return { results, hostSide };
}

/** `cwd`: the session's project, where a staged input is looked for and the report goes by default. */
export async function probeCommand(args: string[], cwd: string): Promise<number> {
  let values: { out?: string; force?: boolean };
  try {
    values = parseArgs({
      args,
      options: { out: { type: "string" }, force: { type: "boolean" } },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError(`probe: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  const input = probeInput(cwd, values.out);
  const where = sandboxVerdict(attest(input.hostNamespaces));
  if (!where.inside && !values.force) {
    throw new UsageError(
      `probe: not inside a Codex sandbox (${where.why}); nothing was written (run it inside the session, or pass --force)`,
    );
  }
  const local = (await runPart(input, "local")).report as LocalReport;
  const net = (await runPart(input, "net")).report as NetReport;
  const { results, hostSide } = insideVerdicts(local, net);
  const width = Math.max(...results.map((r) => r.id.length));
  // What the probes saw is input (decisions §28) and may quote a registry URL with a token (§12).
  const shown = (text: string) => terminalSafeLine(new Redactor().redact(text));
  for (const r of results)
    console.log(`${r.status.toUpperCase().padEnd(5)} ${r.id.padEnd(width)}  ${shown(r.observed)}`);
  console.log(`host  ${hostSide.join(", ")}`);
  console.log(`report: ${input.reports.local}`);
  console.log(`Judge everything on the host: codex-smoke run --probe-report ${input.reports.local}`);
  if (!where.inside)
    console.log("NOT SANDBOXED: these results describe this machine, not a sandbox (--force)");
  return probeExitCode(results);
}

/** 1 when a check failed, else 3 when one could not be tested, else 0 (the contract's exit codes). */
export function probeExitCode(results: ReadonlyArray<Pick<CheckResult, "status">>): number {
  return results.some((r) => r.status === "fail") ? 1 : results.some((r) => r.status === "error") ? 3 : 0;
}
