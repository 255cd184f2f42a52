// Integration tests run the real CLI (`dist/src/cli.js`) as users do, so the suite compiles it once first.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url)), "-p", "tsconfig.json"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
}
