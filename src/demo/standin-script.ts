// The stdio MCP stand-in as a file node can run: the compiled module next to this one, or, when running from the
// TypeScript sources (tests), the source transpiled into a directory of the caller's (it imports only node
// builtins). Used by the reference setup (its `playwright` server) and the audit's MCP runtime turn.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export async function stdioStandinScript(dir: string): Promise<string> {
  const compiled = fileURLToPath(new URL("./mcp-stdio-standin.js", import.meta.url));
  if (existsSync(compiled)) return compiled;
  const { default: ts } = await import("typescript");
  const source = await readFile(fileURLToPath(new URL("./mcp-stdio-standin.ts", import.meta.url)), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const script = join(dir, "mcp-stdio-standin.mjs");
  await mkdir(dir, { recursive: true });
  await writeFile(script, outputText);
  return script;
}
