import { defineConfig } from "vitest/config";

// Files whose test races a busy process against the host: beside another test file on 2 cores their racer starved
// (the staging race took over 120 s instead of 5 s), so they run alone, after the rest.
const ALONE = ["test/host-staging-race.test.ts"];

// Each project's own options: a project that extends the root would also run the root's global setup (a build).
const shared = { testTimeout: 120_000, hookTimeout: 120_000, pool: "forks" } as const;

export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    projects: [
      // Two files at a time, also on 2 cores: most of a real-Codex test is waiting on Codex (454 s -> 375 s).
      { test: { ...shared, name: "suite", include: ["test/**/*.test.ts"], exclude: ALONE, maxWorkers: 2 } },
      {
        test: {
          ...shared,
          name: "alone",
          include: ALONE,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
