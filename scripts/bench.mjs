#!/usr/bin/env node
// Benchmark: wall time of full demo audits (`npm run bench [-- runs]`), the TUI-only and exec-only audits, and the
// by-hand floor (one interactive session typed as a person would, scripts/by-hand.mjs), run in turns so that a
// change in the machine's load touches every figure alike; then the ratios issue 23 asks for. Builds first
// (`prebench`). The first audit fills the support cache (what the Codex binary supports) and is reported apart:
// the figures are for an audit of a Codex that was audited before. The load average is printed with the figures.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { byHandSeconds } from "./by-hand.mjs";

const runs = Number(process.argv[2] ?? 3);
const cli = new URL("../dist/src/cli.js", import.meta.url).pathname;
const AUDITS = {
  full: ["full audit", []],
  tui: [
    "TUI step only (tui.permissions, mcp.servers, mcp.runtime)",
    ["--only", "tui.,mcp.servers,mcp.runtime"],
  ],
  // The first interactive session alone: what the MCP runtime session (a second one) adds to the step.
  tuiFirst: ["first TUI session only (tui.permissions, mcp.servers)", ["--only", "tui.,mcp.servers"]],
  exec: ["exec + runner only (fs., net., env.)", ["--only", "fs.,net.,env.,runner.,banner.sandbox"]],
};
const BY_HAND = "by-hand floor (one TUI session: start, /status, /mcp verbose, quit)";
/** Issue 23's targets. */
const TARGETS = { byHand: 0.3, tuiOnly: 1.15 };

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

/** One `codex-smoke demo` run: seconds, and the report's summary. */
function audit(args) {
  const out = mkdtempSync(join(tmpdir(), "codex-smoke-bench-"));
  const started = performance.now();
  try {
    execFileSync(process.execPath, [cli, "demo", "--format", "json", "--out", out, ...args], {
      stdio: "ignore",
    });
  } catch (error) {
    if (error.status !== 1 && error.status !== 3) throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  const report = JSON.parse(readFileSync(join(out, "codex-smoke.json"), "utf8"));
  rmSync(out, { recursive: true, force: true });
  return { seconds, summary: report.summary };
}

console.log(`load average (1, 5, 15 min) at start: ${load()}`);
const first = audit(AUDITS.full[1]);
console.log(`first full audit (fills the support cache): ${first.seconds.toFixed(2)} s`);

const times = { full: [], tui: [], tuiFirst: [], exec: [], byHand: [] };
for (let i = 0; i < runs; i++) {
  for (const [key, [name, args]] of Object.entries(AUDITS)) {
    const { seconds, summary } = audit(args);
    times[key].push(seconds);
    if (i === 0) console.log(`${name}: ${JSON.stringify(summary)}`);
  }
  times.byHand.push(await byHandSeconds());
}

const line = (name, values) =>
  `${name}: median ${median(values).toFixed(2)} s over ${runs} runs (${values.map((t) => t.toFixed(2)).join(", ")})`;
for (const [key, [name]] of Object.entries(AUDITS)) console.log(line(name, times[key]));
console.log(line(BY_HAND, times.byHand));
const full = median(times.full);
const ratio = (value, target) => `${value.toFixed(2)} (target ≤ ${target.toFixed(2)})`;
console.log(`ratio full audit / by-hand floor: ${ratio(full / median(times.byHand), TARGETS.byHand)}`);
console.log(`ratio full audit / TUI-only audit: ${ratio(full / median(times.tui), TARGETS.tuiOnly)}`);
console.log(
  `ratio full audit / first TUI session only: ${ratio(full / median(times.tuiFirst), TARGETS.tuiOnly)}`,
);
console.log(`load average (1, 5, 15 min) at end: ${load()}`);
