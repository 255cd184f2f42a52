// The recording `codex` shim: a launcher script calls `codex` through PATH, the shim records argv/cwd/env names and
// execs a fake "real codex" that prints what it received.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findOnPath, installShim } from "../src/gather/shim.js";

const CANARY = "canary-9f3b1c7e-not-a-real-secret";
let root: string;
let realCodex: string;
let work: string;

function script(path: string, body: string): string {
  writeFileSync(path, `#!/bin/sh\n${body}`);
  chmodSync(path, 0o755);
  return path;
}

beforeEach(() => {
  const cache = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(cache, { recursive: true });
  root = mkdtempSync(join(cache, "test-shim-"));
  mkdirSync(join(root, "real"));
  work = join(root, "work dir");
  mkdirSync(work);
  // The fake real Codex: one line per argument, then what it sees of the shim's variables and PATH.
  realCodex = script(
    join(root, "real", "codex"),
    `for a in "$@"; do printf 'ARG[%s]\\n' "$a"; done
printf 'OWN=%s\\n' "$(env | grep -c '^CODEX_SMOKE')"
printf 'PATH=%s\\n' "$PATH"
printf 'PWD=%s\\n' "$PWD"
`,
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const ARGS = [
  "exec",
  "--profile",
  "azi4a2-autonomous",
  "-c",
  'approval_policy="never"',
  "two words",
  "it's",
  "",
];

/** A launcher like codex-auto: changes directory, then calls `codex` from PATH with the given arguments. */
function launcher(): string {
  return script(
    join(root, "launcher"),
    `cd "${work}" || exit 9
exec codex exec --profile azi4a2-autonomous -c 'approval_policy="never"' "two words" "it's" "" "$@"
`,
  );
}

describe("installShim", () => {
  it("records the exact argv, cwd and env names, and runs the real codex unchanged", () => {
    const shim = installShim(root, realCodex);
    const basePath = `${join(root, "elsewhere")}${delimiter}/usr/bin${delimiter}/bin`;
    const env = shim.envFor("exec", { PATH: basePath, HOME: root, OPENAI_API_KEY: CANARY });
    const shimDir = env.PATH?.split(delimiter)[0] ?? "";
    expect(readdirSync(shimDir)).toEqual(["codex"]);
    // Nothing added but the shim's folder in front of PATH: a launcher cannot test for a variable of the audit's.
    expect(env).toEqual({ PATH: `${shimDir}${delimiter}${basePath}`, HOME: root, OPENAI_API_KEY: CANARY });

    const out = execFileSync(launcher(), ['a "quoted" arg', "x"], { env, encoding: "utf8" });

    const expectedArgv = [...ARGS, 'a "quoted" arg', "x"];
    // The real codex received exactly the launcher's arguments...
    expect(out.split("\n").filter((l) => l.startsWith("ARG["))).toEqual(expectedArgv.map((a) => `ARG[${a}]`));
    // ...with no variable of codex-smoke's, with the original PATH (no shim dir), in the launcher's cwd.
    expect(out).toContain("OWN=0\n");
    expect(out).toContain(`PATH=${basePath}\n`);
    expect(out).toContain(`PWD=${work}\n`);

    const observed = shim.observed("exec");
    expect(observed?.argv).toEqual(expectedArgv);
    expect(observed?.cwd).toBe(work);
    expect(observed?.envNames).toContain("OPENAI_API_KEY");
    expect(observed?.envNames).toContain("HOME");
    expect(observed?.envNames).toContain("PATH");
    expect(observed?.envNames.filter((n) => n.startsWith("CODEX_SMOKE_"))).toEqual([]);
    expect(observed?.envNames).toEqual([...(observed?.envNames ?? [])].sort());
    expect(shim.observed("tui")).toBeUndefined();
    expect(shim.observed("mcp")).toBeUndefined();

    // Names only: the canary value is in no file the shim wrote.
    const logDir = join(root, "shim-log");
    const files = readdirSync(logDir);
    expect(files.some((f) => f.endsWith(".env"))).toBe(true);
    expect(files.some((f) => f.endsWith(".argv"))).toBe(true);
    for (const dir of [logDir, shimDir]) {
      for (const file of readdirSync(dir))
        expect(readFileSync(join(dir, file), "utf8")).not.toContain(CANARY);
    }
  });

  it("returns the latest call of a kind, and keeps kinds apart", () => {
    const shim = installShim(root, realCodex);
    const base = { PATH: `/usr/bin${delimiter}/bin`, HOME: root };
    execFileSync(launcher(), ["first"], { env: shim.envFor("exec", base) });
    execFileSync(launcher(), ["second"], { env: shim.envFor("exec", base) });
    execFileSync(launcher(), ["for-mcp"], { env: shim.envFor("mcp", base) });
    expect(shim.observed("exec")?.argv.at(-1)).toBe("second");
    expect(shim.observed("mcp")?.argv.at(-1)).toBe("for-mcp");
    expect(shim.observed("tui")).toBeUndefined();
  });

  it("passes a launcher with no codex call through PATH unobserved", () => {
    const shim = installShim(root, realCodex);
    const direct = script(join(root, "direct"), `exec "${realCodex}" exec hi\n`);
    const out = execFileSync(direct, [], {
      env: shim.envFor("exec", { PATH: `/usr/bin${delimiter}/bin` }),
      encoding: "utf8",
    });
    expect(out).toContain("ARG[hi]");
    expect(shim.observed("exec")).toBeUndefined();
  });

  it("installs a real codex path containing a single quote", () => {
    mkdirSync(join(root, "it's here"));
    const odd = script(join(root, "it's here", "codex"), "printf 'ODD %s\\n' \"$@\"\n");
    const shim = installShim(join(root, "run2"), odd);
    const env = shim.envFor("exec", { PATH: `/usr/bin${delimiter}/bin` });
    const out = execFileSync(join(env.PATH?.split(delimiter)[0] ?? "", "codex"), ["x y"], {
      env,
      encoding: "utf8",
    });
    expect(out).toBe("ODD x y\n");
    expect(shim.observed("exec")?.argv).toEqual(["x y"]);
  });
});

describe("findOnPath", () => {
  it("returns the first executable entry, skipping non-executable files and empty entries", () => {
    const a = join(root, "a");
    const b = join(root, "b");
    const c = join(root, "c");
    for (const d of [a, b, c]) mkdirSync(d);
    writeFileSync(join(a, "codex"), "not executable");
    chmodSync(join(a, "codex"), 0o644);
    script(join(b, "codex"), "true\n");
    script(join(c, "codex"), "true\n");
    expect(findOnPath("codex", ["", join(root, "missing"), a, b, c].join(delimiter))).toBe(join(b, "codex"));
    expect(findOnPath("codex", [a, join(root, "missing")].join(delimiter))).toBeNull();
    expect(findOnPath("codex", undefined)).toBeNull();
    expect(findOnPath("codex", "")).toBeNull();
  });
});
