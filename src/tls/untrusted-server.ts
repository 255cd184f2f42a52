// The negative TLS control: a loopback HTTPS server whose certificate nobody trusts. A client inside the sandbox
// that reaches it anyway has TLS verification switched off.
import { createServer } from "node:https";
import { listenOnLoopback } from "../util/loopback.js";
import { generateCertificate } from "./self-signed.js";

export interface UntrustedTlsServer {
  url: string;
  close(): Promise<void>;
}

export async function startUntrustedTlsServer(): Promise<UntrustedTlsServer> {
  const { certPem, keyPem } = generateCertificate({
    commonName: "codex-smoke-untrusted",
    ipAddresses: ["127.0.0.1"],
  });
  const server = createServer({ cert: certPem, key: keyPem }, (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
  // Clients that reject the certificate abort the handshake; that is the expected outcome, not a server fault.
  server.on("tlsClientError", () => {});
  const port = await listenOnLoopback(server);
  return {
    url: `https://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
