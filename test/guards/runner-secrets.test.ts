// Every token format the runner counts as a secret (decisions §12), at its edges: the shortest token is one, one
// character fewer is not, a character outside the format ends it, a word character before it hides it, the fixed
// lengths end there, and the host masks the whole of a longer one. A format that misses a token lets a secret's
// name through unredacted; one that is too wide masks ids.
import { describe, expect, it } from "vitest";
import { Redactor } from "../../src/core/redact.js";
import { hasTokenPrefix, isSecretName } from "../../src/runner/secrets.js";

/** `n` characters cycling through `chars`, so each kind of character the format allows occurs. */
const body = (chars: string, n: number) => chars.repeat(Math.ceil(n / chars.length)).slice(0, n);

const ALNUM = "aZ09mQ";
const WORDISH = "aZ09_-";

interface Format {
  /** Prefixes that make the format (each alternative). */
  prefixes: string[];
  chars: string;
  min: number;
  /** A character the format does not allow in its body. */
  outside: string;
  /** The body is exactly `min` long and ends at a word boundary. */
  exact?: boolean;
  /** The body is `min` long and may go on: only those are masked (Docker's tokens have exactly 27). */
  fixed?: boolean;
}

const FORMATS: Record<string, Format> = {
  "OpenAI/Anthropic": { prefixes: ["sk-"], chars: WORDISH, min: 16, outside: "." },
  Stripe: {
    prefixes: ["sk_live_", "sk_test_", "rk_live_", "rk_test_"],
    chars: ALNUM,
    min: 16,
    outside: "_",
  },
  "Stripe webhook": { prefixes: ["whsec_"], chars: ALNUM, min: 24, outside: "-" },
  GitHub: { prefixes: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], chars: ALNUM, min: 20, outside: "_" },
  "GitHub fine-grained": { prefixes: ["github_pat_"], chars: "aZ09_", min: 20, outside: "-" },
  GitLab: { prefixes: ["glpat-"], chars: WORDISH, min: 16, outside: "." },
  Slack: {
    prefixes: ["xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-", "xoxo-", "xapp-"],
    chars: "aZ09-",
    min: 10,
    outside: "_",
  },
  npm: { prefixes: ["npm_"], chars: ALNUM, min: 36, outside: "-", exact: true },
  "Hugging Face": { prefixes: ["hf_"], chars: ALNUM, min: 30, outside: "-" },
  AWS: {
    prefixes: ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"],
    chars: "AZ09",
    min: 16,
    outside: "a",
    exact: true,
  },
  Google: { prefixes: ["AIza"], chars: WORDISH, min: 35, outside: ".", exact: true },
  Groq: { prefixes: ["gsk_"], chars: ALNUM, min: 52, outside: "-", exact: true },
  Databricks: { prefixes: ["dapi"], chars: "af09", min: 32, outside: "g", exact: true },
  Docker: { prefixes: ["dckr_pat_"], chars: WORDISH, min: 27, outside: ".", fixed: true },
  Vault: { prefixes: ["hvs."], chars: WORDISH, min: 90, outside: "." },
  Linear: { prefixes: ["lin_api_"], chars: ALNUM, min: 32, outside: "-" },
  Shopify: {
    prefixes: ["shpat_", "shpca_", "shppa_", "shpss_"],
    chars: "afAF09",
    min: 32,
    outside: "g",
    exact: true,
  },
  Figma: { prefixes: ["figd_"], chars: WORDISH, min: 40, outside: "." },
};

describe("token formats, each at its edges", () => {
  for (const [name, format] of Object.entries(FORMATS)) {
    it(`${name}: ${format.prefixes.join(", ")} and ${format.min} characters`, () => {
      for (const prefix of format.prefixes) {
        const token = `${prefix}${body(format.chars, format.min)}`;
        expect(hasTokenPrefix(token), token).toBe(true);
        expect(hasTokenPrefix(`${prefix}${body(format.chars, format.min - 1)}`), "one fewer").toBe(false);
        const broken = `${prefix}${body(format.chars, format.min - 2)}${format.outside}${format.chars[0]}`;
        expect(hasTokenPrefix(broken), broken).toBe(false);
        expect(hasTokenPrefix(`x${token}`), "after a word character").toBe(false);
        expect(hasTokenPrefix(`(${token})`), "between punctuation").toBe(true);
        const longer = `${token}${body(format.chars, 3)}`;
        if (format.exact) expect(hasTokenPrefix(longer), "longer").toBe(false);
        else if (!format.fixed) expect(new Redactor().redact(`<${longer}>`)).toBe("<***>");
      }
    });
  }

  it("a prefix one letter off is no token", () => {
    for (const token of [
      `pk_live_${body(ALNUM, 16)}`,
      `sk_prod_${body(ALNUM, 16)}`,
      `ghx_${body(ALNUM, 20)}`,
      `xoxc-${body(ALNUM, 10)}`,
      `AKIB${body("AZ09", 16)}`,
      `shpxx_${body("af09", 32)}`,
      `sg.${body(WORDISH, 22)}.${body(WORDISH, 43)}`,
    ])
      expect(hasTokenPrefix(token), token).toBe(false);
  });

  it("SendGrid: SG. with 22 and 43 characters, exactly", () => {
    const token = `SG.${body(WORDISH, 22)}.${body(WORDISH, 43)}`;
    expect(hasTokenPrefix(token)).toBe(true);
    expect(hasTokenPrefix(`SG.${body(WORDISH, 21)}.${body(WORDISH, 43)}`)).toBe(false);
    expect(hasTokenPrefix(`SG.${body(WORDISH, 22)}.${body(WORDISH, 42)}`)).toBe(false);
    expect(hasTokenPrefix(`SG.${body(WORDISH, 22)}.${body(WORDISH, 44)}`)).toBe(false);
    expect(hasTokenPrefix(`SG.${body(WORDISH, 22)}x${body(WORDISH, 43)}`)).toBe(false);
    expect(hasTokenPrefix(`xSG.${body(WORDISH, 22)}.${body(WORDISH, 43)}`)).toBe(false);
  });

  it("Grafana: glsa_, 32 characters, _ and 8 hex digits, exactly", () => {
    const token = `glsa_${body(ALNUM, 32)}_${body("aF09", 8)}`;
    expect(hasTokenPrefix(token)).toBe(true);
    expect(hasTokenPrefix(`glsa_${body(ALNUM, 31)}_${body("aF09", 8)}`)).toBe(false);
    expect(hasTokenPrefix(`glsa_${body(ALNUM, 32)}_${body("aF09", 7)}`)).toBe(false);
    expect(hasTokenPrefix(`glsa_${body(ALNUM, 32)}_${body("aF09", 9)}`)).toBe(false);
    expect(hasTokenPrefix(`glsa_${body(ALNUM, 32)}_${body("aF09", 7)}g`)).toBe(false);
    expect(hasTokenPrefix(`glsa_${body(ALNUM, 32)}-${body("aF09", 8)}`)).toBe(false);
    expect(hasTokenPrefix(`xglsa_${body(ALNUM, 32)}_${body("aF09", 8)}`)).toBe(false);
  });

  it("Notion: ntn_, 11 digits and 35 characters, exactly", () => {
    const token = `ntn_${body("0123456789", 11)}${body(ALNUM, 35)}`;
    expect(hasTokenPrefix(token)).toBe(true);
    expect(hasTokenPrefix(`ntn_${body("0123456789", 10)}a${body(ALNUM, 35)}`)).toBe(false);
    expect(hasTokenPrefix(`ntn_${body("0123456789", 11)}${body(ALNUM, 34)}`)).toBe(false);
    expect(hasTokenPrefix(`ntn_${body("0123456789", 11)}${body(ALNUM, 36)}`)).toBe(false);
    expect(hasTokenPrefix(`ntn_${body("0123456789", 11)}${body(ALNUM, 34)}-`)).toBe(false);
    expect(hasTokenPrefix(`xntn_${body("0123456789", 11)}${body(ALNUM, 35)}`)).toBe(false);
  });
});

describe("secret names at their edges", () => {
  it.each([
    ["MY_TOKEN", true],
    ["MYTOKEN", false],
    ["X_AUTH_TOKEN_FILE", true],
    ["NPM__AUTH", true],
    ["NPM__AUTHX", false],
    ["SMTP_PASS", true],
    ["SMTPPASS", false],
    ["SMTP_PASS_FILE", false],
    ["DB_PWD", true],
    ["DB_PWD_FILE", false],
    ["DEPLOY_KEY", true],
    ["DEPLOY_KEY_ID", false],
    ["API_KEY_ID", true],
    ["PRIVATE_KEY_ID", true],
    ["SESSION_COOKIE_NAME", true],
    ["my_credential_path", true],
    ["ssh_public_key", false],
    ["SSH_PUB_KEY", false],
    ["PUBLIC_KEY", false],
    ["REPUBLIC_KEY", true],
    ["GPG_KEY", false],
    ["MY_GPG_KEY", true],
    ["GPG_KEY_ID", false],
  ])("%s: %s", (name, secret) => {
    expect(isSecretName(name)).toBe(secret);
  });
});
