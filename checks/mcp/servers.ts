import { defineCheck, outcome } from "../../src/core/define-check.js";
import type {
  ConfigFacts,
  Expectations,
  McpFailure,
  McpServerStatus,
  TuiFacts,
} from "../../src/core/model.js";
import { expectedMcpServers, NOTE_PREFIX } from "../../src/core/model.js";
import { isTable, lookup, refusedToStart } from "../_shared.js";

/** One expected server that is not up: the report line and the fix for its cause. */
interface Problem {
  line: string;
  remediation: string;
}

export default defineCheck({
  id: "mcp.servers",
  title: "MCP servers connected",
  claim: (expect) =>
    `\`/mcp verbose\` shows each expected server (${expectedMcpServers(expect).join(", ")}) connected with at least one tool${optionalNote(expect)}.`,
  needs: ["tui", "config"],
  run({ tui, config }, { expect }) {
    const servers = expectedMcpServers(expect);
    const expected = `${servers.join(", ")}: connected, ≥ 1 tool each${optionalNote(expect)}`;
    if (tui.refused) return refusedToStart(expected, tui.refused);
    const listed = servers.flatMap((name) => {
      const server = tui.mcp[name];
      return server ? [`/mcp verbose: ${name}: ${server.status} (${server.tools} tools)`] : [];
    });
    const { problems, warnings, details } = assess(servers, new Set(expect.mcpOptional), tui, config);
    const fix = (found: Problem[]) => [...new Set(found.map((problem) => problem.remediation))].join(" ");
    const lines = (found: Problem[]) => found.map((problem) => problem.line).join("; ");
    if (problems.length > 0) {
      const evidence = [...listed, ...details, ...warnings.map((problem) => problem.line)];
      return {
        ...outcome("fail", expected, lines(problems), evidence),
        remediation: fix([...problems, ...warnings]),
      };
    }
    if (tui.mcpError !== null || listed.length === 0) {
      const why = tui.mcpError ?? "/mcp verbose showed nothing";
      return outcome("error", expected, `could not test: ${why}`, listed);
    }
    // The README pre-approves these tools; they run in the server's process, outside the shell sandbox.
    const tools = servers
      .flatMap((name) => {
        // Every expected server is listed here: a missing one failed above, or /mcp verbose could not be read.
        const server = tui.mcp[name] as McpServerStatus;
        return server.status === "connected"
          ? [`${name}: ${server.toolNames.join(", ") || "(names not shown)"}`]
          : [];
      })
      .join("; ");
    const note = `${NOTE_PREFIX}auto-approved MCP tools run outside the shell sandbox: ${tools}`;
    if (warnings.length > 0) {
      const observed = `optional ${lines(warnings)}`;
      return {
        ...outcome("warn", expected, observed, [...listed, ...details, note]),
        remediation: fix(warnings),
      };
    }
    return outcome("pass", expected, listed.map((line) => line.replace("/mcp verbose: ", "")).join(", "), [
      ...listed,
      note,
    ]);
  },
  remediation:
    "Make each expected server start: the finding names its cause (a URL the host cannot reach, a command that does not exist or exits, a startup timeout) and the fix for it.",
});

/** `; optional: playwright (a warning when it does not connect)`, or nothing when every server is required. */
function optionalNote(expect: Expectations): string {
  if (expect.mcpOptional.length === 0) return "";
  return `; optional: ${expect.mcpOptional.join(", ")} (a warning when it does not connect)`;
}

/**
 * Each expected server that is not up, as a problem (required) or a warning (optional: it may fail or time out,
 * as the README says; one that is not even defined stays a problem), and the particulars for the evidence.
 */
function assess(servers: string[], optional: ReadonlySet<string>, tui: TuiFacts, config: ConfigFacts) {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const details: string[] = [];
  for (const name of servers) {
    const server = tui.mcp[name];
    if (server === undefined && tui.mcpError !== null) continue;
    const problem = describeProblem(name, server, config);
    if (problem && optional.has(name) && server !== undefined) warnings.push(problem);
    else if (problem) problems.push(problem);
    // The particulars (the host's error, Codex's own words) where the short cause does not already say them.
    const failure = server?.failure;
    if (failure?.detail && !causeText(failure).includes(failure.detail))
      details.push(`${name}: ${failure.detail}`);
  }
  return { problems, warnings, details };
}

/** What the config says Codex connects to or starts for a server: its URL, or its command (and arguments). */
function serverTarget(
  config: ConfigFacts,
  name: string,
): { url: string | null; command: string | null; line: string | null } {
  const server = lookup(config.effective, ["mcp_servers", name]);
  if (!isTable(server)) return { url: null, command: null, line: null };
  if (typeof server.url === "string") return { url: server.url, command: null, line: server.url };
  if (typeof server.command !== "string") return { url: null, command: null, line: null };
  const args = Array.isArray(server.args) ? server.args.map(String) : [];
  const line = [server.command, ...args].join(" ");
  return { url: null, command: server.command, line: line.length > 120 ? `${line.slice(0, 119)}…` : line };
}

function describeProblem(
  name: string,
  server: McpServerStatus | undefined,
  config: ConfigFacts,
): Problem | null {
  const table = `[mcp_servers.${name}]`;
  if (server === undefined)
    return {
      line: `${name}: not listed by /mcp verbose`,
      remediation: `Define ${table} (a \`command\` or a \`url\`) in the profile file the launcher selects.`,
    };
  if (server.status === "connected" && server.tools >= 1) return null;
  if (server.status === "connected")
    return {
      line: `${name}: connected but lists no tools`,
      remediation: `${name} connects but offers no tools: check its \`enabled_tools\`/\`disabled_tools\` in ${table} and that it is the intended server.`,
    };
  if (server.status === "disabled")
    return {
      line: `${name}: disabled in the config`,
      remediation: `Remove \`enabled = false\` from ${table}.`,
    };
  const target = serverTarget(config, name);
  const shown = server.failure?.url ?? target.line;
  const head = shown === null ? name : `${name} (${shown})`;
  if (server.failure === null)
    return {
      line: `${head}: ${server.status} (${server.tools} tools), no startup warning says why`,
      remediation: `Start the interactive session, read ${name}'s warning (F2) and fix ${table} until \`/mcp verbose\` lists it connected.`,
    };
  const remedy = causeRemedy(server.failure, name, {
    where: server.failure.url ?? target.url ?? table,
    command: target.command ?? "the server's command",
    commandLine: target.line ?? "the server's command",
  });
  return { line: `${head}: ${causeText(server.failure)}`, remediation: remedy };
}

/** The cause in a few words; the particulars (host error, Codex's sentence) go to the evidence. */
function causeText(failure: McpFailure): string {
  switch (failure.cause) {
    case "refused":
      return "connection refused";
    case "dns":
      return "host name not found (DNS)";
    case "tls":
      return "TLS certificate rejected";
    case "reset":
      return "connection reset by the server";
    case "unreachable":
      return "the request could not be sent";
    case "http-status":
      return `answered HTTP ${failure.httpStatus}`;
    case "not-mcp":
      return "answered, but not as an MCP server";
    case "startup-timeout":
      return `startup timed out after ${failure.timeoutSec} s`;
    case "exited":
      return "the server exited before answering initialize";
    case "command-not-found":
      return "command not found";
    case "spawn-failed":
      return `could not be started (${failure.detail})`;
    case "other":
      return `failed: ${failure.detail}`;
  }
}

/** Where the fix goes: the URL (HTTP), the command and the whole command line (stdio). */
interface RemedyTarget {
  where: string;
  command: string;
  commandLine: string;
}

function causeRemedy(failure: McpFailure, name: string, target: RemedyTarget): string {
  const table = `[mcp_servers.${name}]`;
  const { where, command, commandLine } = target;
  const fromHost = "Codex connects to MCP servers from the host, outside the sandbox.";
  const notMcp = `${where} is not an MCP endpoint: correct the path in \`url\` (it usually ends in /mcp), or fix the server.`;
  switch (failure.cause) {
    case "refused":
      return `Nothing accepts connections at ${where}: start the MCP server, or correct \`url\` in ${table}. ${fromHost}`;
    case "dns":
      return `This host cannot resolve the name in ${where}: correct \`url\` in ${table}, or this machine's DNS or proxy settings. ${fromHost}`;
    case "tls":
      return `This host does not trust the certificate of ${where}: install the issuing CA on this machine (system store or SSL_CERT_FILE), or use a URL with a trusted certificate.`;
    case "reset":
    case "unreachable":
      return `This host cannot complete a request to ${where}: check that the server is up and that no firewall or proxy cuts the connection. ${fromHost}`;
    case "http-status":
      if (failure.httpStatus === 401 || failure.httpStatus === 403)
        return `${where} refuses the request: set the server's credentials (\`bearer_token_env_var\` or \`http_headers\`) in ${table}.`;
      return notMcp;
    case "not-mcp":
      return notMcp;
    case "startup-timeout":
      return `If ${name} is only slow to start, raise \`startup_timeout_sec\` in ${table} (it was ${failure.timeoutSec} s); if it hangs, run \`${commandLine}\` by hand to see why it never answers.`;
    case "exited":
      return `\`${commandLine}\` exits before answering: run it by hand in the project to see its error (a missing script or dependency, a wrong argument).`;
    case "command-not-found":
      return `\`${command}\` does not exist on the PATH Codex sees: install it, or give its absolute path as \`command\` in ${table}.`;
    case "spawn-failed":
      return `\`${command}\` cannot be started: make it executable, or correct \`command\` in ${table}.`;
    case "other":
      return `Fix ${table} until \`/mcp verbose\` lists ${name} connected; the evidence quotes Codex's reason.`;
  }
}
