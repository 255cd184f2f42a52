import { isAbsolute, relative } from "node:path";
import { defineCheck, outcome } from "../../src/core/define-check.js";
import type { ConfigFacts, Fact, LauncherFacts, StagingFacts } from "../../src/core/model.js";
import type { LauncherFileProbe, LocalReport } from "../../src/runner/types.js";

const HIDDEN_FIX =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, shown to the user
  "write Codex's arguments into the launcher as text: no `$(…)`, `eval` or branch on an environment variable (a written default used as a value, such as `${CODEX_PROFILE:-azi4a2-autonomous}`, is fine)";

export default defineCheck({
  id: "launcher.integrity",
  title: "Launcher cannot be changed inside",
  claim:
    "The launcher (and what it sources or runs from the project) cannot be changed from inside the sandbox, and decides Codex's arguments without hidden run-time branches.",
  needs: ["launcher", "config"],
  uses: ["runner", "staging"],
  run({ launcher, config, runner, staging }, { expect }) {
    const expected =
      "the launcher and the project files it runs are read-only inside the sandbox; Codex's arguments are written in the launcher (no $(…), eval or branch on the environment)";
    const changed = changedDuringSession(staging);
    if (changed.length > 0) {
      const more = changed.length > 1 ? ` (and ${changed.length - 1} more)` : "";
      return {
        ...outcome("fail", expected, `${changed[0]}${more}`, changed),
        remediation:
          "Something changed the launcher or the profile during the live session: look at what changed (git diff, the profile file), restore it, and stage again.",
        // The host compared its own hashes: nothing from inside decided this.
        evidenceFrom: "host",
      };
    }
    // A release too old for the setup: the cause, once, with its fix (the engine does the same for needed facts).
    const broken = [runner, staging].find((fact) => !fact.ok && fact.breaks !== undefined);
    if (broken && !broken.ok && broken.breaks) {
      const { expected: why, remediation } = broken.breaks;
      return { ...outcome("fail", why, broken.error, [broken.error]), remediation };
    }
    // Paths as the host resolved them (real paths): shown relative to the project's real path.
    const project = staging.ok ? staging.value.project : config.project;
    const where = (path: string) => shown(project, path);
    const hidden = launcher.static.hidden.map(
      (f) => `${where(launcher.path)}:${f.line}: ${f.flag}: ${f.text}`,
    );
    const probed = writability(runner, staging, where);
    const problems = [...probed.changeable.map((p) => p.line), ...hidden];
    const evidence = [...probed.evidence, ...defaultsNoted(launcher, where)];
    if (problems.length > 0) {
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
      return {
        ...outcome(expect.launcherIntegrity, expected, `${problems[0]}${more}`, [
          ...(problems.length > 1 ? problems : []),
          ...evidence,
        ]),
        remediation: remediationFor(
          probed.changeable.map((p) => p.path),
          hidden.length > 0,
          { config, project },
        ),
      };
    }
    if (probed.unknown !== null)
      return outcome("error", expected, `could not test: ${probed.unknown}`, evidence);
    const names = probed.files.map(where).join(", ");
    return outcome("pass", expected, `cannot be changed inside: ${names}; no hidden arguments`, evidence);
  },
  remediation:
    'Make the launcher read-only inside the sandbox: add `"codex-auto" = "read"` (its path relative to the project) to the permission profile\'s `[permissions.<name>.filesystem.":workspace_roots"]` table, and write Codex\'s arguments into the launcher as text.',
});

/** Live session: the host's hashes at staging against the files now, and the launcher judged against the one staged. */
function changedDuringSession(staging: Fact<StagingFacts>): string[] {
  if (!staging.ok || staging.value.flow !== "live") return [];
  const short = (hash: string | null) => (hash ? `sha256 ${hash.slice(0, 12)}` : "unreadable");
  const lines = staging.value.changed.map(
    ({ path, before, after }) =>
      `${path} changed during the live session (${short(before)} at staging, ${after ? short(after) : "gone or not a file"} now)`,
  );
  const other = staging.value.otherLauncher;
  if (other) lines.push(`the session was staged with ${other}, not with the launcher judged now`);
  return lines;
}

interface Writability {
  /** The files probed (host-chosen). */
  files: string[];
  changeable: Array<{ path: string; line: string }>;
  evidence: string[];
  /** Why writability is unknown (no runner report, a file not probed); null when every file was probed. */
  unknown: string | null;
}

/** Each host-chosen file against the runner's probe of it: writable, or replaceable through its folder. */
function writability(
  runner: Fact<LocalReport>,
  staging: Fact<StagingFacts>,
  where: (path: string) => string,
): Writability {
  if (!staging.ok) return { files: [], changeable: [], evidence: [], unknown: staging.error };
  const files = staging.value.launcherFiles;
  if (!runner.ok) return { files, changeable: [], evidence: [], unknown: runner.error.split("\n")[0] ?? "" };
  const result: Writability = { files, changeable: [], evidence: [], unknown: null };
  for (const path of files) {
    const probe = runner.value.launcherFiles.find((entry) => entry.path === path);
    if (!probe) {
      result.unknown = `the runner's report has no probe of ${where(path)}`;
      continue;
    }
    result.evidence.push(`${where(path)}: ${describe(probe)}`);
    const how = changeableBy(probe);
    if (how)
      result.changeable.push({ path, line: `${where(path)} can be changed inside the sandbox: ${how}` });
  }
  if (files.length === 0) result.unknown = "no launcher file to probe";
  return result;
}

/** Opened for append, or replaceable: its folder is writable and it is no mount of its own (a read rule binds it). */
function changeableBy(probe: LauncherFileProbe): string | null {
  if (probe.append.ok) return "it opens for append";
  if (probe.folderWritable.ok && probe.mount === null)
    return `its folder is writable and it is no mount of its own, so it can be replaced (append: ${codeOf(probe.append)})`;
  return null;
}

/** Codes only: the runner's error details repeat the path. */
const codeOf = (probe: LauncherFileProbe["append"]) => (probe.ok ? "ok" : (probe.code ?? "failed"));

function describe(probe: LauncherFileProbe): string {
  const folder = probe.folderWritable.ok ? "writable" : `not writable (${codeOf(probe.folderWritable)})`;
  const mount = probe.mount
    ? `a ${probe.mount === "ro" ? "read-only" : "writable"} mount of its own`
    : "no mount of its own";
  return `append ${codeOf(probe.append)}, folder ${folder}, ${mount}`;
}

function defaultsNoted(launcher: LauncherFacts, where: (path: string) => string): string[] {
  return launcher.static.defaults.map(
    ({ line, name }) =>
      `${where(launcher.path)}:${line}: Codex's arguments follow $${name} (a written default: the observed launches show its value)`,
  );
}

/** The profile lines that make each file read-only, in the table the path belongs to; then the launcher's own fix. */
function remediationFor(
  changeable: string[],
  hidden: boolean,
  { config, project }: { config: ConfigFacts; project: string },
): string {
  const name = permissionsProfile(config);
  const rule = (path: string) => `${JSON.stringify(path)} = "read"`;
  const inProject = changeable.filter((path) => !shown(project, path).startsWith("/"));
  const outside = changeable.filter((path) => shown(project, path).startsWith("/"));
  const fixes: string[] = [];
  if (inProject.length > 0) {
    const rules = inProject.map((path) => rule(relative(project, path))).join(", ");
    fixes.push(
      `add ${rules} to [permissions.${name}.filesystem.":workspace_roots"] in ${config.profile.path}`,
    );
  }
  if (outside.length > 0)
    fixes.push(
      `add ${outside.map(rule).join(", ")} to [permissions.${name}.filesystem] in ${config.profile.path}`,
    );
  if (hidden) fixes.push(HIDDEN_FIX);
  const text = fixes.join("; ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** The permission profile the config selects (`default_permissions`), else the config profile's name. */
function permissionsProfile(config: ConfigFacts): string {
  const selected = config.effective.default_permissions;
  return typeof selected === "string" ? selected : config.profileName;
}

/** A path relative to the project when it is inside, else absolute. */
function shown(project: string, path: string): string {
  const rel = relative(project, path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
