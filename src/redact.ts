// Secret values never reach a reporter: evidence passes through `redact` before it is stored.

export const SECRET_NAME = /(TOKEN|SECRET|PASSW|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH)/i;

const TOKEN_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\b(gh[pousr]_[A-Za-z0-9]{16,})/g,
  /\b(xox[abprs]-[A-Za-z0-9-]{10,})/g,
  /\b(AKIA[0-9A-Z]{16})\b/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)/g,
];

/** Values of secret-looking variables in `env` (at least 4 characters, so "1" or "" never matches text). */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= 4)
    .map(([, value]) => value as string);
}

export class Redactor {
  private readonly values: string[];

  constructor(values: Iterable<string> = []) {
    this.values = [...new Set(values)].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
  }

  add(value: string): void {
    if (value.length >= 4 && !this.values.includes(value)) {
      this.values.push(value);
      this.values.sort((a, b) => b.length - a.length);
    }
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) out = out.split(value).join("***");
    for (const pattern of TOKEN_PATTERNS) {
      out = out.replace(pattern, (match, ...groups) => {
        const first = groups[0];
        if (
          typeof first === "string" &&
          match.startsWith(first) &&
          match !== first &&
          /^(Bearer|-----BEGIN)/i.test(first)
        )
          return `${first}***`;
        return "***";
      });
    }
    return out;
  }
}
