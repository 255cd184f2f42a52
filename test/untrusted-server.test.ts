import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCertificate } from "../src/tls/self-signed.js";
import { startUntrustedTlsServer, type UntrustedTlsServer } from "../src/tls/untrusted-server.js";

function causeCode(error: unknown): string | undefined {
  return (error as { cause?: { code?: string } }).cause?.code;
}

describe("untrusted TLS server", () => {
  let server: UntrustedTlsServer;
  beforeAll(async () => {
    server = await startUntrustedTlsServer();
  });
  afterAll(() => server.close());

  it("listens on loopback", () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it("is rejected by Node fetch as self-signed", async () => {
    const error = await fetch(server.url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(causeCode(error)).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
  });

  it("is rejected by curl with exit 60, and served with -k", async () => {
    const strict = await execa("curl", ["-sS", "-o", "/dev/null", server.url], { reject: false });
    expect(strict.exitCode).toBe(60);
    expect(strict.stderr).toMatch(/self-signed certificate/);
    const insecure = await execa("curl", ["-sSk", "-w", "%{http_code}", server.url], { reject: false });
    expect(insecure.exitCode).toBe(0);
    expect(insecure.stdout).toBe("ok200");
  });
});

describe("a CA and a server certificate it signs", () => {
  const dir = mkdtempSync(join(homedir(), ".cache/codex-smoke/tls-test-"));
  const ca = generateCertificate({ commonName: "codex-smoke-test-ca", ca: true });
  const leaf = generateCertificate({
    commonName: "codex-smoke-registry",
    issuer: ca,
    ipAddresses: ["127.0.0.1"],
  });
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, ca.certPem);
  const server = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => res.end("registry"));
  let url = "";

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/astro`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("is trusted by curl --cacert", async () => {
    const result = await execa("curl", ["-fsS", "--cacert", caFile, "-w", " %{ssl_verify_result}", url], {
      reject: false,
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("registry 0");
  });

  it("is trusted by fetch with NODE_EXTRA_CA_CERTS in a child process", async () => {
    const script = `fetch(${JSON.stringify(url)}).then(async (r) => console.log(r.status, await r.text()), (e) => console.log(e.cause?.code))`;
    const result = await execa("node", ["-e", script], {
      env: { NODE_EXTRA_CA_CERTS: caFile },
      reject: false,
    });
    expect(result.stdout).toBe("200 registry");
  });

  it("is trusted by an undici Agent given the CA, and rejected without it", async () => {
    const trusted = await undiciFetch(url, { dispatcher: new Agent({ connect: { ca: ca.certPem } }) });
    expect(await trusted.text()).toBe("registry");
    const error = await fetch(url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(causeCode(error)).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
  });
});
