// JSON from an adversary (the sandbox's reports) or from a file the user names: JSON.parse itself copes with any
// nesting, but everything that walks the value afterwards (a shape check, JSON.stringify for a report copy,
// structured clone) recurses, and a 400k-deep array of 800 KB overflows the stack. An iterative scan first finds
// containers nested deeper than the limit and replaces each by `null`, so the parsed value is shallow whatever the
// text was; the caller learns that something was cut and decides (a report that needed cutting is refused).

/** The index of the `"` closing the string that opens at `start` (text.length when it never closes). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x5c) i++;
    else if (char === 0x22) return i;
  }
  return text.length;
}

const OPENS = new Set([0x5b, 0x7b]);
const CLOSES = new Set([0x5d, 0x7d]);

/** The index of the bracket closing the container that opens at `start` (text.length - 1 when it never closes). */
function containerEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x22) i = stringEnd(text, i);
    else if (OPENS.has(char)) depth++;
    else if (CLOSES.has(char) && --depth === 0) return i;
  }
  return text.length - 1;
}

/** `text` with every container deeper than `maxDepth` replaced by `null`, and whether any was. */
function pruned(text: string, maxDepth: number): { text: string; cut: boolean } {
  const parts: string[] = [];
  let depth = 0;
  let copiedUpTo = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x22) i = stringEnd(text, i);
    else if (OPENS.has(char)) {
      if (depth < maxDepth) depth++;
      else {
        const end = containerEnd(text, i);
        parts.push(text.slice(copiedUpTo, i), "null");
        copiedUpTo = end + 1;
        i = end;
      }
    } else if (CLOSES.has(char)) depth--;
  }
  if (parts.length === 0) return { text, cut: false };
  parts.push(text.slice(copiedUpTo));
  return { text: parts.join(""), cut: true };
}

/**
 * Parses `text` with no container nested deeper than `maxDepth` (deeper ones become `null`; `tooDeep` says so).
 * Throws JSON.parse's SyntaxError for text that is not JSON.
 */
export function parseBoundedJson(text: string, maxDepth: number): { value: unknown; tooDeep: boolean } {
  const bounded = pruned(text, maxDepth);
  return { value: JSON.parse(bounded.text), tooDeep: bounded.cut };
}
