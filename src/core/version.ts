import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** codex-smoke's own package directory: the nearest package.json above this module (src/ or dist/src/). */
export const PACKAGE_DIR: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
      if (pkg.name === "codex-smoke") return dir;
    } catch {
      // keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("codex-smoke: package.json not found above the installed files");
    dir = parent;
  }
})();

export const VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as { version: string }
).version;
