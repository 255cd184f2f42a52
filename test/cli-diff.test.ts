// `diff` and `--baseline` as users call them: a regression is exit 1, a clean comparison exit 0.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { audit, runCli, withSetup } from "./helpers/audit.js";

const fixture = (name: string) => new URL(`./fixtures/reports/${name}.json`, import.meta.url).pathname;
const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
const dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-diff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("codex-smoke diff", () => {
  it("reports a regression (fs.auth_json pass → fail) and exits 1", async () => {
    const result = await runCli(["diff", fixture("sample"), fixture("sample-later")], { env });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("fs.auth_json");
    expect(result.stdout).toMatch(/regression/i);
  });

  it("a Codex upgrade alone is changed evidence, not a regression: exit 0", async () => {
    const sample = JSON.parse(readFileSync(fixture("sample"), "utf8"));
    const header = { version: "0.150.0", sandbox: "workspace-write [workdir] (network access enabled)" };
    const oldFile = join(dir, "codex-0.150.json");
    const newFile = join(dir, "codex-0.171.json");
    writeFileSync(
      oldFile,
      JSON.stringify({
        ...sample,
        target: { ...sample.target, codexVersion: "0.150.0", execHeader: header },
      }),
    );
    const newHeader = { ...header, version: "0.171.0" };
    writeFileSync(
      newFile,
      JSON.stringify({
        ...sample,
        target: { ...sample.target, codexVersion: "0.171.0", execHeader: newHeader },
      }),
    );
    const result = await runCli(["diff", oldFile, newFile], { env });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("0 regressions, 0 fixes, 0 other status changes, 2 changed evidence");
    expect(result.stdout).toContain(
      "Changed evidence\n  Codex version\n      before: 0.150.0\n      after:  0.171.0\n",
    );
    expect(result.stdout).toContain("  exec header version\n      before: 0.150.0\n      after:  0.171.0\n");
  });

  it("a report compared with itself has no regression: exit 0", async () => {
    const result = await runCli(["diff", fixture("sample"), fixture("sample")], { env });
    expect(result.exitCode).toBe(0);
  });
});

describe("run --baseline", () => {
  it("a check that passed in the baseline and cannot be tested now is a regression: exit 1 instead of 3", async () => {
    await withSetup(
      () => {},
      async (setup) => {
        const only = ["--only", "net.registry"];
        const first = await audit(setup, only);
        expect(first.status("net.registry")).toBe("pass");
        const baselineFile = join(dir, "baseline.json");
        writeFileSync(baselineFile, JSON.stringify(first.report));

        // Nothing listens on port 9: the host control fails too, so net.registry is `error` (could not test).
        const unreachable = [...only, "--registry", "http://127.0.0.1:9/"];
        const alone = await audit(setup, unreachable);
        expect(alone.status("net.registry")).toBe("error");
        expect(alone.exitCode).toBe(3);
        const compared = await audit(setup, [...unreachable, "--baseline", baselineFile]);
        expect(compared.status("net.registry")).toBe("error");
        expect(compared.stdout).toMatch(/net\.registry/);
        expect(compared.exitCode).toBe(1);
      },
    );
  });
});
