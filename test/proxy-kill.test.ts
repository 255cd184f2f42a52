// parseProxyKill on written-out kill messages (the captured ones are in net-classify.test.ts).
import { describe, expect, it } from "vitest";
import { parseProxyKill } from "../src/gather/proxy-kill.js";

describe("parseProxyKill", () => {
  it("reads the host, the rule and Codex's sentence, quotes escaped or not", () => {
    expect(
      parseProxyKill(
        'exec_command failed: ProcessFailed { message: "Network access to \\"10.0.0.5\\" was blocked: the destination is a local/private network address  " }',
      ),
    ).toEqual({
      host: "10.0.0.5",
      rule: "private-address",
      sentence:
        'Network access to "10.0.0.5" was blocked: the destination is a local/private network address',
    });
    expect(
      parseProxyKill('Network access to "x.invalid" was blocked: method not allowed in limited mode'),
    ).toEqual({
      host: "x.invalid",
      rule: "unspecified",
      sentence: 'Network access to "x.invalid" was blocked: method not allowed in limited mode',
    });
  });

  it("is null without the sentence", () => {
    expect(parseProxyKill("Network access to x.invalid was blocked: y")).toBeNull();
    expect(parseProxyKill("")).toBeNull();
  });
});
