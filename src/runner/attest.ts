// What the process the runner runs in is: its namespaces, pid 1, capabilities and root mount. Facts only; the
// verdict (runner.report) compares them with the host's namespaces, so seccomp, which 0.150 does not install with
// network on, is evidence and not the deciding signal.
import { readFileSync, readlinkSync } from "node:fs";
import type { Attestation, Namespaces } from "./types.js";

const NAMESPACE_KINDS = ["user", "mnt", "pid", "net"] as const;

function readOrNull(read: () => string): string | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** This process's namespaces (the host calls it too, to give the runner something to compare with). */
export function ownNamespaces(): Namespaces {
  const entries = NAMESPACE_KINDS.map((kind) => [
    kind,
    readOrNull(() => readlinkSync(`/proc/self/ns/${kind}`)),
  ]);
  return Object.fromEntries(entries) as Namespaces;
}

function statusField(status: string, field: string): string | null {
  return new RegExp(`^${field}:\\s*(\\S+)`, "m").exec(status)?.[1] ?? null;
}

/**
 * `<fstype> <rw|ro>` of the mount at `/` from /proc/self/mountinfo (fields: … mount-point options … - fstype): the
 * last one listed, the one on top where mounts are stacked (Codex's sandbox showed one under 0.169's default policy).
 */
export function rootMount(mountinfo: string): string | null {
  let root: string | null = null;
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    const fields = left?.split(" ") ?? [];
    if (fields[4] !== "/" || right === undefined) continue;
    const access = fields[5]?.split(",").includes("ro") ? "ro" : "rw";
    root = `${right.split(" ")[0] ?? "?"} ${access}`;
  }
  return root;
}

/** bwrap's argv0 for Codex's sandbox init (`--argv0 codex-linux-sandbox`), or bwrap itself. */
const SANDBOX_INIT = /(^|\/)(codex-linux-sandbox|bwrap)$/;

/**
 * Whether this process runs in Codex's sandbox, decided before any probe writes: other user, mount and pid
 * namespaces than the host that staged it, else (no host record) Codex's sandbox init as pid 1. `why` says what
 * gave an outside run away.
 */
export function sandboxVerdict(attestation: Attestation): { inside: boolean; why: string } {
  const host = attestation.hostNamespaces;
  if (host) {
    const own = attestation.namespaces;
    const shared = (["user", "mnt", "pid"] as const).filter((k) => own[k] === null || own[k] === host[k]);
    return { inside: shared.length === 0, why: `shares the host's ${shared.join(", ")} namespaces` };
  }
  const inside = SANDBOX_INIT.test(attestation.pid1 ?? "");
  return { inside, why: `pid 1 is ${attestation.pid1 ?? "unknown"}` };
}

export function attest(hostNamespaces: Namespaces | null): Attestation {
  const status = readOrNull(() => readFileSync("/proc/self/status", "utf8")) ?? "";
  const pid1 = readOrNull(() => readFileSync("/proc/1/cmdline", "utf8").split("\0")[0] ?? "");
  const mountinfo = readOrNull(() => readFileSync("/proc/self/mountinfo", "utf8"));
  return {
    namespaces: ownNamespaces(),
    hostNamespaces,
    pid1: pid1 || null,
    capEff: statusField(status, "CapEff"),
    noNewPrivs: statusField(status, "NoNewPrivs"),
    seccomp: statusField(status, "Seccomp"),
    rootMount: mountinfo === null ? null : rootMount(mountinfo),
  };
}
