// What the runtime session puts where: a stand-in of the transport each expected server's effective config gives it
// (one of the wrong kind would make Codex refuse the table: `invalid transport`), by one key each so the launcher's
// approval and timeout for the name stay in force, and the other servers left off. Real Codex accepting these
// overrides is test/audit-mcp-runtime.test.ts.
import { describe, expect, it } from "vitest";
import { awaitedServers, runtimeServers, standinOverrides } from "../src/gather/mcp-runtime.js";

describe("runtimeServers", () => {
  it("url → http, command → stdio, neither or no table → none; the other defined servers are listed, and the expected ones turned off", () => {
    const effective = {
      mcp_servers: {
        docs: { url: "http://127.0.0.1:9/mcp", tool_timeout_sec: 300, enabled: true },
        playwright: { command: "npx", args: ["@playwright/mcp@latest"], enabled: false },
        orphan: { default_tools_approval_mode: "approve" },
        odd: "not a table",
        github: { url: "http://127.0.0.1:9/github" },
      },
    };
    expect(runtimeServers(effective, ["docs", "playwright", "orphan", "odd", "missing"])).toEqual({
      servers: [
        { name: "docs", transport: "http" },
        { name: "playwright", transport: "stdio" },
        { name: "orphan", transport: null },
        { name: "odd", transport: null },
        { name: "missing", transport: null },
      ],
      others: ["github"],
      disabled: ["playwright"],
    });
    expect(runtimeServers({}, ["docs"])).toEqual({
      servers: [{ name: "docs", transport: null }],
      others: [],
      disabled: [],
    });
  });
});

describe("awaitedServers: whose stand-in the prompt waits for", () => {
  it("each expected server with a stand-in that is on, and the probe server", () => {
    const servers = [
      { name: "playwright", transport: "stdio" as const },
      { name: "docs", transport: "http" as const },
      { name: "off", transport: "stdio" as const },
      { name: "orphan", transport: null },
    ];
    expect(awaitedServers({ servers, disabled: ["off"] })).toEqual([
      "playwright",
      "docs",
      "codex_smoke_probe",
    ]);
    expect(awaitedServers({ servers: [], disabled: [] })).toEqual(["codex_smoke_probe"]);
  });
});

describe("standinOverrides", () => {
  it("replaces one key per expected server, turns the others off and adds the probe server", () => {
    const places = {
      node: "/usr/bin/node",
      script: "/run/standin.js",
      urls: new Map([["docs", "http://127.0.0.1:41000/mcp"]]),
      logs: new Map([
        ["playwright", "/run/standin-0.jsonl"],
        ["codex_smoke_probe", "/run/standin-1.jsonl"],
      ]),
    };
    const servers = [
      { name: "playwright", transport: "stdio" as const },
      { name: "docs", transport: "http" as const },
      { name: "orphan", transport: null },
    ];
    expect(standinOverrides({ servers, others: ["github"] }, places)).toEqual([
      "-c",
      'mcp_servers.playwright.command="/usr/bin/node"',
      "-c",
      'mcp_servers.playwright.args=["/run/standin.js","--mode=probe","--log=/run/standin-0.jsonl"]',
      "-c",
      'mcp_servers.docs.url="http://127.0.0.1:41000/mcp"',
      "-c",
      "mcp_servers.github.enabled=false",
      "-c",
      'mcp_servers.codex_smoke_probe={command="/usr/bin/node",args=["/run/standin.js","--mode=elicit","--log=/run/standin-1.jsonl"],tool_timeout_sec=0.5}',
    ]);
  });
});
