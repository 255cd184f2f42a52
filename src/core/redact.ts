// Secret values never reach a reporter: evidence passes through `redact` before it is stored. Only whole values of
// secret-holding variables (decisions §12) and known token formats are replaced, never short or common strings:
// `TOKENIZERS_PARALLELISM=false` must not turn every "false" in a report into "***".
import { hasTokenPrefix, isSecretName, TOKEN_PATTERNS } from "../runner/secrets.js";

/** Values too short or too common to be a secret worth hiding (and that would mangle every report). */
const MIN_SECRET_LENGTH = 8;

/** Values of the secret-holding variables in `env` (by name or by token prefix), long enough to mean something. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && (isSecretName(name) || hasTokenPrefix(value)))
    .map(([, value]) => value as string)
    .filter((value) => value.length >= MIN_SECRET_LENGTH);
}

const GLOBAL_TOKEN_PATTERNS = TOKEN_PATTERNS.map((pattern) => new RegExp(pattern.source, "g"));
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
/** A URL's userinfo in any form (a registry or proxy URL may carry one): `https://TOKEN@host`, `TOKEN:@`,
 * `user:password@`. All of it is masked: the user part is as often the credential itself. */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;
/** A query parameter whose name says it carries a credential: `?token=…`, `&access_token=…`, `X-Amz-Signature=…`. */
const TOKEN_QUERY =
  /([?&][^\s=&#]*(?:token|key|secret|passw|pwd|auth|sig|signature|credential|session)[^\s=&#]*=)[^\s&#"'<>]+/gi;

const PRIVATE_KEY = /(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)/g;

export class Redactor {
  private readonly values: string[];

  constructor(values: Iterable<string> = []) {
    this.values = [...new Set(values)]
      .filter((v) => v.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) out = out.split(value).join("***");
    for (const pattern of GLOBAL_TOKEN_PATTERNS) out = out.replace(pattern, "***");
    return out
      .replace(BEARER, "$1***")
      .replace(PRIVATE_KEY, "$1***$2")
      .replace(URL_USERINFO, "$1***@")
      .replace(TOKEN_QUERY, "$1***");
  }
}
