// Integration helpers: build the reference setup, break it the way a user might, and audit it with the real CLI
// (the compiled `dist/src/cli.js`, as users run it) against the real Codex.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Report, Status } from "../../src/core/model.js";
import { buildReferenceSetup, type ReferenceSetup } from "../../src/demo/reference-setup.js";
import { listenOnLoopback } from "../../src/util/loopback.js";
import { outDirOf, readReport, validateWrittenReports } from "./report-schema.js";

export const CLI = fileURLToPath(new URL("../../dist/src/cli.js", import.meta.url));

export interface AuditRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  report: Report | null;
  /** Every report file written, concatenated (for "the canary appears nowhere" assertions). */
  files: string;
  status(id: string): Status | undefined;
  observed(id: string): string;
}

/** Runs the CLI; rejects when a report it wrote breaks the shipped schema (see helpers/report-schema.ts). */
export function runCli(
  args: string[],
  opts: { env: Record<string, string>; cwd?: string; timeoutMs?: number },
) {
  const started = Date.now();
  return new Promise<{ exitCode: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: opts.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 180_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === "number" ? error.code : null) : 0;
        try {
          validateWrittenReports(outDirOf(args, opts.cwd ?? process.cwd()), started);
          resolve({ exitCode, stdout, stderr });
        } catch (invalid) {
          reject(invalid);
        }
      },
    );
  });
}

/** `codex-smoke run`'s arguments for `setup`'s launcher and project, reports into `out` (default: under its root). */
export function runArgs(
  setup: { launcher: string; project: string; root: string },
  ...extra: string[]
): string[] {
  const out = join(setup.root, "reports");
  return ["run", "--launcher", setup.launcher, "--project", setup.project, "--out", out, ...extra];
}

/** Audits `setup` through its launcher with `codex-smoke run`, reports into a fresh dir. */
export async function audit(
  setup: ReferenceSetup,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<AuditRun> {
  const out = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-out-"));
  try {
    const result = await runCli(
      [
        "run",
        "--launcher",
        setup.launcher,
        "--project",
        setup.project,
        "--out",
        out,
        "--format",
        "console,json,junit,markdown,tap",
        "--registry",
        await loopbackRegistry(),
        ...args,
      ],
      { env: { ...setup.env, ...env }, cwd: setup.project },
    );
    // No report: the caller asserts on the exit code and stderr. A report is valid (runCli checked it).
    const reportFile = join(out, "codex-smoke.json");
    const report: Report | null = existsSync(reportFile) ? readReport(reportFile) : null;
    const files = readdirSync(out, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(out, entry.name), "utf8"))
      .join("");
    const find = (id: string) => report?.results.find((r) => r.id === id);
    return {
      ...result,
      report,
      files,
      status: (id) => find(id)?.status,
      observed: (id) => `${find(id)?.observed ?? ""} ${find(id)?.evidence.join(" ") ?? ""}`,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

let registryServer: Server | null = null;
let registryUrl: string | null = null;

/** A loopback stand-in for the package registry (tests never leave the machine). */
export async function loopbackRegistry(): Promise<string> {
  if (registryUrl) return registryUrl;
  registryServer = createServer((req, res) => {
    res.writeHead(req.url === "/astro" ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify({ name: "astro" }));
  });
  registryUrl = `http://127.0.0.1:${await listenOnLoopback(registryServer)}/`;
  registryServer.unref();
  return registryUrl;
}

/** Builds the reference setup, applies `breakIt`, runs `fn`, and always disposes. */
export async function withSetup<T>(
  breakIt: (setup: ReferenceSetup) => void,
  fn: (setup: ReferenceSetup) => Promise<T>,
): Promise<T> {
  const setup = await buildReferenceSetup();
  try {
    breakIt(setup);
    return await fn(setup);
  } finally {
    await setup.dispose();
  }
}

export function editFile(path: string, edit: (text: string) => string): void {
  writeFileSync(path, edit(readFileSync(path, "utf8")));
}

/** Adds arguments to every Codex call the launcher makes (before the caller's own arguments). */
export function launcherAddsArgs(setup: ReferenceSetup, ...args: string[]): void {
  editFile(setup.launcher, (text) => {
    const marker = "overrides=(";
    if (!text.includes(marker)) throw new Error("reference launcher changed shape: no overrides=( array");
    return text.replace(marker, `${marker}\n  ${args.map((a) => `'${a}'`).join(" ")}`);
  });
}

/** Puts `line` right after the shebang of the launcher (e.g. an export). */
export function launcherPrepends(setup: ReferenceSetup, line: string): void {
  // A replacer function: `line` may hold `$1`, which a replacement string would expand.
  editFile(setup.launcher, (text) => text.replace(/^(#!.*\n)/, (shebang) => `${shebang}${line}\n`));
}

/** Live processes launched for this setup (their environment names its CODEX_HOME): none may survive an audit. */
export function processesOf(setup: ReferenceSetup): string[] {
  const needle = Buffer.from(`CODEX_HOME=${setup.codexHome}\0`);
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`).includes(needle)) {
        found.push(
          `${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").slice(0, 120)}`,
        );
      }
    } catch {
      // gone
    }
  }
  return found;
}
