// Which environment variables hold secrets (decisions §12): secret-holding names, or a value with a known token
// prefix. A bare `AUTH` is not a secret (`SSH_AUTH_SOCK`, `XAUTHORITY`, `GIT_AUTHOR_NAME`), nor is
// `TOKENIZERS_PARALLELISM`; nothing is guessed from entropy (ids and hashes look random too). Shared by the runner
// (names only, never values) and the host's redaction.

const SECRET_NAME = /(^|_)TOKEN$|AUTH_?TOKEN|__AUTH$|SECRET|PASSW|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/** Token formats with a fixed prefix and enough characters after it to be a real credential. */
export const TOKEN_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\bglpat-[A-Za-z0-9_-]{16,}/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
  /\bnpm_[A-Za-z0-9]{30,}/,
  /\bhf_[A-Za-z0-9]{30,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bAIza[0-9A-Za-z_-]{35}\b/,
];

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function hasTokenPrefix(value: string): boolean {
  return TOKEN_PATTERNS.some((pattern) => pattern.test(value));
}

/** Names of the variables in `env` that hold a secret, sorted. */
export function secretNames(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => isSecretName(name) || (value !== undefined && hasTokenPrefix(value)))
    .map(([name]) => name)
    .sort();
}
