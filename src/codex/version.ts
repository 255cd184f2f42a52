// Codex release numbers: `codex --version` prints `codex-cli 0.169.0`; releases compare as semantic versions
// (a pre-release such as `0.170.0-alpha.2` comes before its release).

const VERSION = /(?<![\d.])(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?![\w.])/;

/** True for a bare release number (`0.150.0`, `0.170.0-alpha.2`), as `matrix --codex` accepts it. */
export function isReleaseNumber(text: string): boolean {
  const match = VERSION.exec(text);
  return match !== null && match[0] === text;
}

/** The release number in `codex --version`'s output (or a package.json version), or null. */
export function parseCodexVersion(text: string): string | null {
  return VERSION.exec(text)?.[0] ?? null;
}

function comparePreRelease(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1; // a release comes after its pre-releases
  if (b === undefined) return -1;
  const left = a.split(".");
  const right = b.split(".");
  // a !== b, so some identifier differs or one list ends first: the loop always returns.
  for (let i = 0; ; i++) {
    const x = left[i];
    const y = right[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    // Numerically equal identifiers (`01`, `1`) fall through to text order, so the order stays antisymmetric.
    const difference = numeric ? Number(x) - Number(y) : 0;
    if (difference !== 0) return Math.sign(difference);
    return x < y ? -1 : 1;
  }
}

/** Negative when `a` is the earlier release, positive when the later, 0 when equal. Both must parse. */
export function compareVersions(a: string, b: string): number {
  const left = VERSION.exec(a);
  const right = VERSION.exec(b);
  if (!left || !right) throw new Error(`not a release number: ${left ? b : a}`);
  for (const part of [1, 2, 3]) {
    const difference = Number(left[part]) - Number(right[part]);
    if (difference !== 0) return Math.sign(difference);
  }
  return comparePreRelease(left[4], right[4]);
}
