// The redactor's edges that test/redact.test.ts leaves open: which variables' values count (by name or by token
// prefix, never a short one), every occurrence of a token format, a Bearer with more than one space, and a URL's
// credentials at the very start of a text, behind any scheme, and in a query parameter wherever it sits. Not tested
// (equivalent): Redactor's default `values = []` replaced by a sentinel array only matters for text holding that
// sentinel, and no caller constructs a Redactor to find it.
import { describe, expect, it } from "vitest";
import { Redactor, secretValues } from "../../src/core/redact.js";

const TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ";

describe("secretValues", () => {
  it("a secret name's value, or any variable's token-formatted value; 8 characters at least; unset ones skipped", () => {
    expect(
      secretValues({
        DEPLOY_API_KEY: "12345678",
        SHORT_TOKEN: "1234567",
        HARMLESS: TOKEN,
        PLAIN: "not-a-secret-value",
        UNSET_SECRET: undefined,
      }),
    ).toEqual(["12345678", TOKEN]);
  });
});

describe("Redactor edges", () => {
  it("every occurrence of a token format, not only the first", () => {
    expect(new Redactor().redact(`${TOKEN} and again ${TOKEN}`)).toBe("*** and again ***");
  });

  it("a Bearer credential after several spaces", () => {
    expect(new Redactor().redact("Authorization: Bearer   abcdefgh12345678")).toBe(
      "Authorization: Bearer   ***",
    );
  });

  it("a URL's credentials at the start of the text", () => {
    expect(new Redactor().redact("https://alice:s3cret-pass@registry.example/")).toBe(
      "https://***@registry.example/",
    );
  });

  it("a URL's credentials behind a scheme that ends in a digit (s3://) or has one letter", () => {
    const redactor = new Redactor();
    expect(redactor.redact("s3://AKIAEXAMPLE:s3cret-pass@bucket/key")).toBe("s3://***@bucket/key");
    expect(redactor.redact("x://alice:s3cret-pass@host/")).toBe("x://***@host/");
  });

  it("a query credential right after another parameter (&token=), or whose name goes on after the word (?tokenid=)", () => {
    const redactor = new Redactor();
    expect(redactor.redact("https://h.example/p?a=1&token=abcdefgh12&x=1")).toBe(
      "https://h.example/p?a=1&token=***&x=1",
    );
    expect(redactor.redact("https://h.example/p?tokenid=abcdefgh12")).toBe("https://h.example/p?tokenid=***");
  });
});
