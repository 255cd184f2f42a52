// Integration (real Codex): on a Codex home whose databases are new, one Codex launch sets them up before any other
// starts (src/audit/launches.ts). Two processes migrating them at once race, and 0.150 then refuses one ("local
// database appears to be damaged … table queued_thread_revisions already exists"): `tui.permissions` was an error
// in 4 of 52 demo audits of 0.150 run two at a time, when exec and the first session started together (0 of 56
// since). The launcher notes, as each launch starts, whether the databases are there yet: the race cannot be
// provoked on demand, but the order that prevents it can be seen.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit, launcherPrepends, withSetup } from "./helpers/audit.js";

/** `<first argument of the launch> new|set-up`: an exec launch is `exec`, an interactive session `--no-alt-screen`. */
const noteDatabases = (log: string) =>
  `{ ls "$CODEX_HOME"/*.sqlite >/dev/null 2>&1 && echo "$1 set-up" || echo "$1 new"; } >> '${log}'`;

describe.concurrent("launch order on a new Codex home", () => {
  it.each([
    {
      name: "exec starts once the first interactive session has set the databases up",
      only: "tui.permissions,banner.sandbox",
      checks: ["tui.permissions", "banner.sandbox"],
      order: ["--no-alt-screen new", "exec set-up"],
    },
    {
      name: "with no first session, the MCP runtime session starts once exec has set them up",
      only: "mcp.runtime,banner.sandbox",
      checks: ["mcp.runtime", "banner.sandbox"],
      order: ["exec new", "--no-alt-screen set-up"],
    },
  ])("$name", async ({ only, checks, order }) => {
    await withSetup(
      () => undefined,
      async (setup) => {
        const log = join(setup.root, "launches.log");
        launcherPrepends(setup, noteDatabases(log));
        const run = await audit(setup, ["--only", only]);
        for (const id of checks) expect(run.status(id), run.observed(id)).toBe("pass");
        expect(readFileSync(log, "utf8").trimEnd().split("\n")).toEqual(order);
      },
    );
  });
});
