// The command runner (src/util/command.ts) on real processes: the environment laid over this process's or given
// whole, output kept as written up to a cap, stdin closed, a time limit that kills, a program
// that cannot start told apart from one that failed.
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { runCommand, startCommand } from "../src/util/command.js";

const PATH = process.env.PATH ?? "/usr/bin:/bin";

describe("runCommand", () => {
  it("lays the environment over this process's, an undefined value unsetting a variable", async () => {
    process.env.CODEX_SMOKE_COMMAND_TEST = "inherited";
    try {
      const result = await runCommand(
        "sh",
        [
          "-c",
          'printf "%s|%s|" "$CODEX_SMOKE_COMMAND_TEST" "$ADDED"; [ -n "$HOME" ] && printf set || printf unset',
        ],
        {
          env: { ADDED: "added", HOME: undefined },
        },
      );
      expect(result.stdout).toBe("inherited|added|unset");
    } finally {
      delete process.env.CODEX_SMOKE_COMMAND_TEST;
    }
  });

  it("with exactEnv the environment given is all the program sees", async () => {
    const result = await runCommand("sh", ["-c", '[ -n "$HOME" ] && printf set || printf unset'], {
      env: { PATH },
      exactEnv: true,
    });
    expect(result.stdout).toBe("unset");
  });

  it("keeps the output as written and the exit code", async () => {
    const script = 'printf "a\\nb\\n"; printf "e\\r\\n" >&2; exit 3';
    expect(await runCommand("sh", ["-c", script], { cwd: tmpdir() })).toEqual({
      exitCode: 3,
      signal: null,
      stdout: "a\nb\n",
      stderr: "e\r\n",
      timedOut: false,
      spawnError: null,
    });
  });

  it("keeps at most maxBuffer bytes of each output, over several writes, and reads the rest, so the program ends", async () => {
    const big = await runCommand("sh", ["-c", "head -c 100000 /dev/zero; printf done >&2"], {
      maxBuffer: 10,
    });
    expect(big.stdout).toHaveLength(10);
    expect(big.stderr).toBe("done");
    expect(big.exitCode).toBe(0);
    const pieces = await runCommand("sh", ["-c", "printf abc; sleep 0.2; printf defghijklmnop"], {
      maxBuffer: 10,
    });
    expect(pieces.stdout).toBe("abcdefghij");
  });

  it("the program's stdin is closed: one that reads it ends at once", async () => {
    expect(await runCommand("cat", [], { timeoutMs: 5_000 })).toMatchObject({ exitCode: 0, timedOut: false });
  });

  it("kills a program past its time limit and says so", async () => {
    const result = await runCommand("sh", ["-c", "echo started; exec sleep 30"], { timeoutMs: 200 });
    expect(result).toMatchObject({ exitCode: null, signal: "SIGKILL", timedOut: true, stdout: "started\n" });
  });

  it("a program that cannot start is a spawn error with no exit code, not a failure of the program", async () => {
    const result = await runCommand("/nonexistent/program", []);
    expect(result.spawnError).toMatch(/^ENOENT: spawn \/nonexistent\/program ENOENT$/);
    expect(result.exitCode).toBeNull();
    expect(result.timedOut).toBe(false);
  });
});

describe("startCommand", () => {
  it("gives the pid at once and passes a signal to the program", async () => {
    const running = startCommand("sh", ["-c", "exec sleep 30"]);
    expect(running.pid).toBeGreaterThan(0);
    running.kill("SIGTERM");
    expect(await running.result).toMatchObject({ exitCode: null, signal: "SIGTERM", timedOut: false });
  });

  it("detached, the program leads a process group of its own; else it stays in this process's", async () => {
    const groupOf = async (detached: boolean) => {
      const running = startCommand("sh", ["-c", "ps -o pgid= -p $$"], detached ? { detached } : {});
      return { pid: running.pid, group: Number((await running.result).stdout.trim()) };
    };
    const detached = await groupOf(true);
    expect(detached.group).toBe(detached.pid);
    const own = await runCommand("ps", ["-o", "pgid=", "-p", String(process.pid)]);
    expect((await groupOf(false)).group).toBe(Number(own.stdout.trim()));
  });
});
