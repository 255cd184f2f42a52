// Integration (real Codex): `codex-smoke probe`, run by the agent inside a live session, and the audit that judges
// its report on the host agree, through the real paths (issue 20): the staged input, probe's printed table and exit
// code inside the sandbox, the report file read by `run --probe-report`, the audit's printed table and exit code.
// The statuses are written out: a check made to always pass shows on both sides and is caught.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Status } from "../src/core/model.js";
import type { ReferenceSetup } from "../src/demo/reference-setup.js";
import { inSandbox, stage } from "./helpers/agent.js";
import { audit, CLI, editFile, withSetup } from "./helpers/audit.js";

/** The checks `probe` can decide inside (their facts all come from the runner). */
const INSIDE = ["fs.git_read", "fs.project_write", "net.registry", "net.tls_verify", "env.secrets"];
const REPO = join(import.meta.dirname, "..");

/** codex-smoke is readable inside, as when the project depends on it: the agent can run `codex-smoke probe`. */
function codexSmokeReadable(setup: ReferenceSetup): void {
  editFile(setup.profileFile, (text) =>
    text.replace(/^":minimal" = "read"$/m, (line) => `${line}\n${JSON.stringify(REPO)} = "read"`),
  );
}

const TAG: Record<string, Status> = {
  PASS: "pass",
  FAIL: "fail",
  WARN: "warn",
  SKIP: "skip",
  ERR: "error",
  ERROR: "error",
};

/** `STATUS id  …` lines of a printed table, as id → status. */
function table(text: string, line: RegExp): Record<string, Status> {
  const rows = text.split("\n").flatMap((row) => {
    const match = line.exec(row);
    return match ? [[match[2] as string, TAG[match[1] as string] as Status]] : [];
  });
  return Object.fromEntries(rows);
}

interface Variant {
  name: string;
  breakIt: (setup: ReferenceSetup) => void;
  /** The agent's environment inside the session. */
  env?: Record<string, string>;
  expected: Record<string, Status>;
  exitCode: number;
}

const ALL_PASS = Object.fromEntries(INSIDE.map((id) => [id, "pass" as Status]));

const variants: Variant[] = [
  { name: "the reference setup", breakIt: () => {}, expected: ALL_PASS, exitCode: 0 },
  {
    name: "a secret-looking variable and TLS verification switched off in the session",
    breakIt: () => {},
    env: { DEPLOY_API_KEY: "not-a-real-key-but-long-enough", NODE_TLS_REJECT_UNAUTHORIZED: "0" },
    expected: { ...ALL_PASS, "env.secrets": "warn", "net.tls_verify": "fail" },
    exitCode: 1,
  },
];

describe("probe's table and the audit's agree, through the real paths", () => {
  it.each(variants)("$name", async ({ breakIt, env, expected, exitCode }) => {
    await withSetup(
      (setup) => {
        codexSmokeReadable(setup);
        breakIt(setup);
      },
      async (setup) => {
        const { report } = await stage(setup);
        const probe = await inSandbox(setup, ["node", CLI, "probe"], env);
        expect(probe.code ?? 0, probe.stderr).toBe(exitCode);
        expect(table(probe.stdout, /^(PASS|FAIL|WARN|SKIP|ERROR) +(\S+) /)).toEqual(expected);

        // Judged from the report alone: the host's own environment has no say in these verdicts.
        const judged = await audit(setup, ["--probe-report", report, "--only", INSIDE.join(",")]);
        expect(table(judged.stdout, /^ {2}(PASS|FAIL|WARN|SKIP|ERR) +(\S+) /), judged.stdout).toEqual({
          ...expected,
          ...Object.fromEntries(
            (judged.report?.results ?? []).filter((r) => !INSIDE.includes(r.id)).map((r) => [r.id, "skip"]),
          ),
        });
        expect(judged.exitCode).toBe(exitCode);
      },
    );
  });
});
