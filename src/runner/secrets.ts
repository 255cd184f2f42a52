// Which environment variables hold secrets (decisions §12): secret-holding names, or a value in a known token
// format. A bare `AUTH` is not a secret (`SSH_AUTH_SOCK`, `XAUTHORITY`, `GIT_AUTHOR_NAME`), nor is
// `TOKENIZERS_PARALLELISM`, `PWD` or `OLDPWD`; nothing is guessed from entropy (ids and hashes look random too).
// Shared by the runner (names only, never values) and the host's redaction.
//
// The token formats follow the maintained rule set of secretlint's recommended preset
// (@secretlint/secretlint-rule-preset-recommend 13.1: npm, GitHub, GitLab, Slack, AWS, GCP, OpenAI, Anthropic,
// Hugging Face, SendGrid, Groq, Databricks, Docker, Vault, Linear, Shopify, Figma, Grafana, Notion), plus Stripe's
// secret and restricted keys, which the preset lacks. The preset itself is not bundled: measured, it would make the
// one-file runner 5× bigger (174 KB instead of 33 KB) and its engine is asynchronous, while redaction is a
// synchronous pass over every string the host keeps.

const SECRET_NAME = new RegExp(
  [
    "(^|_)TOKEN$",
    "AUTH_?TOKEN",
    "__AUTH$",
    "SECRET",
    "PASSW",
    "(^|_)PASS$",
    "PASSPHRASE",
    "_PWD$",
    "API_?KEY",
    "_KEY$",
    "PRIVATE_?KEY",
    "CREDENTIAL",
    "COOKIE",
  ].join("|"),
  "i",
);

/** `*_KEY` names that hold no secret: a public key, or the fingerprint Docker's official images verify with. */
const NOT_SECRET_NAME = /(^|_)(PUBLIC|PUB)_KEY$|^GPG_KEY$/i;

/** Token formats with a fixed prefix and enough characters after it to be a real credential. */
export const TOKEN_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/,
  /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/,
  /\bwhsec_[A-Za-z0-9]{24,}/,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\bglpat-[A-Za-z0-9_-]{16,}/,
  /\bx(?:ox[abprso]|app)-[A-Za-z0-9-]{10,}/,
  /\bnpm_[A-Za-z0-9]{36}\b/,
  /\bhf_[A-Za-z0-9]{30,}/,
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[0-9A-Z]{16}\b/,
  /\bAIza[0-9A-Za-z_-]{35}\b/,
  /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/,
  /\bgsk_[A-Za-z0-9]{52}\b/,
  /\bdapi[a-f0-9]{32}\b/,
  /\bdckr_pat_[A-Za-z0-9_-]{27}/,
  /\bhvs\.[A-Za-z0-9_-]{90,}/,
  /\blin_api_[A-Za-z0-9]{32,}/,
  /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/,
  /\bfigd_[A-Za-z0-9_-]{40,}/,
  /\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b/,
  /\bntn_[0-9]{11}[A-Za-z0-9]{35}\b/,
];

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
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
