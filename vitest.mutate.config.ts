// The fast tests that mutation testing (`npm run mutate`) runs against the scope it mutates (scripts/mutate-scopes.mjs,
// chosen through CODEX_SMOKE_MUTATE): pure functions over facts and captured text, real files, processes and git,
// no real Codex, no build (no globalSetup).
import { defineConfig } from "vitest/config";
import { mutationScope } from "./scripts/mutate-scopes.mjs";

const scope = mutationScope();
const skipped = (scope.skip ?? []).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

export default defineConfig({
  test: {
    include: scope.tests,
    ...(skipped.length > 0 ? { testNamePattern: new RegExp(`^(?!.*(?:${skipped.join("|")}))`) } : {}),
    testTimeout: 30_000,
    pool: "forks",
  },
});
