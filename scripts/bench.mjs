#!/usr/bin/env node
// Benchmark: wall time of full demo audits (`npm run bench [-- runs]`), plus the TUI-only and exec-only audits,
// so a change in speed shows as a figure, not an impression. Builds first (`prebench`).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const runs = Number(process.argv[2] ?? 3);
const cli = new URL("../dist/src/cli.js", import.meta.url).pathname;
const scenarios = [
  ["full audit", []],
  ["TUI step only (tui.permissions, mcp.servers, mcp.runtime)", ["--only", "tui.,mcp.servers,mcp.runtime"]],
  ["exec + runner only (fs., net., env.)", ["--only", "fs.,net.,env.,runner.,banner.sandbox"]],
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const [name, args] of scenarios) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), "codex-smoke-bench-"));
    const started = performance.now();
    try {
      execFileSync(process.execPath, [cli, "demo", "--format", "json", "--out", out, ...args], {
        stdio: "ignore",
      });
    } catch (error) {
      if (error.status !== 1 && error.status !== 3) throw error;
    }
    times.push(performance.now() - started);
    const report = JSON.parse(readFileSync(join(out, "codex-smoke.json"), "utf8"));
    rmSync(out, { recursive: true, force: true });
    if (i === 0) console.log(`${name}: ${JSON.stringify(report.summary)}`);
  }
  console.log(
    `${name}: median ${(median(times) / 1000).toFixed(2)} s over ${runs} runs (${times.map((t) => (t / 1000).toFixed(2)).join(", ")})`,
  );
}
