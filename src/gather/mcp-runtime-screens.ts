// What the interactive session shows during the MCP runtime turn, read from the rendered screen (pure). A tool call
// that needs an answer draws a form below the running calls and waits: `Field 1/1`, the question, the choices,
// `enter to submit | esc to cancel` (0.150 → 0.171). The question tells the two kinds apart: `Allow the <server>
// MCP server to run tool "<tool>"?` is an approval prompt; anything else is the form of an elicitation (its
// message). With calls running in parallel, the `• Calling …` line above the form need not be its call: the
// question is what is quoted.

/** A prompt on the screen that waits for a human. */
export interface ScreenBlocker {
  kind: "approval prompt" | "elicitation form";
  /** The question, e.g. `Allow the playwright MCP server to run tool "codex_smoke_probe"?`. */
  question: string;
}

const SUBMIT_LINE = /^\s*enter to submit \| esc to cancel\s*$/;
const FIELD_LINE = /^\s*Field \d+\/\d+\b/;
const APPROVAL_QUESTION = /^Allow the .+ MCP server to run tool /;

/** Index of the last line before `end` that matches, or -1. */
function lastMatch(lines: readonly string[], pattern: RegExp, end = lines.length): number {
  for (let i = end - 1; i >= 0; i--) if (pattern.test(lines[i] as string)) return i;
  return -1;
}

/** The last form on the screen that waits for an answer, or null when none is drawn. */
export function screenBlocker(screen: string): ScreenBlocker | null {
  const lines = screen.split("\n");
  const submit = lastMatch(lines, SUBMIT_LINE);
  if (submit < 0) return null;
  const field = lastMatch(lines, FIELD_LINE, submit);
  if (field < 0) return null;
  const question = lines
    .slice(field + 1, submit)
    .map((line) => line.trim())
    .find((line) => line !== "");
  if (question === undefined) return null;
  return { kind: APPROVAL_QUESTION.test(question) ? "approval prompt" : "elicitation form", question };
}

/** The blocker in one line, as a finding quotes it. */
export function describeBlocker(blocker: ScreenBlocker): string {
  return `${blocker.kind} on screen: "${blocker.question}"`;
}
