#!/usr/bin/env node
// Bundles the in-sandbox runner (src/runner/main.ts and the modules it imports) into one dependency-free file,
// dist/runner.mjs: inside the sandbox only the runtime, the Codex package and the project are readable, so the
// runner cannot load anything from codex-smoke's node_modules (decisions §6, §21).
import { build } from "esbuild";

await build({
  entryPoints: [new URL("../src/runner/main.ts", import.meta.url).pathname],
  outfile: new URL("../dist/runner.mjs", import.meta.url).pathname,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node18",
  banner: { js: "// codex-smoke in-sandbox runner (generated from src/runner by scripts/bundle-runner.mjs)" },
  logLevel: "warning",
});
