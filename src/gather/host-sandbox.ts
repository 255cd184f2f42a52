// decisions §14: can this host run Codex's sandbox at all? `codex sandbox -P :workspace -- true` fails when
// bubblewrap cannot create namespaces; then every check that needs the in-sandbox runner is `error`.
import type { Fact, HostSandboxFacts } from "../core/model.js";
import { gathered, notGathered } from "../core/model.js";
import { launch } from "./launch.js";

export async function probeHostSandbox(opts: {
  codex: string | null;
  /** The release the audit's support probe read (`codex --version`), or null when it printed none. */
  codexVersion: string | null;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  redact: (text: string) => string;
}): Promise<Fact<HostSandboxFacts>> {
  if (!opts.codex) return notGathered("Codex CLI not found on PATH");
  const probe = await launch(opts.codex, ["sandbox", "-P", ":workspace", "-C", opts.cwd, "--", "true"], {
    cwd: opts.cwd,
    env: opts.env,
    timeoutMs: opts.timeoutMs,
  });
  if (probe.spawnError) return notGathered(`cannot run ${opts.codex}: ${probe.spawnError}`);
  if (probe.timedOut) return notGathered(`\`codex sandbox\` timed out after ${opts.timeoutMs / 1000}s`);
  const output = opts.redact(`${probe.stderr}${probe.stdout}`.trim()).split("\n").slice(0, 8).join("\n");
  return gathered({
    usable: probe.exitCode === 0,
    codexPath: opts.codex,
    codexVersion: opts.codexVersion ?? "unknown",
    exitCode: probe.exitCode,
    output,
  });
}
