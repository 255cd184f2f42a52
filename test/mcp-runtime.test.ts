// Which stand-in takes each expected server's place in the runtime session: the transport its effective config
// gives it (a stand-in of the wrong kind would make Codex refuse the table: `invalid transport`).
import { describe, expect, it } from "vitest";
import { serverTransports } from "../src/gather/mcp-runtime.js";

describe("serverTransports", () => {
  it("url → http, command → stdio, neither or no table → none", () => {
    const effective = {
      mcp_servers: {
        docs: { url: "http://127.0.0.1:9/mcp", tool_timeout_sec: 300 },
        playwright: { command: "npx", args: ["@playwright/mcp@latest"] },
        orphan: { default_tools_approval_mode: "approve" },
        odd: "not a table",
      },
    };
    expect(serverTransports(effective, ["docs", "playwright", "orphan", "odd", "missing"])).toEqual([
      { name: "docs", transport: "http" },
      { name: "playwright", transport: "stdio" },
      { name: "orphan", transport: null },
      { name: "odd", transport: null },
      { name: "missing", transport: null },
    ]);
    expect(serverTransports({}, ["docs"])).toEqual([{ name: "docs", transport: null }]);
  });
});
