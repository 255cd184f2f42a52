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

/** `<fstype> <rw|ro>` of the mount at `/` from /proc/self/mountinfo (fields: … mount-point options … - fstype). */
function rootMount(mountinfo: string): string | null {
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    const fields = left?.split(" ") ?? [];
    if (fields[4] !== "/" || right === undefined) continue;
    const access = fields[5]?.split(",").includes("ro") ? "ro" : "rw";
    return `${right.split(" ")[0] ?? "?"} ${access}`;
  }
  return null;
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
