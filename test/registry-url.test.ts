// The registry's URL as the audit uses it: staged where the agent reads it, shown in every report, retrieved by the
// host's control. A user and password in it (an npmrc's `https://user:token@host/`) reach none of them.
import { afterEach, describe, expect, it } from "vitest";
import { resolveRegistryBase } from "../src/gather/registry.js";

const saved = process.env.npm_config_registry;
afterEach(() => {
  if (saved === undefined) delete process.env.npm_config_registry;
  else process.env.npm_config_registry = saved;
});

describe("resolveRegistryBase", () => {
  it("drops the user and password of a --registry URL, keeps its path", async () => {
    expect(await resolveRegistryBase("https://someone:tok3n@127.0.0.1:9/npm/")).toEqual({
      ok: true,
      value: { base: "https://127.0.0.1:9/npm/", source: "option" },
    });
  });

  it("npm's config with a user and password in the URL: npm refuses to print it, and the reason carries none of it", async () => {
    process.env.npm_config_registry = "http://someone:tok3n@127.0.0.1:9/";
    const found = await resolveRegistryBase(undefined);
    expect(found).toMatchObject({ ok: false });
    expect(JSON.stringify(found)).toContain("pass --registry <url>");
    expect(JSON.stringify(found)).not.toContain("tok3n");
  });

  it("a URL npm's config gives that does not parse is not gathered, naming where it came from", async () => {
    process.env.npm_config_registry = "http://[::1";
    const found = await resolveRegistryBase(undefined);
    expect(found).toMatchObject({ ok: false });
    expect(JSON.stringify(found)).toContain(
      "`npm config get registry` gave no valid URL; pass --registry <url>",
    );
  });
});
