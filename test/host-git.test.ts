// Issue 19: the host's git obeys nothing in the project's config that runs a command (decisions §27). On a broken
// setup the agent can write `.git/config`; restore then runs git in that repository on the host.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitDirChanged, gitDirIdentity, hostGit } from "../src/audit/host-git.js";
import type { ReferenceSetup } from "../src/demo/reference-setup.js";
import { audit, launcherAddsArgs, withSetup } from "./helpers/audit.js";

// Made in beforeAll, not while the file is collected: a run that filters every test out never runs afterAll.
let root = "";
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "codex-smoke-host-git-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A script that records that it ran (and which process ran git) in `markers`, then succeeds. */
function script(dir: string, name: string, markers: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    [
      "#!/bin/sh",
      // The ancestry up to the first node process: codex-smoke's CLI on the host, or the runner in the sandbox.
      "p=$PPID; chain=''",
      "for i in 1 2 3 4 5 6; do c=$(tr '\\0' ' ' < /proc/$p/cmdline 2>/dev/null | cut -c1-160); chain=\"$chain <- $c\"; p=$(awk '{print $4}' /proc/$p/stat 2>/dev/null || echo 1); [ \"$p\" -le 1 ] && break; done",
      `echo "${name}$chain" >> ${markers}/${name}`,
      "cat",
    ].join("\n"),
  );
  chmodSync(path, 0o755);
  return path;
}

/** Writes what an agent could put into `.git/config` and `.gitattributes`: every place git runs a command from. */
function plantCommands(project: string, scripts: string, markers: string): void {
  mkdirSync(scripts, { recursive: true });
  mkdirSync(markers, { recursive: true });
  const hooks = join(scripts, "hooks");
  mkdirSync(hooks, { recursive: true });
  for (const hook of ["reference-transaction", "post-index-change", "pre-commit", "post-checkout"])
    script(hooks, hook, markers);
  const config = [
    "[core]",
    `\tfsmonitor = ${script(scripts, "fsmonitor", markers)}`,
    `\thooksPath = ${hooks}`,
    `\tpager = ${script(scripts, "pager", markers)}`,
    "[log]",
    "\tshowSignature = true",
    "[gpg]",
    `\tprogram = ${script(scripts, "gpg", markers)}`,
    '[filter "evil"]',
    `\tclean = ${script(scripts, "clean", markers)}`,
    `\tsmudge = ${script(scripts, "smudge", markers)}`,
    "\trequired = true",
    '[diff "evil"]',
    `\ttextconv = ${script(scripts, "textconv", markers)}`,
  ].join("\n");
  writeFileSync(
    join(project, ".git", "config"),
    `${readFileSync(join(project, ".git", "config"), "utf8")}\n${config}\n`,
  );
  writeFileSync(join(project, ".gitattributes"), "* filter=evil diff=evil\n");
}

function repository(name: string): string {
  const project = join(root, name);
  mkdirSync(project);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: project, stdio: "pipe" });
  git("init", "-q");
  writeFileSync(join(project, "a.txt"), "one\n");
  git("add", "a.txt");
  git("-c", "user.name=u", "-c", "user.email=u@example.invalid", "commit", "-q", "-m", "first");
  writeFileSync(join(project, "b.txt"), "two\n");
  git("add", "b.txt");
  git("-c", "user.name=u", "-c", "user.email=u@example.invalid", "commit", "-q", "-m", "second");
  // A probe's marker staged, and a tracked file edited to the same size: an index refresh must then re-read it
  // through its filter (a size change alone tells git it changed; it re-read it only when the edit fell in the
  // index's second, so the control below missed `clean` on a loaded machine).
  writeFileSync(join(project, "marker.txt"), "probe\n");
  git("add", "marker.txt");
  writeFileSync(join(project, "a.txt"), "ONE\n");
  return project;
}

/** Every git command restore runs, as it runs them (a probe commit undone, a marker unstaged). */
async function restoreCommands(run: (args: string[]) => Promise<unknown>, project: string): Promise<void> {
  const first = execFileSync("git", ["rev-parse", "HEAD~1"], { cwd: project }).toString().trim();
  for (const args of [
    ["rev-parse", "--verify", "-q", "HEAD"],
    ["log", "--format=%H%x00%P%x00%ae%x00%s", `${first}..HEAD`],
    ["reset", "-q", "--soft", first],
    ["ls-files", "--cached", "--", "marker.txt"],
    ["reset", "-q", first, "--", "marker.txt"],
    ["rm", "-q", "--cached", "--", "a.txt"],
    ["update-ref", "-d", "HEAD"],
  ])
    await run(args);
}

describe("hostGit", () => {
  it("runs restore's git commands without running anything the repository's config names", async () => {
    const project = repository("hardened");
    const markers = join(root, "hardened-markers");
    plantCommands(project, join(root, "hardened-scripts"), markers);
    await restoreCommands(async (args) => {
      const result = await hostGit({ project }, args);
      expect(result.stderr, args.join(" ")).not.toMatch(/fatal|failed/);
    }, project);
    expect(readdirSync(markers)).toEqual([]);
  });

  it("control: plain git in the same repository runs them (so the test above can fail)", async () => {
    const project = repository("plain");
    const markers = join(root, "plain-markers");
    plantCommands(project, join(root, "plain-scripts"), markers);
    await restoreCommands(async (args) => {
      try {
        execFileSync("git", args, { cwd: project, stdio: "pipe" });
      } catch {
        // a command that failed may still have run what the config named
      }
    }, project);
    // (log.showSignature runs gpg only for signed commits: none here.)
    expect(readdirSync(markers).sort()).toEqual([
      "clean",
      "fsmonitor",
      "post-index-change",
      "reference-transaction",
    ]);
  });

  it("refuses a .git replaced since the record: by a symlink to another repository, or by a gitdir file", () => {
    const project = repository("swapped");
    const other = repository("other");
    const recorded = gitDirIdentity(project) ?? undefined;
    expect(recorded).toBeDefined();
    expect(gitDirChanged({ project, gitDir: recorded })).toBeNull();
    renameSync(join(project, ".git"), join(project, ".git-aside"));
    symlinkSync(join(other, ".git"), join(project, ".git"));
    expect(gitDirChanged({ project, gitDir: recorded })).toContain(
      "is not the folder recorded before the audit",
    );
    rmSync(join(project, ".git"));
    writeFileSync(join(project, ".git"), `gitdir: ${join(other, ".git")}\n`);
    expect(gitDirChanged({ project, gitDir: recorded })).toContain("git left alone");
  });
});

/** The markers of scripts run by the host's own git: the process that ran git is codex-smoke's CLI (Codex runs
 * `git status` itself, and the runner's git runs on this unsandboxed setup too). */
function hostMarkers(markers: string): string[] {
  return readdirSync(markers)
    .flatMap((name) => readFileSync(join(markers, name), "utf8").split("\n"))
    .filter((line) => {
      const chain = line.split(" <- ");
      const git = chain.findIndex((process) => /^(\S*\/)?git /.test(process));
      return git >= 0 && chain[git + 1]?.includes("cli.js") === true;
    });
}

describe("restore on a broken setup whose .git the agent can write", () => {
  it("undoes the probe's commit with the project's config naming commands: none of them runs", async () => {
    await withSetup(
      (setup: ReferenceSetup) => {
        // No sandbox at all: .git is writable, so the probe commit lands and restore runs git to undo it.
        launcherAddsArgs(setup, "--dangerously-bypass-approvals-and-sandbox");
      },
      async (setup) => {
        const markers = join(setup.root, "markers");
        plantCommands(setup.project, join(setup.root, "scripts"), markers);
        const result = await audit(setup, ["--only", "fs.git_write,runner.report"]);
        expect(result.status("fs.git_write"), result.observed("fs.git_write")).toBe("fail");
        expect(result.observed("fs.git_write")).toContain("undid the probe's commit");
        expect(hostMarkers(markers)).toEqual([]);
      },
    );
  });
});
