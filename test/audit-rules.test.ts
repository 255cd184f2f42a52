// The setup's own filesystem rules, audited end to end with the real Codex (issue 21): credential files a profile
// entry lets through (fs.credentials), every entry of the profile holding or not (fs.profile_rules), including a
// deny glob that covers only the files present at launch. What the probes create on the host is gone afterwards.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ReferenceSetup, SITE_DIR } from "../src/demo/reference-setup.js";
import { type AuditRun, audit, editFile, launcherAddsArgs, processesOf, withSetup } from "./helpers/audit.js";

/** Adds lines to the profile's `[permissions.<name>.filesystem]` table (after the auth.json rule). */
function addFilesystemEntries(setup: ReferenceSetup, ...lines: string[]): void {
  editFile(setup.profileFile, (text) => {
    const anchor = '"~/.codex/auth.json" = "none"\n';
    if (!text.includes(anchor)) throw new Error("reference profile changed shape: no auth.json rule");
    return text.replace(anchor, `${anchor}${lines.join("\n")}\n`);
  });
}

/** Adds lines to the profile's `":workspace_roots"` table. */
function addWorkspaceEntries(setup: ReferenceSetup, ...lines: string[]): void {
  editFile(setup.profileFile, (text) =>
    text.replace('"." = "write"\n', `"." = "write"\n${lines.join("\n")}\n`),
  );
}

function result(run: AuditRun, id: string) {
  const found = run.report?.results.find((r) => r.id === id);
  if (!found) throw new Error(`no ${id} in the report (exit ${run.exitCode}): ${run.stderr}`);
  return found;
}

/** Files whose names hold a probe's nonce-named marker, anywhere under `dir` (two levels). */
function probeLeftovers(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (/^(\.codex-smoke-rule-|codex-smoke-[0-9a-f]{12}\.)/.test(entry.name))
      found.push(join(dir, entry.name));
    if (entry.isDirectory() && entry.name !== ".git") {
      for (const inner of readdirSync(join(dir, entry.name)))
        if (/^(\.codex-smoke-rule-|codex-smoke-[0-9a-f]{12}\.)/.test(inner))
          found.push(join(dir, entry.name, inner));
    }
  }
  return found;
}

describe("the profile's own filesystem rules", () => {
  it('"~/.ssh" = "read" leaks the key; extra read and write entries and a deny glob are proven entry by entry', async () => {
    await withSetup(
      (setup) => {
        mkdirSync(join(setup.root, "shared"));
        writeFileSync(join(setup.root, "shared", "notes.txt"), "shared notes\n");
        mkdirSync(join(setup.root, "cache"));
        writeFileSync(join(setup.project, "old.env"), "OLD=1\n");
        mkdirSync(join(setup.project, "src"));
        writeFileSync(join(setup.project, "src", "deep.env"), "DEEP=1\n");
        addFilesystemEntries(
          setup,
          '"~/.ssh" = "read"',
          `"${setup.root}/shared" = "read"`,
          `"${setup.root}/cache" = "write"`,
          "glob_scan_max_depth = 3",
        );
        addWorkspaceEntries(setup, '"**/*.env" = "none"');
      },
      async (setup) => {
        const projectBefore = readdirSync(setup.project).sort();
        const run = await audit(setup);
        const credentials = result(run, "fs.credentials");
        expect(credentials.status).toBe("fail");
        expect(credentials.observed).toBe(
          `${setup.home}/.ssh/id_rsa (SSH private key) opened inside: allowed by "~/.ssh" = "read"`,
        );
        expect(credentials.remediation).toContain('"~/.ssh" = "none"');
        // auth.json keeps its own deny rule.
        expect(run.status("fs.auth_json")).toBe("pass");

        const rules = result(run, "fs.profile_rules");
        expect(rules.status).toBe("warn");
        expect(rules.observed).toMatch(
          /^":workspace_roots" "\*\*\/\*\.env" = "none": present at launch refused \(old\.env EACCES, deep\.env EACCES\), but \/.*\/codex-smoke-[0-9a-f]{12}\.env, created after launch, is readable inside and written through to the host$/,
        );
        expect(rules.evidence).toContain(
          '"~/.ssh" = "read": holds: id_rsa readable; id_rsa not writable (EROFS)',
        );
        expect(rules.evidence).toContain(
          `"${setup.root}/shared" = "read": holds: notes.txt readable; notes.txt not writable (EROFS)`,
        );
        expect(rules.evidence.find((line) => line.startsWith(`"${setup.root}/cache" = "write"`))).toMatch(
          /: holds: \.codex-smoke-rule-[0-9a-f]{12}-\d+ written inside and found on the host \(removed\)$/,
        );
        // The extra write root breaks the README's filesystem claim, which its own checks say.
        expect(run.status("config.profile")).toBe("fail");
        expect(run.exitCode).toBe(1);

        // What the probes made on the host (the glob's new .env, the write rules' markers) is gone.
        expect(probeLeftovers(setup.project)).toEqual([]);
        expect(readdirSync(join(setup.root, "cache"))).toEqual([]);
        expect(readdirSync(setup.project).sort()).toEqual(projectBefore);
        expect(readFileSync(join(setup.root, "shared", "notes.txt"), "utf8")).toBe("shared notes\n");
        expect(processesOf(setup)).toEqual([]);
      },
    );
  });

  it('"~/.codex" = "read" with auth.json denied: auth.json holds, Codex\'s own files open', async () => {
    await withSetup(
      (setup) => {
        // What a used Codex home holds besides auth.json: history, a session transcript, the proxy's CA key.
        const codexHome = setup.codexHome;
        writeFileSync(join(codexHome, "history.jsonl"), "{}\n");
        mkdirSync(join(codexHome, "sessions", "2026", "12", "06"), { recursive: true });
        writeFileSync(join(codexHome, "sessions", "2026", "12", "06", "rollout-1.jsonl"), "{}\n");
        mkdirSync(join(codexHome, "proxy"));
        writeFileSync(join(codexHome, "proxy", "ca.key"), "not a key\n", { mode: 0o600 });
        editFile(setup.profileFile, (text) =>
          text.replace('"~/.codex/auth.json" = "none"', '"~/.codex" = "read"\n"~/.codex/auth.json" = "none"'),
        );
      },
      async (setup) => {
        const run = await audit(setup);
        expect(run.status("fs.auth_json")).toBe("pass");
        expect(result(run, "fs.profile_rules").evidence).toContain(
          '"~/.codex/auth.json" = "none": holds: refused: auth.json EACCES',
        );
        const credentials = result(run, "fs.credentials");
        expect(credentials.status).toBe("fail");
        const codexHome = setup.codexHome;
        for (const [path, kind] of [
          [join(codexHome, "history.jsonl"), "Codex history"],
          [join(codexHome, "sessions", "2026", "12", "06", "rollout-1.jsonl"), "Codex session transcript"],
          [join(codexHome, "proxy", "ca.key"), "Codex proxy CA"],
        ])
          expect(credentials.evidence).toContain(
            `${path} (${kind}) opened inside: allowed by "~/.codex" = "read"`,
          );
        expect(credentials.evidence).toContain(
          `${setup.profileFile} (Codex profile) opened inside: allowed by "~/.codex" = "read"`,
        );
        expect(credentials.evidence).toContain(
          `${setup.baseConfigFile} (Codex config) opened inside: allowed by "~/.codex" = "read"`,
        );
        expect(credentials.remediation).toContain('"~/.codex" = "none"');
        expect(run.exitCode).toBe(1);
      },
    );
  });

  it("a read entry under a --add-dir and a write entry the sandboxed user cannot write do not hold", async () => {
    await withSetup(
      (setup) => {
        mkdirSync(join(setup.root, "shared"));
        writeFileSync(join(setup.root, "shared", "notes.txt"), "shared notes\n");
        // The project's read-only subpaths, present in the --add-dir root too: where they are missing, Codex makes
        // them at each start and its own concurrent sandbox helpers can race on them ("bwrap: Can't find source
        // path", 1 exec in 3 on a loaded machine; test/mount-race.test.ts covers that case). This test is about
        // the rules.
        mkdirSync(join(setup.root, "shared", ".codex"));
        mkdirSync(join(setup.root, "shared", SITE_DIR));
        writeFileSync(join(setup.root, "shared", "codex-auto"), "");
        mkdirSync(join(setup.root, "cache"));
        // Inside, the sandbox drops every capability: a folder its owner may not write stays closed even to root.
        chmodSync(join(setup.root, "cache"), 0o555);
        addFilesystemEntries(setup, `"${setup.root}/shared" = "read"`, `"${setup.root}/cache" = "write"`);
        launcherAddsArgs(setup, "--add-dir", `${setup.root}/shared`);
      },
      async (setup) => {
        try {
          const run = await audit(setup);
          const rules = result(run, "fs.profile_rules");
          expect(rules.status, rules.observed).toBe("fail");
          expect(rules.observed).toBe(
            `"${setup.root}/shared" = "read": ${setup.root}/shared/notes.txt opens for writing inside`,
          );
          expect(rules.evidence.find((line) => line.startsWith(`"${setup.root}/cache" = "write"`))).toMatch(
            /: cannot write \/.*\/cache\/\.codex-smoke-rule-[0-9a-f]{12}-\d+ inside \(EACCES\)$/,
          );
          expect(readFileSync(join(setup.root, "shared", "notes.txt"), "utf8")).toBe("shared notes\n");
          expect(existsSync(join(setup.root, "shared", ".codex-smoke-rule"))).toBe(false);
          expect(run.exitCode).toBe(1);
        } finally {
          chmodSync(join(setup.root, "cache"), 0o755);
        }
      },
    );
  });
});
