import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { asksForHelp, parseCommandArgs } from "../src/commands/args.js";
import { RUN_OPTIONS, selection } from "../src/commands/options.js";
import { runArgs, runCli, withSetup } from "./helpers/audit.js";

describe("parseCommandArgs", () => {
  it.each([
    [["--timeout", "5"], { timeout: "5" }],
    [["--timeout=5"], { timeout: "5" }],
    [["--timeout", "-5"], { timeout: "-5" }],
    [["--timeout", "-0.5"], { timeout: "-0.5" }],
    [["--out", "-reports"], { out: "-reports" }],
    [["--out=--odd"], { out: "--odd" }],
    [["--only", "fs", "--only=net.,env"], { only: ["fs", "net.,env"] }],
    [["--quiet", "-h"], { quiet: true, help: true }],
    [["--out", "a", "--out", "b"], { out: "b" }],
  ])("%j → %j", (args, values) => {
    const specs = { ...RUN_OPTIONS, help: { type: "boolean", short: "h" } } as const;
    expect(parseCommandArgs("run", specs, args).values).toEqual(values);
  });

  it.each([
    [["--nope"], "run: unknown option --nope (see codex-smoke run --help)"],
    [["-q"], "run: unknown option -q (see codex-smoke run --help)"],
    [["--timeout"], "--timeout: needs a value"],
    [["--timeout="], "--timeout: needs a value"],
    [["--timeout", "--quiet"], "--timeout: needs a value"],
    [["--timeout", "--"], "--timeout: needs a value"],
    [["--quiet=1"], '--quiet: takes no value (got "1")'],
  ])("%j is refused: %s", (args, message) => {
    expect(() => parseCommandArgs("run", RUN_OPTIONS, args)).toThrow(message);
  });

  it("keeps positionals, and everything after -- is one", () => {
    expect(parseCommandArgs("diff", {}, ["a.json", "--", "--b.json"]).positionals).toEqual([
      "a.json",
      "--b.json",
    ]);
  });

  it.each([
    [["--help"], true],
    [["--out", "x", "-h"], true],
    [["--", "--help"], false],
    [["--helpful"], false],
  ])("asksForHelp(%j) is %s", (args, asks) => {
    expect(asksForHelp(args)).toBe(asks);
  });
});

describe("--only / --skip selectors", () => {
  const ids = (only: string[], skip: string[] = []) => [...selection(only, skip)].sort();

  it.each([
    [["runner"], ["runner.report"]],
    [["net"], ["net.profile_rules", "net.registry", "net.tls_verify"]],
    [["net."], ["net.profile_rules", "net.registry", "net.tls_verify"]],
    [
      ["fs.auth_json", "host"],
      ["fs.auth_json", "host.sandbox"],
    ],
  ])("--only %j selects %j", (only, selected) => {
    expect(ids(only)).toEqual(selected);
  });

  it("--skip takes areas too", () => {
    const all = ids([]);
    const skipped = ids([], ["fs", "net", "runner", "env"]);
    expect(all.length - skipped.length).toBe(14);
    expect(skipped.some((id) => /^(fs|net|runner|env)\./.test(id))).toBe(false);
  });

  it.each([["fs.auth"], ["f"], ["fs.auth_json."]])("%s matches nothing: a usage error", (selector) => {
    expect(() => selection([selector], [])).toThrow(`--only: no check matches "${selector}"`);
  });
});

describe("a real run selected by area", () => {
  it("--only config --skip config.mcp_approval_tables,config.project_override,config.layers runs config.profile alone", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const run = await runCli(
          runArgs(
            setup,
            "--only",
            "config",
            "--skip",
            "config.mcp_approval_tables,config.project_override,config.layers",
            "--quiet",
          ),
          { env: setup.env, cwd: setup.root },
        );
        expect(run.stderr).toBe(
          `codex-smoke: 1 passed, ${checks.length - 1} skipped; report: reports/codex-smoke.json\n`,
        );
        expect(run.exitCode).toBe(0);
      },
    );
  });
});
