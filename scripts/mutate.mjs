#!/usr/bin/env node
// `npm run mutate` runs Stryker over the default scope (checks/ and the parsers in src/gather/);
// `npm run mutate -- src/audit` over one guard folder (scripts/mutate-scopes.mjs lists them). Any further argument
// goes to Stryker, e.g. `npm run mutate -- src/audit --concurrency 1` on a machine others share.
import { spawnSync } from "node:child_process";
import { SCOPES } from "./mutate-scopes.mjs";

const [first, ...rest] = process.argv.slice(2);
const named = first !== undefined && !first.startsWith("-");
const scope = named ? first.replace(/\/+$/, "") : "default";
if (!SCOPES[scope]) {
  process.stderr.write(`mutate: no scope ${scope}; one of: ${Object.keys(SCOPES).join(", ")}\n`);
  process.exit(2);
}
const args = named ? rest : process.argv.slice(2);
const stryker = new URL("../node_modules/@stryker-mutator/core/bin/stryker.js", import.meta.url).pathname;
const result = spawnSync(process.execPath, [stryker, "run", ...args], {
  stdio: "inherit",
  env: { ...process.env, CODEX_SMOKE_MUTATE: scope },
});
process.exit(result.status ?? 1);
