// INTERIM network probes (replaced by net.ts): curl and fetch against a URL, and an untrusted TLS server served
// inside the sandbox, reached around any proxy.
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { errorCode, firstLine, runProcess } from "./kit.js";

export interface HttpAttempt {
  client: "curl" | "fetch" | "https" | "host";
  url: string;
  ok: boolean;
  httpStatus: number | null;
  exitCode: number | null;
  errorCode: string | null;
  message: string | null;
  sslVerifyResult: number | null;
  durationMs: number;
}

export async function curlAttempt(
  url: string,
  timeoutMs: number,
  opts: { noProxy?: boolean } = {},
): Promise<HttpAttempt> {
  const started = Date.now();
  const args = [
    "-fsS",
    "-o",
    "/dev/null",
    "--max-time",
    String(timeoutMs / 1000),
    "-w",
    "%{http_code} %{ssl_verify_result}",
  ];
  if (opts.noProxy) args.push("--noproxy", "*");
  const result = await runProcess("curl", [...args, url], { cwd: "/", timeoutMs: timeoutMs + 1_000 });
  const [status = "000", verify = ""] = result.stdout.trim().split(" ");
  const httpStatus = status === "000" ? null : Number(status);
  return {
    client: "curl",
    url,
    ok: result.exitCode === 0,
    httpStatus,
    exitCode: result.exitCode,
    errorCode: result.error ?? (result.exitCode === 0 ? null : `exit:${result.exitCode}`),
    message: result.exitCode === 0 ? null : firstLine(result.stderr),
    sslVerifyResult: url.startsWith("https:") && verify !== "" && httpStatus !== null ? Number(verify) : null,
    durationMs: Date.now() - started,
  };
}

export async function fetchAttempt(url: string, timeoutMs: number): Promise<HttpAttempt> {
  const started = Date.now();
  const base = { client: "fetch" as const, url, exitCode: null, sslVerifyResult: null };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return {
      ...base,
      ok: response.ok,
      httpStatus: response.status,
      errorCode: null,
      message: null,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const reason = errorCode(error) === "TimeoutError" || cause === undefined ? error : cause;
    return {
      ...base,
      ok: false,
      httpStatus: null,
      errorCode: errorCode(reason),
      message: firstLine(reason instanceof Error ? reason.message : String(reason)),
      durationMs: Date.now() - started,
    };
  }
}

export async function serveUntrustedTls(pem: {
  certPem: string;
  keyPem: string;
}): Promise<{ url: string; close(): void }> {
  const server = createServer({ cert: pem.certPem, key: pem.keyPem }, (_req, res) =>
    res.end("codex-smoke\n"),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${port}/`, close: () => server.close() };
}
