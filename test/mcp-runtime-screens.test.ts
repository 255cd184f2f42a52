// The runtime turn's screens as 0.150 and 0.169 drew them (test/fixtures/mcp-runtime): a form that waits is found
// and quoted by its question; a finished turn, a rejection and a timeout are no blockers.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeBlocker, screenBlocker } from "../src/gather/mcp-runtime-screens.js";

const screen = (name: string) =>
  readFileSync(new URL(`./fixtures/mcp-runtime/${name}.screen.txt`, import.meta.url), "utf8");

const APPROVAL = 'Allow the playwright MCP server to run tool "codex_smoke_probe"?';
const FORM = "codex-smoke: an MCP server asks for input (an unattended session must decline this)";

describe.each(["0.150.0", "0.169.0"])("screenBlocker on Codex %s", (release) => {
  it("finds no form when the turn ended, also with a rejected call and a timed-out one", () => {
    expect(screenBlocker(screen(`${release}-pass`))).toBeNull();
    expect(screenBlocker(screen(`${release}-noapprove`))).toBeNull();
  });

  it("quotes the approval prompt (on-request, no approve override)", () => {
    const blocker = screenBlocker(screen(`${release}-onrequest-noapprove`));
    expect(blocker).toEqual({ kind: "approval prompt", question: APPROVAL });
    expect(describeBlocker(blocker as NonNullable<typeof blocker>)).toBe(
      `approval prompt on screen: "${APPROVAL}"`,
    );
  });

  it("quotes the elicitation form by its message, not by the call drawn above it (on-request)", () => {
    expect(screenBlocker(screen(`${release}-onrequest`))).toEqual({
      kind: "elicitation form",
      question: FORM,
    });
  });
});

describe("screenBlocker on partial screens", () => {
  it("needs the submit line, a Field line before it and a question between them", () => {
    expect(screenBlocker('  Field 1/1\n  Allow the x MCP server to run tool "t"?\n')).toBeNull();
    expect(
      screenBlocker('  Allow the x MCP server to run tool "t"?\n  enter to submit | esc to cancel'),
    ).toBeNull();
    expect(screenBlocker("  Field 1/1\n\n  enter to submit | esc to cancel")).toBeNull();
    expect(screenBlocker("  Field 2/3\n\n  Name?\n  enter to submit | esc to cancel")).toEqual({
      kind: "elicitation form",
      question: "Name?",
    });
  });
});
