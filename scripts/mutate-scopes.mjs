// What `npm run mutate` mutates and which tests must kill the mutants, per scope: the default scope (checks/ and
// the parsers in src/gather/) and one scope per guard folder (issue 20), each small enough to run in minutes.
// stryker.config.mjs and vitest.mutate.config.ts both read the scope chosen by scripts/mutate.mjs from
// CODEX_SMOKE_MUTATE. Every test here is fast: real files, processes, git and loopback servers, never a Codex launch.

/**
 * `skip`: tests in those files that launch Codex or need the build (by name, a describe's or a test's): the scope
 * runs the rest. `last`: test files (paths) that run after every other one. Stryker stops a mutant's run at its
 * first failing test, and vitest on its own runs the slowest file first: a slow test listed here runs only for the
 * mutants that no cheaper test kills. @typedef {{ mutate: string[], tests: string[], skip?: string[], last?: string[] }} Scope
 */

/** @type {Record<string, Scope>} */
export const SCOPES = {
  default: {
    mutate: [
      "checks/**/*.ts",
      "src/gather/codex-argv.ts",
      "src/gather/config.ts",
      "src/gather/exec-header.ts",
      "src/gather/launcher-static.ts",
      // parseMcpGet only: runMcpGet launches Codex (test/mcp-get.test.ts drives it for real).
      "src/gather/mcp-get.ts:1-18",
      // What the MCP runtime session puts where and waits for; the rest of the file drives Codex.
      "src/gather/mcp-runtime.ts:94-159",
      "src/gather/mcp-runtime.ts:215-221",
      "src/gather/proxy-kill.ts",
      "src/gather/tui-screens.ts",
    ],
    tests: [
      "test/checks/**/*.test.ts",
      "test/engine.test.ts",
      "test/config.test.ts",
      "test/codex-argv.test.ts",
      "test/exec-header.test.ts",
      "test/launcher-static.test.ts",
      "test/launcher-static-expansions.test.ts",
      "test/mcp-get-parse.test.ts",
      "test/mcp-runtime.test.ts",
      "test/net-checks.test.ts",
      "test/net-classify.test.ts",
      "test/proxy-kill.test.ts",
      // The checks' `owns`: which check a broken fact's dependents point at.
      "test/root-cause.test.ts",
      "test/tui-screens.test.ts",
      "test/tui-screens-written.test.ts",
    ],
  },
  "src/audit": {
    // Not index.ts and launches.ts: they only sequence the phases and launch Codex, so every mutant there needs a
    // real Codex run (half a minute) to be killed; the real-Codex tests (test/audit-*.test.ts, host-safety) do that.
    mutate: ["src/audit/**/*.ts", "!src/audit/index.ts", "!src/audit/launches.ts"],
    tests: [
      "test/guards/restore.test.ts",
      "test/guards/untrusted.test.ts",
      "test/guards/credentials.test.ts",
      "test/guards/history.test.ts",
      "test/guards/history-edges.test.ts",
      "test/guards/rule-restore.test.ts",
      "test/guards/rule-facts.test.ts",
      "test/guards/rule-staging.test.ts",
      "test/guards/host-files.test.ts",
      "test/guards/audit-*.test.ts",
      "test/restore.test.ts",
      // The rule probes' plans and restore (rule-plan, domain-plan, credential-files, rule-restore), the mount
      // points that race, the network part's input (stage.ts), and the config layers (settings.ts, read by the
      // config checks, config.layers among the rules' checks): real files and pure facts, no Codex.
      "test/profile-rules.test.ts",
      "test/mount-race.test.ts",
      "test/stage-net-input.test.ts",
      "test/checks/config.test.ts",
      "test/checks/rules.test.ts",
      "test/history.test.ts",
      "test/host-git.test.ts",
      "test/placeholders.test.ts",
      "test/untrusted-limits.test.ts",
      "test/trust-units.test.ts",
    ],
    skip: [
      "restore on a broken setup whose .git the agent can write",
      // git's own behaviour, not the host's (a clean filter on a racily clean file): flaky in the namespace.
      "control: plain git in the same repository runs them",
      "a depth bomb in a live session's report (real CLI)",
      "JSON input files the user names get the same caps",
    ],
  },
  "src/runner": {
    mutate: ["src/runner/**/*.ts"],
    tests: [
      "test/guards/runner-*.test.ts",
      "test/guards/redact.test.ts",
      "test/runner.test.ts",
      "test/net-probes.test.ts",
      // The runner's rule and domain probes on a real tree (rules.ts).
      "test/profile-rules.test.ts",
      "test/redact.test.ts",
      "test/trust-units.test.ts",
    ],
    skip: ["the bundled runner file", "the runner inside the real Codex sandbox", "inside Codex's sandbox"],
  },
  "src/core": {
    // The command runner every launch and host git goes through kills and keeps output like processes.ts.
    mutate: ["src/core/redact.ts", "src/core/processes.ts", "src/util/command.ts"],
    tests: [
      "test/guards/processes*.test.ts",
      "test/guards/redact.test.ts",
      "test/redact.test.ts",
      "test/processes.test.ts",
      "test/command.test.ts",
    ],
    // Its forkers fork until the kill comes, and a broken kill leaves orphans it waits 15 s for.
    last: ["test/guards/processes-fork-tree.test.ts"],
  },
  "src/commands": {
    mutate: ["src/commands/probe.ts", "src/commands/probe-stage.ts"],
    tests: ["test/guards/probe-*.test.ts"],
  },
  "src/codex": {
    mutate: ["src/codex/**/*.ts"],
    tests: [
      "test/codex-home-copy.test.ts",
      "test/codex-locate.test.ts",
      "test/codex-releases.test.ts",
      "test/codex-support.test.ts",
      "test/release-cache.test.ts",
      "test/support-cache.test.ts",
      "test/support-probe.test.ts",
    ],
    skip: ["does not remember a probe that timed out", "probes the real Codex once"],
  },
};

/** The scope named by CODEX_SMOKE_MUTATE (a folder above), or the default one. */
export function mutationScope() {
  const name = process.env.CODEX_SMOKE_MUTATE || "default";
  const scope = SCOPES[name];
  if (!scope) throw new Error(`no mutation scope ${name}: one of ${Object.keys(SCOPES).join(", ")}`);
  return { name, ...scope };
}
