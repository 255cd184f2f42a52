// decisions §28: every string that came from input (sandbox reports, Codex's output, `--expect`, `--baseline` and
// `diff` files, file names, keys and ids) reaches a terminal, a Markdown page, JUnit or TAP with its control
// characters escaped: C0 and C1 (a raw U+009B starts a CSI sequence as ESC [ does), DEL, and the bidi overrides
// and isolates that make text read otherwise than it is stored. Escaped, not dropped: what the input tried to do
// stays visible. JSON keeps them as JSON escapes, including the ones JSON.stringify leaves raw.

/** Colour codes Codex prints (ESC [ … m): style only, dropped; every other sequence is escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const SGR = /\u001B\[[0-9;:]*m/g;
/** C0 except tab and newline, DEL, C1, bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const UNSAFE_IN_A_LINE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escaped(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` safe for a terminal or a report page: line breaks and tabs kept, every other control escaped. */
export function terminalSafe(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(SGR, "").replace(UNSAFE, escaped);
}

/** `text` safe as (part of) one line: line breaks and tabs escaped too. */
export function terminalSafeLine(text: string): string {
  return text.replace(SGR, "").replace(UNSAFE_IN_A_LINE, escaped);
}

/** What JSON.stringify leaves raw although a terminal acts on it or a JavaScript parser chokes on it. */
const RAW_IN_JSON = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/** JSON text of `value` with every control character and bidi control as a `\uXXXX` escape. */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    RAW_IN_JSON,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
