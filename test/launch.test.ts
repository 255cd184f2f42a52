// One Codex launch through the launcher (src/gather/launch.ts) on real processes: a launch that outlasts its timeout
// has its whole group killed, TERM-proof children too, and the call returns; a launcher that cannot start is a spawn
// error, not an exit code.
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { launch } from "../src/gather/launch.js";
import { killTagged, tagged, watchdog } from "./helpers/tagged-processes.js";

afterEach(killTagged);

const TAG = "CODEX_SMOKE_GUARD_TEST";

describe("launch", () => {
  it("a launch past its timeout is killed with its whole group (children that ignore SIGTERM too) and reported as timed out", async () => {
    const tag = randomBytes(6).toString("hex");
    watchdog(tag, 60);
    const script = "trap '' TERM; sleep 30 & sleep 30 & echo started; wait";
    const result = await launch("sh", ["-c", script], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", [TAG]: tag },
      timeoutMs: 300,
    });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.spawnError).toBeNull();
    expect(result.stdout).toBe("started\n");
    expect(tagged(tag)).toEqual([]);
  });

  it("a launch that ends in time keeps its output as written, its exit code, and only the environment given", async () => {
    const result = await launch(
      "sh",
      ["-c", 'printf "out\\n"; test -n "$HOME" || printf unset >&2; exit 7'],
      {
        cwd: tmpdir(),
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
        timeoutMs: 10_000,
      },
    );
    expect(result).toMatchObject({
      exitCode: 7,
      timedOut: false,
      stdout: "out\n",
      stderr: "unset",
      spawnError: null,
    });
  });

  it("a launcher that does not exist is a spawn error naming the cause, with no exit code", async () => {
    const result = await launch("/nonexistent/codex-auto", [], { cwd: tmpdir(), env: {}, timeoutMs: 10_000 });
    expect(result.spawnError).toMatch(/^ENOENT: /);
    expect(result.exitCode).toBeNull();
    expect(result.timedOut).toBe(false);
  });
});
