import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two test files at a time even on 2 cores (vitest's default there is one): most of a real-Codex test is waiting
    // on Codex, so the suite took 454 s serially and 360 s with two workers on an idle 2-core machine.
    maxWorkers: 2,
  },
});
