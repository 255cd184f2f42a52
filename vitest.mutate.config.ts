// The fast tests that mutation testing (`npm run mutate`) runs against the scope it mutates (scripts/mutate-scopes.mjs,
// chosen through CODEX_SMOKE_MUTATE): pure functions over facts and captured text, real files, processes and git,
// no real Codex, no build (no globalSetup).
import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { mutationScope } from "./scripts/mutate-scopes.mjs";

const scope = mutationScope();
const skipped = (scope.skip ?? []).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
const last = new Set(scope.last ?? []);

/**
 * vitest's own order runs the slowest file first; Stryker stops a mutant's run at its first failing test. The scope's
 * `last` files run after the others, in path order, so a mutant a cheap test kills never waits for a slow one.
 */
class CheapFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const path = relative(file.project.config.root, file.moduleId);
      return { late: last.has(path) ? 1 : 0, path };
    };
    return [...files].sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x.late - y.late || x.path.localeCompare(y.path);
    });
  }
}

export default defineConfig({
  test: {
    include: scope.tests,
    ...(skipped.length > 0 ? { testNamePattern: new RegExp(`^(?!.*(?:${skipped.join("|")}))`) } : {}),
    testTimeout: 30_000,
    pool: "forks",
    sequence: { sequencer: CheapFirst },
  },
});
