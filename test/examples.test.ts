// The recipes in examples/: the GitHub Actions workflow (parsed as YAML), the systemd units (a small INI reader),
// the cron line, each running a command the CLI accepts; and the nightly script they all run, run for real
// against the reference setup: dated reports, `latest`, and only a run that exits 0 becoming the baseline.
import { execFile } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { Report } from "../src/core/model.js";
import { CLI, editFile, loopbackRegistry, withSetup } from "./helpers/audit.js";
import {
  checkCommand,
  fencedBlocks,
  NIGHTLY_SCRIPT,
  REPO,
  type Scratch,
  simpleCommands,
} from "./helpers/shell-commands.js";

const read = (path: string) => readFileSync(join(REPO, path), "utf8");
const SCRIPT = join(REPO, "examples/nightly", NIGHTLY_SCRIPT);

const scratchDir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "examples-test-"));
afterAll(() => rmSync(scratchDir, { recursive: true, force: true }));
let scratchCount = 0;
function scratch(): Scratch {
  const dir = join(scratchDir, String(++scratchCount));
  return { dir, home: join(dir, "home") };
}

/** The one command of `script` that runs the nightly script (after `$script` is put in for its path). */
function nightlyCommand(script: string): string[] {
  const commands = simpleCommands(script).filter(
    (words) => words[0] === "sh" && words[1]?.endsWith(NIGHTLY_SCRIPT) === true,
  );
  expect(commands).toHaveLength(1);
  return commands[0] as string[];
}

/** A valid five-field cron schedule (numbers, ranges, lists, steps within each field's range). */
function isCronSchedule(fields: string[]): boolean {
  const ranges: Array<[number, number]> = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 7],
  ];
  return (
    fields.length === 5 &&
    fields.every((field, i) =>
      field.split(",").every((part) => {
        const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
        if (!m) return false;
        const [low, high] = ranges[i] as [number, number];
        return [m[2], m[3]].every((n) => n === undefined || (Number(n) >= low && Number(n) <= high));
      }),
    )
  );
}

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

describe("GitHub Actions workflow", () => {
  const workflow = parseYaml(read("examples/github-actions/codex-smoke.yml")) as {
    on: { schedule: Array<{ cron: string }>; push: { paths: string[] }; workflow_dispatch: null };
    jobs: { audit: { "runs-on": string; steps: Step[] } };
  };
  const steps = workflow.jobs.audit.steps;
  const index = (match: (step: Step) => boolean) => steps.findIndex(match);
  const step = (match: (step: Step) => boolean) => steps[index(match)] as Step;
  const audit = step((s) => s.id === "audit");

  it("runs nightly and when the pinned Codex release changes", () => {
    expect(workflow.on.schedule).toHaveLength(1);
    expect(isCronSchedule((workflow.on.schedule[0]?.cron ?? "").split(" "))).toBe(true);
    expect(workflow.on.push.paths).toContain(".codex-version");
    const install = step((s) => s.run?.includes("npm install --global") === true);
    expect(install.run).toContain('"@openai/codex@$(cat .codex-version)"');
  });

  it("runs the nightly script from the installed package, with options the CLI accepts", async () => {
    expect(audit.run).toContain('"$(npm root --global)/codex-smoke/examples/nightly/codex-smoke-nightly.sh"');
    expect(existsSync(SCRIPT)).toBe(true);
    const command = nightlyCommand((audit.run ?? "").replace('"$script"', SCRIPT));
    expect(command.slice(0, 3)).toEqual(["sh", SCRIPT, "codex-smoke-reports"]);
    await checkCommand(command, scratch());
  });

  it("restores the baseline before the audit and keeps it only after a run that exited 0", () => {
    const restore = index((s) => s.uses?.startsWith("actions/cache/restore@") === true);
    const save = step((s) => s.uses?.startsWith("actions/cache/save@") === true);
    expect(restore).toBeGreaterThanOrEqual(0);
    expect(restore).toBeLessThan(index((s) => s.id === "audit"));
    expect(steps[restore]?.with?.path).toBe("codex-smoke-reports/baseline.json");
    expect(save.with?.path).toBe("codex-smoke-reports/baseline.json");
    expect(save.if).toBe("steps.audit.outcome == 'success'");
    expect(steps[restore]?.with?.["restore-keys"]).toBe("codex-smoke-baseline-");
    expect(save.with?.key).toMatch(/^codex-smoke-baseline-/);
  });

  it("writes the Markdown report to the job summary and uploads the reports, whatever the outcome", () => {
    const summary = step((s) => s.run?.includes("GITHUB_STEP_SUMMARY") === true);
    expect(summary.if).toBe("always()");
    expect(summary.run).toContain('cat codex-smoke-reports/latest/codex-smoke.md >> "$GITHUB_STEP_SUMMARY"');
    const upload = step((s) => s.uses?.startsWith("actions/upload-artifact@") === true);
    expect(upload.if).toBe("always()");
    expect(upload.with?.path).toContain("codex-smoke-reports/");
  });

  it("fails on a broken claim or a regression, and tells exit 1 from exit 3", () => {
    // The audit step exits with codex-smoke's code (so 1 and 3 fail the job) after recording it.
    expect(audit.run).toContain('echo "code=$code" >> "$GITHUB_OUTPUT"');
    expect(audit.run).toContain('exit "$code"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    const explain = step((s) => s.env?.CODE === "${{ steps.audit.outputs.code }}");
    expect(explain.if).toBe("failure() && steps.audit.outputs.code != ''");
    expect(explain.run).toMatch(/1\) echo "::error /);
    expect(explain.run).toMatch(/3\) echo "::warning [^"]*could not be tested/);
  });
});

/** A systemd unit file: sections of `Key=Value` lines (comments and blank lines skipped). */
function readUnit(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | null = null;
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = sections[header[1] as string] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (!current || eq < 0) throw new Error(`not a unit file line: ${line}`);
    current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return sections;
}

describe("systemd units and cron", () => {
  const service = readUnit(read("examples/systemd/codex-smoke.service"));
  const timer = readUnit(read("examples/systemd/codex-smoke.timer"));

  it("the service runs the nightly script once, with options the CLI accepts", async () => {
    expect(service.Service?.Type).toBe("oneshot");
    const exec = simpleCommands(service.Service?.ExecStart ?? "")[0] ?? [];
    expect(exec.slice(0, 2)).toEqual(["/bin/sh", "%h/.local/bin/codex-smoke-nightly.sh"]);
    await checkCommand(["sh", ...exec.slice(1)], scratch());
    expect(service.Service?.Environment).toMatch(/^PATH=/);
  });

  it("the timer starts the service every night, made up after downtime", () => {
    expect(timer.Timer?.OnCalendar).toBe("*-*-* 03:30:00");
    expect(timer.Timer?.Persistent).toBe("true");
    expect(timer.Timer?.Unit).toBe("codex-smoke.service");
    expect(timer.Install?.WantedBy).toBe("timers.target");
  });

  it.skipIf(!existsSync("/usr/bin/systemd-analyze"))("systemd reads the timer's calendar", async () => {
    const result = await new Promise<number>((resolve) =>
      execFile("systemd-analyze", ["calendar", timer.Timer?.OnCalendar ?? ""], (error) =>
        resolve(error ? 1 : 0),
      ),
    );
    expect(result).toBe(0);
  });

  it("the cron line runs the same script nightly and mails only when a run did not exit 0", async () => {
    const lines = read("examples/cron/crontab")
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("#"));
    expect(lines[0]).toMatch(/^PATH=/);
    const [job] = lines.filter((line) => !/^[A-Z_]+=/.test(line));
    const fields = (job ?? "").split(" ");
    expect(isCronSchedule(fields.slice(0, 5))).toBe(true);
    const command = fields.slice(5).join(" ");
    expect(command).not.toContain("%"); // cron would cut the line there
    const nightly = nightlyCommand(command);
    await checkCommand(nightly, scratch());
    // stdout (what cron mails) gets only the `|| echo` line; the outcome line (stderr) goes to the log.
    expect(command).toMatch(
      / 2>>"\$HOME\/codex-smoke-reports\/audit\.log" \|\| echo "[^"]*exit \$\? \(1: [^"]*3: /,
    );
  });
});

describe("the README's nightly recipe", () => {
  const readme = read("README.md");
  const start = readme.indexOf("\n### Nightly: did anything change since the last good run?\n");
  const nightly = readme.slice(start, readme.indexOf("\n### ", start + 1));
  const blocks = fencedBlocks(nightly, ["sh"]).map((block) => simpleCommands(block));
  const script = read(`examples/nightly/${NIGHTLY_SCRIPT}`);

  it("is the example script, and the by-hand commands name the baseline the script keeps", () => {
    expect(script).toContain("baseline=$reports/baseline.json\n");
    const [scriptCommand] = blocks[0] ?? [];
    expect(scriptCommand?.slice(0, 4)).toEqual([
      "sh",
      `examples/nightly/${NIGHTLY_SCRIPT}`,
      "reports/nightly",
      "run",
    ]);
    const baseline = "reports/nightly/baseline.json";
    const [firstNight, keep, later] = blocks[1] ?? [];
    expect(firstNight).not.toContain("--baseline");
    expect(keep?.[0]).toBe("cp");
    expect(keep?.at(-1)).toBe(baseline);
    expect(keep?.[1]).toBe(`${later?.[later.indexOf("--out") + 1]}/codex-smoke.json`);
    expect(later?.[later.indexOf("--baseline") + 1]).toBe(baseline);
    expect(nightly).toContain(`\`${baseline}\``);
  });
});

/** Runs the nightly script as a scheduler would, with codex-smoke being this checkout's CLI. */
function runNightly(reports: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile("sh", [SCRIPT, reports, "run", ...args], { env, timeout: 180_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stderr }),
    );
  });
}

const DATED = /^\d{4}-\d{2}-\d{2}T\d{6}Z(-\d+)?$/;

describe("the nightly script against the reference setup", () => {
  it("the first night (no baseline yet) exits 0; every run goes to a dated folder; only exit 0 becomes the baseline", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const reports = join(setup.root, "reports");
        const codexSmoke = join(setup.root, "codex-smoke");
        writeFileSync(
          codexSmoke,
          `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`,
        );
        chmodSync(codexSmoke, 0o755);
        const env = { ...setup.env, CODEX_SMOKE: codexSmoke };
        const args = [
          ...["--launcher", setup.launcher, "--project", setup.project],
          ...["--registry", await loopbackRegistry(), "--only", "fs.project_write,config.profile"],
        ];
        const dated = () =>
          readdirSync(reports)
            .filter((name) => DATED.test(name))
            .sort();
        const baseline = () => readFileSync(join(reports, "baseline.json"), "utf8");
        const latest = () => readFileSync(join(reports, "latest", "codex-smoke.json"), "utf8");
        const statusIn = (text: string, id: string) =>
          (JSON.parse(text) as Report).results.find((r) => r.id === id)?.status;

        // The first night: no baseline exists, so the script passes no --baseline (a missing one is exit 2).
        expect(existsSync(join(reports, "baseline.json"))).toBe(false);
        const good = await runNightly(reports, args, env);
        expect(good.code, good.stderr).toBe(0);
        expect(good.stderr).not.toContain("regression");
        expect(dated()).toHaveLength(1);
        expect(readdirSync(join(reports, dated()[0] as string)).sort()).toEqual([
          "codex-smoke.json",
          "codex-smoke.junit.xml",
          "codex-smoke.md",
          "codex-smoke.runner.json",
        ]);
        expect(readlinkSync(join(reports, "latest"))).toBe(dated()[0]);
        expect(baseline()).toBe(latest());
        const firstBaseline = baseline();

        // The project made read-only: a regression against the baseline, exit 1; the baseline stays.
        const profile = readFileSync(setup.profileFile, "utf8");
        editFile(setup.profileFile, (t) => t.replace('"." = "write"', '"." = "read"'));
        const broken = await runNightly(reports, args, env);
        expect(broken.code, broken.stderr).toBe(1);
        expect(broken.stderr).toContain("regression");
        expect(dated()).toHaveLength(2);
        expect(readlinkSync(join(reports, "latest"))).toBe(dated()[1]);
        expect(statusIn(latest(), "fs.project_write")).toBe("fail");
        expect(baseline()).toBe(firstBaseline);

        // Repaired: exit 0 again, and this run is the new baseline.
        writeFileSync(setup.profileFile, profile);
        const repaired = await runNightly(reports, args, env);
        expect(repaired.code, repaired.stderr).toBe(0);
        expect(dated()).toHaveLength(3);
        expect(baseline()).toBe(latest());
        expect(baseline()).not.toBe(firstBaseline);
      },
    );
  });

  it("an inconclusive run (exit 3) is kept but never becomes the baseline", async () => {
    const reports = join(scratchDir, "inconclusive");
    const codexSmoke = join(scratchDir, "codex-smoke-exit-3");
    // A stand-in that writes a report and exits 3, as codex-smoke does when checks could not be tested.
    writeFileSync(
      codexSmoke,
      `#!/bin/sh\nwhile [ "$1" != "--out" ]; do shift; done\nmkdir -p "$2" && echo '{"run":"inconclusive"}' > "$2/codex-smoke.json"\nexit 3\n`,
    );
    chmodSync(codexSmoke, 0o755);
    const env = { PATH: process.env.PATH ?? "", CODEX_SMOKE: codexSmoke };
    const result = await runNightly(reports, [], env);
    expect(result.code).toBe(3);
    expect(readdirSync(reports).filter((name) => DATED.test(name))).toHaveLength(1);
    expect(existsSync(join(reports, "latest", "codex-smoke.json"))).toBe(true);
    expect(existsSync(join(reports, "baseline.json"))).toBe(false);
  });
});
