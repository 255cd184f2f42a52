// Reading parsed TOML documents (smol-toml's output): shared by the config gatherer and the checks.

/** A TOML table (a TOML date is an object too, but not a table). */
export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The value at a key path of a parsed TOML document, or undefined. */
export function lookup(data: unknown, path: readonly string[]): unknown {
  let current = data;
  for (const key of path) {
    if (!isTable(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** TOML-ish rendering of a scalar for messages: `"never"`, `300`, `true`. */
export function tomlValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
