// Help for each command. `<command> --help` prints its own text and does nothing else: no probe, no file written.
// Only node builtins here besides what the caller passes in: `probe --help` runs inside the sandbox.

export type HelpTopic =
  | "main"
  | "run"
  | "demo"
  | "matrix"
  | "list"
  | "diff"
  | "probe"
  | "stage"
  | "docs"
  | "cache";

const EXIT_CODES = `Exit codes:
  0    every check passed (warnings allowed unless --fail-on warn)
  1    a check failed, or a regression against --baseline
  2    usage or setup error: one line naming the flag, file or key at fault (a bad option starts nothing)
  3    inconclusive: nothing failed, but some checks could not be tested
  4    internal error of codex-smoke: one line; details (the stack trace) in codex-smoke.internal-error.log
       inside --out when the options were read, else in ~/.cache/codex-smoke/internal-error.log
  130  interrupted (Ctrl-C) · 143 terminated`;

const OUTPUT = `Output: the console report goes to stdout; the progress of the Codex launches to stderr (a live line
per launch on a terminal; plain [progress] lines in CI, with NO_COLOR or when piped). Without the console format,
and with --quiet, stderr gets one outcome line at the end, e.g.
  codex-smoke: 2 failed (fs.auth_json, net.registry), 1 could not be tested; report: reports/codex-smoke.json
--quiet prints that line only (on stderr; stdout stays empty). --out holds only the latest run's files.`;

const RUN_OPTIONS = `Options:
  --launcher <file>      the launcher to audit [./codex-auto]
  --project <dir>        the project the launcher runs in [cwd]
  --codex-home <dir>     Codex home [$CODEX_HOME, else ~/.codex]
  --profile <name>       config profile the launcher selects [read from the launcher, else azi4a2-autonomous]
  --expect <file>        expectations (JSON) over the built-in defaults (the README's claims)
  --agent mock|live      who runs the in-sandbox runner [mock]
  --only <ids>           comma list of check ids, prefixes (fs.) or areas (fs, runner) to run
  --skip <ids>           the same, to skip
  --format <list>        console, json, junit, markdown, tap [console; json is always written]
  --out <dir>            where report files go [./reports]
  --probe-report <file>  complete a report that \`probe\` wrote inside a live session
  --baseline <file>      compare with an earlier JSON report; a regression fails the run
  --fail-on fail|warn    lowest status that makes the exit code non-zero [fail]
  --registry <url>       registry the network checks retrieve from [npm config get registry]
  --timeout <seconds>    per Codex launch, at most 86400 [60]
  --concurrency <n>      parallel Codex launches, 1 to 64 [number of cores]
  --codex <path>         the Codex to audit [the codex your PATH finds, never codex-smoke's own]
  --quiet                print only the one-line outcome (stderr)
  -h, --help             this help`;

/** demo builds its own setup: it rejects the options that name one (src/commands/options.ts). */
export const SETUP_OPTIONS = ["launcher", "project", "codex-home", "profile", "probe-report"] as const;
const DEMO_OPTIONS = RUN_OPTIONS.split("\n")
  .filter((line) => !SETUP_OPTIONS.some((flag) => line.startsWith(`  --${flag} `)))
  .join("\n");

const USAGE = `Usage:
  codex-smoke run [options]         audit a Codex setup (the default command)
  codex-smoke demo [options]        build the bundled reference setup in a temp dir and audit it
  codex-smoke matrix --codex <list> [options | --demo]
                                    the same audit with each Codex release: one check × release table
  codex-smoke list                  the check catalogue: id, claim, what it needs
  codex-smoke diff <old> <new>      compare two JSON reports: regressions, fixes, changed evidence
  codex-smoke probe [--out <file>]  the in-sandbox runner: run it inside a live Codex session (by the agent)
  codex-smoke probe --stage         (host) put the runner into the project and print the command for the agent
  codex-smoke cache [clean]         where matrix keeps the Codex releases it installed, and their size; clean
                                    removes them
  codex-smoke <command> --help      help for one command`;

const TEXTS: Record<Exclude<HelpTopic, "main">, string> = {
  run: `Usage: codex-smoke run [options]

Audits a Codex setup through its launcher: Codex launches (exec, the interactive session, mcp get, sandbox),
the in-sandbox runner, and the host-side checks. Options are all checked before anything starts.

${RUN_OPTIONS}

${OUTPUT}

${EXIT_CODES}`,
  demo: `Usage: codex-smoke demo [options]

Builds the bundled reference setup in a temp dir under ~/.cache/codex-smoke, audits it, and removes it.
Takes the options of run but those that name a setup (${SETUP_OPTIONS.map((flag) => `--${flag}`).join(", ")}).

${DEMO_OPTIONS}

${OUTPUT}

${EXIT_CODES}`,
  matrix: `Usage: codex-smoke matrix --codex <list> [run options | --demo]

Runs the same audit with each Codex release in <list> (comma list, or repeated): release numbers (0.150.0),
latest, or paths to codex binaries; entries that name the same release are audited once. Your own release (the
version of the codex your PATH finds) runs from your binary on your Codex home as they are; other release numbers
are installed once into ~/.cache/codex-smoke/codex/<version> with npm (200–450 MB each; \`codex-smoke cache\`
shows the total, \`codex-smoke cache clean\` removes them). A release other than yours runs on a temporary copy
of your Codex home whose grant for the Codex package points at that release and whose rules naming your Codex
home by path name the copy too (the report says so). Prints one check × release table with the differences
marked, the release cache's place and size, and writes each release's JSON report into --out.

  --codex <list>   the releases
  --demo           audit the bundled reference setup instead of your launcher
  --out <dir>      where the reports go [./reports]
  and run's --launcher, --project, --codex-home, --profile, --expect, --agent, --only, --skip, --fail-on,
  --registry, --timeout, --concurrency

Exit codes: 1 when a check that passed with an earlier release does not pass with a later one, or any release
fails a check; else 3 when a check could not be tested; 2 for bad input or a release that gave no report; 0.`,
  list: `Usage: codex-smoke list

Prints the check catalogue: each check's id, the claim it verifies, and the facts it needs. Takes no arguments.`,
  diff: `Usage: codex-smoke diff <old.json> <new.json>

Compares two JSON reports: regressions (held, now fail or error), fixes, other status changes, changed
evidence, added and removed checks. Exit 1 when there is a regression, else 0; 2 for a file that is not a
codex-smoke report (one line with the file and the position).`,
  probe: `Usage: codex-smoke probe [--out <file>] [--force]

The in-sandbox runner, for the agent to run inside a live Codex session: it attests the sandbox, probes the
filesystem, git, the network and the environment, writes its facts, and prints the verdicts of the checks that
need nothing from the host (the same checks the host runs). Outside a Codex sandbox it writes nothing (exit 2)
unless --force. On the host, use \`codex-smoke probe --stage\` instead.

  --out <file>   where the report goes [the staged .codex-smoke/report.local.json, else .codex-smoke-report.json]
  --force        probe although this is not a Codex sandbox (the probes then land on this machine)
  -h, --help     this help`,
  stage: `Usage: codex-smoke probe --stage [--registry <url>] [--launcher <file>] [--profile <name>]

(host) Puts the runner into the project (.codex-smoke/, git-ignored), keeps its record in
~/.cache/codex-smoke/stages (with the hashes of the launcher, the project files it runs and the profile file),
and prints the two commands to give the agent in your ./codex-auto session; then
\`codex-smoke run --probe-report .codex-smoke/report.local.json\` completes the report with the host-side checks
(once: the report is accepted only with this staging's nonce), restores what the probes did and removes
.codex-smoke/. Each result then says whether its evidence was verified on the host or reported from inside the
session. The staged runner refuses to probe outside a sandbox (exit 3) unless given --force. A staging never
judged is forgotten after a week.

  --registry <url>   registry the network probe retrieves from [npm config get registry]
  --launcher <file>  the launcher the session was started with [./codex-auto]
  --profile <name>   the config profile it selects [read from the launcher, else azi4a2-autonomous]
  -h, --help         this help`,
  cache: `Usage: codex-smoke cache [clean]

Prints where matrix keeps the Codex releases it installed (~/.cache/codex-smoke/codex/<version>), which they are
and the room they take. \`clean\` removes them all (an install a running matrix has in progress is left to it);
the next matrix installs again the releases it needs.`,
  docs: `Usage: codex-smoke docs <README.md>

Rewrites the check table between the README's markers from the check registry (npm run docs).`,
};

/** The text for `topic`; the main help lists the checks (`catalogue`, rendered by the caller). */
export function helpText(topic: HelpTopic, opts: { version: string; catalogue: string }): string {
  if (topic !== "main") return TEXTS[topic];
  return `codex-smoke ${opts.version}: prove an autonomous Codex setup enforces what its README claims

${USAGE}

run and demo ${RUN_OPTIONS.charAt(0).toLowerCase()}${RUN_OPTIONS.slice(1)}

${OUTPUT}

${EXIT_CODES}

Checks:
${opts.catalogue}`;
}
