// Temp folders for tests that need real files: under ~/.cache/codex-smoke, where the suite keeps them (see
// test/global-setup.ts), each removed after the test that made it.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

/**
 * Registers the removal in the calling test file. `tempDir` makes a fresh folder named `<prefix>…`;
 * `removeAfterTest` adds any other path the test made (a staging record in the user's cache).
 */
export function tempDirs(defaultPrefix: string) {
  const made: string[] = [];
  afterEach(() => {
    for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
  });
  const removeAfterTest = (path: string): void => {
    made.push(path);
  };
  const tempDir = (prefix = defaultPrefix): string => {
    const parent = join(homedir(), ".cache", "codex-smoke");
    mkdirSync(parent, { recursive: true });
    const dir = mkdtempSync(join(parent, prefix));
    removeAfterTest(dir);
    return dir;
  };
  return { tempDir, removeAfterTest };
}
