// A staging request for the guard tests of src/audit/stage.ts: a project and a HOME with its `.codex` made at the
// given places, nothing read-only, no outside files, no canaries, a watched run; `overrides` set the rest.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { StageRequest } from "../../src/audit/stage.js";

export function stageRequest(
  at: { project: string; home: string; nonce: string },
  overrides: Partial<StageRequest> = {},
): StageRequest {
  const codexHome = join(at.home, ".codex");
  mkdirSync(at.project, { recursive: true });
  mkdirSync(codexHome, { recursive: true });
  return {
    nonce: at.nonce,
    project: at.project,
    home: at.home,
    codexHome,
    readonlyPaths: [],
    outsideWriteDirs: [],
    outsideReadFiles: [],
    registryUrl: null,
    stagingName: `.codex-smoke-${at.nonce}`,
    placeCanaries: false,
    launcherFiles: [],
    watched: true,
    ...overrides,
  };
}
