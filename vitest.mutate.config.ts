// The fast unit tests that mutation testing (`npm run mutate`) runs against checks/ and the parsers in
// src/gather/: pure functions over facts and captured text, no real Codex, no build (no globalSetup).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/checks/**/*.test.ts",
      "test/engine.test.ts",
      "test/config.test.ts",
      "test/codex-argv.test.ts",
      "test/exec-header.test.ts",
      "test/launcher-static.test.ts",
      "test/launcher-static-expansions.test.ts",
      "test/mcp-get-parse.test.ts",
      "test/net-checks.test.ts",
      "test/net-classify.test.ts",
      "test/proxy-kill.test.ts",
      "test/tui-screens.test.ts",
      "test/tui-screens-written.test.ts",
    ],
    testTimeout: 30_000,
    pool: "forks",
  },
});
