// Integration (real Codex): the live-session flow (`probe --stage`, the runner run by the agent of a session,
// `run --probe-report`) judged against the host's own record (decisions §24): a report made on the host, from an
// altered input or from an earlier run fails runner.report; a launcher or profile changed in between fails
// launcher.integrity; every result says where its evidence came from. Outside a sandbox the staged runner and
// `probe` refuse and write nothing (issue 20: the inverted namespace comparison probed on the host).
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeRun, gitHead, observedOf, runnerInside, runnerOnHost, stage } from "./helpers/agent.js";
import { audit, runCli, withSetup } from "./helpers/audit.js";
import { treeState } from "./helpers/tree.js";

/** No interactive session: what the runner's report and the host's record decide. */
const LIVE_ONLY = ["--only", "launcher.,runner.,fs.auth_json,fs.git_write,env.secrets"];
const judge = (setup: Parameters<typeof audit>[0], report: string) =>
  audit(setup, ["--probe-report", report, ...LIVE_ONLY]);
const noBreak = () => {};
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("live session: judged against the host's own record, each result labelled", () => {
  it("a genuine run passes runner.report; a launcher and profile changed since staging fail launcher.integrity (verified on the host); every result says where its evidence came from, the console says so once", async () => {
    await withSetup(noBreak, async (setup) => {
      const { report } = await stage(setup);
      await runnerInside(setup);
      const originals = [setup.launcher, setup.profileFile].map((file) => readFileSync(file, "utf8"));
      for (const [i, file] of [setup.launcher, setup.profileFile].entries())
        writeFileSync(file, `${originals[i]}# x\n`);
      const result = await judge(setup, report);
      expect(result.status("runner.report"), describeRun(result)).toBe("pass");
      const integrity = result.report?.results.find((r) => r.id === "launcher.integrity");
      expect(integrity?.status).toBe("fail");
      expect(integrity?.observed).toMatch(
        new RegExp(
          `^${escaped(setup.launcher)} changed during the live session \\(sha256 [0-9a-f]{12} at staging, sha256 [0-9a-f]{12} now\\) \\(and 1 more\\)$`,
        ),
      );
      expect(integrity?.evidence.join("\n")).toContain(
        `${setup.profileFile} changed during the live session`,
      );
      const from = Object.fromEntries(
        (result.report?.results ?? []).filter((r) => r.status !== "skip").map((r) => [r.id, r.evidenceFrom]),
      );
      expect(from).toEqual({
        "launcher.flags": "host",
        "launcher.integrity": "host",
        "runner.report": "inside",
        "fs.auth_json": "inside",
        "fs.git_write": "inside",
        "env.secrets": "inside",
      });
      expect(result.stdout.split("\n").filter((line) => line.startsWith("  evidence  "))).toEqual([
        "  evidence  live session: 4 results as reported from inside the session (an agent there could have invented them), 2 verified on the host",
      ]);
      expect(result.exitCode).toBe(1);
    });
  });

  it("the runner run on the host (--force): runner.report fails on the host's own namespaces; the repository is restored", async () => {
    await withSetup(noBreak, async (setup) => {
      const head = await gitHead(setup.project);
      const { report } = await stage(setup);
      for (const part of ["local", "net"])
        expect((await runnerOnHost(setup, part, "--force")).stdout).toContain("report=written");
      const result = await judge(setup, report);
      expect(result.status("runner.report"), describeRun(result)).toBe("fail");
      expect(observedOf(result, "runner.report")).toMatch(
        /^the runner ran unsandboxed: shares the host's user, mnt, pid namespaces; effective capabilities 0*[1-9a-f][0-9a-f]*; NoNewPrivs=0$/,
      );
      expect(await gitHead(setup.project)).toBe(head);
    });
  });

  it("an input altered so that the runner does not refuse on the host: the report is not this staging's", async () => {
    await withSetup(noBreak, async (setup) => {
      const { input, report } = await stage(setup);
      const staged = JSON.parse(readFileSync(input, "utf8"));
      staged.hostNamespaces = { user: "user:[1]", mnt: "mnt:[2]", pid: "pid:[3]", net: "net:[4]" };
      writeFileSync(input, JSON.stringify(staged));
      for (const part of ["local", "net"])
        expect((await runnerOnHost(setup, part)).stdout).toContain("report=written");
      const result = await judge(setup, report);
      expect(observedOf(result, "runner.report"), describeRun(result)).toBe(
        "the report is not this staging's: its copy of the host's user, mnt, pid namespaces is not the host's record",
      );
      expect(result.status("runner.report")).toBe("fail");
    });
  });

  it("an earlier report with this staging's nonce put in: it started before the staging", async () => {
    await withSetup(noBreak, async (setup) => {
      const first = await stage(setup);
      await runnerInside(setup);
      const earlier = ["local", "net"].map((part) =>
        readFileSync(first.report.replace("local", part), "utf8"),
      );
      const oldNonce = JSON.parse(earlier[0] as string).nonce as string;
      // The first staging abandoned, its folder removed by hand (its record stays in the setup's home).
      rmSync(join(setup.project, ".codex-smoke"), { recursive: true });

      const second = await stage(setup);
      const nonce = JSON.parse(readFileSync(second.input, "utf8")).nonce as string;
      for (const [i, part] of ["local", "net"].entries())
        writeFileSync(
          second.report.replace("local", part),
          (earlier[i] as string).replaceAll(oldNonce, nonce),
        );
      const result = await judge(setup, second.report);
      expect(result.status("runner.report"), describeRun(result)).toBe("fail");
      expect(observedOf(result, "runner.report")).toMatch(
        /^the report is not this staging's: it started at \S+, outside \S+ – \S+$/,
      );
    });
  });
});

describe("outside a sandbox, the staged runner and probe refuse and write nothing", () => {
  it("the staged runner: exit 3, one line, the repository and the read-only folders untouched", async () => {
    await withSetup(noBreak, async (setup) => {
      const { report } = await stage(setup);
      const head = await gitHead(setup.project);
      const before = treeState(setup.project);
      for (const part of ["local", "net"]) {
        const refused = await runnerOnHost(setup, part);
        expect(refused.code).toBe(3);
        expect(refused.stdout).toMatch(
          /^CODEX_SMOKE_RUNNER nonce=[0-9a-f]{12} part=(local|net) report=refused\n$/,
        );
        expect(refused.stderr).toBe(
          "runner: not inside a Codex sandbox (shares the host's user, mnt, pid namespaces); nothing was written (run it inside the session, or pass --force)\n",
        );
      }
      expect(treeState(setup.project)).toEqual(before);
      expect(await gitHead(setup.project)).toBe(head);
      expect(existsSync(report)).toBe(false);
    });
  });

  it("probe with a staged input: exit 2, the repository untouched", async () => {
    await withSetup(noBreak, async (setup) => {
      await stage(setup);
      const head = await gitHead(setup.project);
      const before = treeState(setup.project);
      const refused = await runCli(["probe"], { env: setup.env, cwd: setup.project });
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toBe(
        "codex-smoke: probe: not inside a Codex sandbox (shares the host's user, mnt, pid namespaces); nothing was written (run it inside the session, or pass --force)\n",
      );
      expect(treeState(setup.project)).toEqual(before);
      expect(await gitHead(setup.project)).toBe(head);
    });
  });
});
