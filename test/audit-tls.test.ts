// TLS through the sandbox, against our own HTTPS "registry" on loopback with a CA made at test time: a trusted
// chain verifies (ssl_verify_result 0) while the untrusted control is still rejected; a registry whose certificate
// the sandbox cannot verify fails net.registry instead of passing quietly.
import { writeFileSync } from "node:fs";
import { createServer } from "node:https";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCertificate } from "../src/tls/self-signed.js";
import { listenOnLoopback } from "../src/util/loopback.js";
import { audit, launcherPrepends, withSetup } from "./helpers/audit.js";

async function httpsRegistry() {
  const ca = generateCertificate({ commonName: "codex-smoke test CA", ca: true });
  const leaf = generateCertificate({ commonName: "127.0.0.1", issuer: ca, ipAddresses: ["127.0.0.1"] });
  const server = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    res.writeHead(req.url === "/astro" ? 200 : 404, { "content-type": "application/json" });
    res.end('{"name":"astro"}');
  });
  server.on("tlsClientError", () => {});
  const port = await listenOnLoopback(server);
  return {
    url: `https://127.0.0.1:${port}/`,
    caPem: ca.certPem,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Audits with the CA trusted in the caller's environment; `launcherLine` lets the launcher change that. */
async function auditTls(launcherLine: string | null) {
  const registry = await httpsRegistry();
  try {
    return await withSetup(
      (setup) => {
        if (launcherLine) launcherPrepends(setup, launcherLine);
      },
      async (setup) => {
        // The CA must be readable inside the sandbox: the minimal profile reads the project, not the home.
        const caFile = join(setup.project, ".test-ca.pem");
        writeFileSync(caFile, registry.caPem);
        const run = await audit(setup, ["--registry", registry.url, "--only", "net.,runner."], {
          NODE_EXTRA_CA_CERTS: caFile,
          CURL_CA_BUNDLE: caFile,
        });
        const result = (id: string) => run.report?.results.find((r) => r.id === id);
        const registryResult = result("net.registry");
        const tlsResult = result("net.tls_verify");
        if (!registryResult || !tlsResult) throw new Error(`no report: ${run.stderr}`);
        return { exitCode: run.exitCode, registry: registryResult, tls: tlsResult };
      },
    );
  } finally {
    await registry.close();
  }
}

describe.concurrent("TLS against a loopback HTTPS registry", () => {
  it("a CA the sandbox trusts: the registry verifies, the untrusted control is still rejected", async () => {
    const { exitCode, registry, tls } = await auditTls(null);
    expect(registry.status, registry.observed).toBe("pass");
    expect(registry.evidence.join(" ")).toMatch(/curl: ok \(HTTP 200, certificate verified\)/);
    expect(tls.status, tls.observed).toBe("pass");
    expect(exitCode).toBe(0);
  });

  it("the host verifies the registry but the launcher drops the CA: net.registry fails (curl exit 60)", async () => {
    const { exitCode, registry, tls } = await auditTls("unset NODE_EXTRA_CA_CERTS CURL_CA_BUNDLE");
    expect(registry.status).toBe("fail");
    expect(registry.observed).toMatch(/60/);
    expect(tls.status, tls.observed).toBe("pass");
    expect(exitCode).toBe(1);
  });
});
