#!/usr/bin/env node
// `npm run mutate` runs Stryker over the default scope (checks/ and the parsers in src/gather/);
// `npm run mutate -- src/audit` over one guard folder (scripts/mutate-scopes.mjs lists them). Any further argument
// goes to Stryker, e.g. `npm run mutate -- src/audit --concurrency 1` on a machine others share.
//
// A mutant of a guard is a bug in code that kills processes and deletes files, run for real. So a guard scope runs
// in a pid namespace of its own (a mutant that signals "every process it can see" sees only this run's; a shell as
// its init reaps what the killed trees orphan) with a HOME of its own (a mutant that deletes the wrong folder under
// ~/.cache/codex-smoke deletes a throw-away one). Inside, the user is root of its own user namespace, which also
// lets the pid-reuse test choose the next pid.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCOPES } from "./mutate-scopes.mjs";

const [first, ...rest] = process.argv.slice(2);
const named = first !== undefined && !first.startsWith("-");
const scope = named ? first.replace(/\/+$/, "") : "default";
if (!SCOPES[scope]) {
  process.stderr.write(`mutate: no scope ${scope}; one of: ${Object.keys(SCOPES).join(", ")}\n`);
  process.exit(2);
}
const stryker = [
  process.execPath,
  new URL("../node_modules/@stryker-mutator/core/bin/stryker.js", import.meta.url).pathname,
  "run",
  ...(named ? rest : process.argv.slice(2)),
];
// Stryker's sandboxes are folders inside this checkout without a .git: a mutant that drops a git call's cwd or
// GIT_DIR would find this checkout's repository by searching upward (one committed the probe's empty commit into
// the branch). The ceiling stops that search at the sandboxes' parent; the tests that run git through the code
// under test also pin their cwd outside every repository (test/helpers/git-nowhere.ts).
const root = new URL("..", import.meta.url).pathname;
const ceiling = [join(root, ".stryker-tmp"), process.env.GIT_CEILING_DIRECTORIES].filter(Boolean).join(":");
const env = { ...process.env, CODEX_SMOKE_MUTATE: scope, GIT_CEILING_DIRECTORIES: ceiling };

/** This checkout's HEAD, its reflog's length and its index, to see afterwards that no mutant wrote into them. */
function repositoryState() {
  const git = (...args) => spawnSync("git", ["-C", root, ...args], { encoding: "utf8" }).stdout;
  return [
    git("rev-parse", "HEAD"),
    git("reflog", "--format=%H").split("\n").length,
    git("diff", "--cached", "--stat"),
  ];
}
const stateBefore = repositoryState();
process.on("exit", () => {
  if (JSON.stringify(repositoryState()) === JSON.stringify(stateBefore)) return;
  process.stderr.write(
    `mutate: this checkout's repository changed during the run (HEAD, reflog or index): see \`git -C ${root} reflog\`\n`,
  );
  process.exitCode = 3;
});

if (scope === "default") {
  process.exitCode = spawnSync(stryker[0], stryker.slice(1), { stdio: "inherit", env }).status ?? 1;
  process.exit();
}

const isolate = ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc"];
const probe = spawnSync(isolate[0], [...isolate.slice(1), "true"], { stdio: "ignore" });
if (probe.status !== 0) {
  process.stderr.write(
    `mutate: ${scope} needs a pid namespace of its own (\`${isolate.join(" ")}\` failed): a mutant of the process ` +
      "cleanup may signal every process it can see\n",
  );
  process.exit(2);
}
const home = mkdtempSync(join(tmpdir(), "codex-smoke-mutate-home-"));
// Where the tests keep their temp dirs, as test/global-setup.ts makes it for `npm test`.
mkdirSync(join(home, ".cache", "codex-smoke"), { recursive: true });
try {
  // The shell is the namespace's init: it waits for Stryker and reaps every orphan meanwhile.
  const init = ["sh", "-c", '"$0" "$@" & wait $!', ...stryker];
  const result = spawnSync(isolate[0], [...isolate.slice(1), ...init], {
    stdio: "inherit",
    env: { ...env, HOME: home },
  });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(home, { recursive: true, force: true });
}
