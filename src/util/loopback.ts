// Every server the harness runs (mock model, MCP stand-in, TLS control) listens on loopback only, on a free port.
import type { Server } from "node:net";

/** Starts `server` on 127.0.0.1 with a port the OS picks, and returns that port. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("loopback server has no TCP port");
  return address.port;
}
