// `codex-smoke probe` (the agent's door inside a live session) uses the same checks over the same facts as the host
// (one engine), and outside a sandbox it writes nothing unless asked.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { insideVerdicts } from "../src/commands/probe.js";
import { runCheck } from "../src/core/engine.js";
import { DEFAULT_EXPECTATIONS } from "../src/core/expectations.js";
import type { FactValues } from "../src/core/model.js";
import { factsOf } from "./checks/rule-tester.js";
import { attempt, healthyFacts } from "./fixtures/facts/healthy.js";
import { runCli } from "./helpers/audit.js";
import { treeState } from "./helpers/tree.js";

const variants: Array<[string, (f: FactValues) => void]> = [
  ["healthy", () => {}],
  [
    "auth.json readable, .git writable",
    (f) => {
      for (const entry of f.runner.authJson) entry.open = { ok: true };
      f.runner.git.add = { ok: true };
    },
  ],
  [
    "unsandboxed",
    (f) => {
      f.runner.attestation.namespaces = {
        ...(f.runner.attestation.hostNamespaces ?? f.runner.attestation.namespaces),
      };
    },
  ],
  [
    "network off",
    (f) => {
      f.network.report.registry = [
        attempt("curl", "https://registry.example.invalid/astro", { curlExit: 6 }),
      ];
    },
  ],
  [
    "TLS verification off",
    (f) => {
      f.runner.env.insecureSwitches = { NODE_TLS_REJECT_UNAUTHORIZED: "0" };
    },
  ],
  [
    "a secret visible",
    (f) => {
      f.runner.env.secretNames = ["OPENAI_API_KEY"];
    },
  ],
];

describe("probe's table and the audit agree", () => {
  it.each(variants)("%s", (_name, mutate) => {
    const values = healthyFacts();
    mutate(values);
    const inside = insideVerdicts(values.runner, values.network.report);
    expect(inside.results.length).toBeGreaterThan(4);
    for (const result of inside.results) {
      const check = checks.find((c) => c.id === result.id);
      if (!check) throw new Error(result.id);
      const host = runCheck(check, factsOf(values), { expect: DEFAULT_EXPECTATIONS });
      expect([result.id, result.status]).toEqual([result.id, host.status]);
    }
    expect(inside.hostSide).toContain("fs.git_write");
    expect([...inside.results.map((r) => r.id), ...inside.hostSide].sort()).toEqual(
      checks.map((c) => c.id).sort(),
    );
  });
});

describe("probe outside a sandbox", () => {
  it("writes nothing and says so in one line (exit 2)", async () => {
    const dir = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "probe-outside-"));
    try {
      const before = treeState(dir);
      const result = await runCli(["probe"], {
        env: { ...process.env, HOME: dir } as Record<string, string>,
        cwd: dir,
      });
      expect(result.exitCode).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(
        /^codex-smoke: probe: not inside a Codex sandbox \(pid 1 is .*\); nothing was written/,
      );
      expect(treeState(dir)).toEqual(before);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
