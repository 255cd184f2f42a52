// The interactive session's evidence (the rendered transcript and the raw byte stream codex-smoke saves when a
// session check fails) passes through the redactor: a launcher that prints the key it uses, and a value /status
// draws, put a secret into the pty's bytes and onto the screen, and it must be in neither. One real TUI session (Codex 0.169.0, the mock model); named for the bug
// it kills (issue 20).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startMockResponses } from "../../src/agent/mock-responses.js";
import { Redactor } from "../../src/core/redact.js";
import { buildReferenceSetup } from "../../src/demo/reference-setup.js";
import { runTuiSession, tuiArgs } from "../../src/gather/tui.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("the TUI's evidence", () => {
  it("a secret the session printed is in neither the saved raw stream nor the transcript (kills: the raw stream not redacted)", async () => {
    const setup = await buildReferenceSetup();
    const mock = await startMockResponses({ commands: ["true"] });
    cleanups.push(async () => {
      await mock.close();
      await setup.dispose();
    });
    // The user's launcher, wrapped by one that announces its key before Codex draws anything.
    const launcher = join(setup.root, "codex-auto-verbose");
    writeFileSync(
      launcher,
      `#!/bin/sh\nprintf 'using key %s\\n' '${setup.canary}'\nexec '${setup.launcher}' "$@"\n`,
      {
        mode: 0o755,
      },
    );

    const result = await runTuiSession({
      launcher,
      project: setup.project,
      env: setup.env,
      // And a model named after it, which /status draws on the screen.
      extraArgs: [...tuiArgs(setup.project), ...mock.providerOverrides(), "-c", `model="${setup.canary}"`],
      timeoutMs: 60_000,
      expectedServers: ["playwright", "openaiDeveloperDocs"],
      redact: (text) => new Redactor([setup.canary]).redact(text),
    });

    expect(result.ok, result.ok ? "" : result.error).toBe(true);
    if (!result.ok) return;
    const { rawStream, transcript } = result.value;
    // The secret really went through the pty: where it was, the value is replaced.
    expect(rawStream).toContain("using key ***");
    expect(rawStream).not.toContain(setup.canary);
    expect(transcript).toMatch(/Model: +\*\*\* \(reasoning/);
    expect(transcript).not.toContain(setup.canary);
  });
});
