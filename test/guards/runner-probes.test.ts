// The runner's probes one by one, on real files and folders, where a one-token bug would change what the host's
// checks see: whether the runner thinks it is inside a sandbox, and what it says about the launcher's files.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sandboxVerdict } from "../../src/runner/attest.js";
import { mountAccess, probeLauncherFiles } from "../../src/runner/integrity.js";
import type { Attestation, Namespaces } from "../../src/runner/types.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const parent = join(homedir(), ".cache", "codex-smoke");
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, "test-guard-runner-probes-"));
  dirs.push(dir);
  return dir;
}

const HOST: Namespaces = { user: "user:[1]", mnt: "mnt:[2]", pid: "pid:[3]", net: "net:[4]" };
const SANDBOXED: Namespaces = { user: "user:[11]", mnt: "mnt:[12]", pid: "pid:[13]", net: "net:[14]" };

function attestation(
  namespaces: Namespaces,
  hostNamespaces: Namespaces | null,
  pid1: string | null,
): Attestation {
  return {
    namespaces,
    hostNamespaces,
    pid1,
    capEff: null,
    noNewPrivs: null,
    seccomp: null,
    rootMount: null,
  };
}

describe("inside or outside a sandbox, before any probe writes", () => {
  it("with the host's namespaces: inside only when the user, mount and pid namespaces all differ", () => {
    expect(sandboxVerdict(attestation(SANDBOXED, HOST, null))).toEqual({
      inside: true,
      why: "shares the host's  namespaces",
    });
    // The network namespace is not asked: Codex shares it when the network is on.
    expect(sandboxVerdict(attestation({ ...SANDBOXED, net: HOST.net }, HOST, null)).inside).toBe(true);
    expect(sandboxVerdict(attestation({ ...SANDBOXED, user: HOST.user }, HOST, null))).toEqual({
      inside: false,
      why: "shares the host's user namespaces",
    });
    expect(sandboxVerdict(attestation({ ...HOST }, HOST, "/usr/bin/bwrap"))).toEqual({
      inside: false,
      why: "shares the host's user, mnt, pid namespaces",
    });
    expect(sandboxVerdict(attestation({ ...SANDBOXED, pid: HOST.pid }, HOST, null)).why).toBe(
      "shares the host's pid namespaces",
    );
  });

  it("a namespace it cannot read counts as the host's", () => {
    expect(sandboxVerdict(attestation({ ...SANDBOXED, mnt: null }, HOST, null))).toEqual({
      inside: false,
      why: "shares the host's mnt namespaces",
    });
  });

  it("without the host's namespaces: inside only under Codex's sandbox init as pid 1", () => {
    const verdict = (pid1: string | null) => sandboxVerdict(attestation(SANDBOXED, null, pid1));
    expect(verdict("codex-linux-sandbox")).toEqual({ inside: true, why: "pid 1 is codex-linux-sandbox" });
    expect(verdict("/usr/bin/bwrap").inside).toBe(true);
    expect(verdict("bwrap").inside).toBe(true);
    expect(verdict("/sbin/init")).toEqual({ inside: false, why: "pid 1 is /sbin/init" });
    expect(verdict("/usr/bin/bwrap-helper").inside).toBe(false);
    expect(verdict("/opt/not-bwrap").inside).toBe(false);
    expect(verdict(null)).toEqual({ inside: false, why: "pid 1 is unknown" });
  });
});

describe("the launcher's files: appendable, replaceable, mounted", () => {
  it("a writable file: append and folder ok, nothing written, not a mount point", () => {
    const dir = tempDir();
    const file = join(dir, "codex-auto");
    writeFileSync(file, "#!/bin/sh\n");
    const before = statSync(file);
    expect(probeLauncherFiles([file])).toEqual([
      { path: file, append: { ok: true }, folderWritable: { ok: true }, mount: null },
    ]);
    expect(readFileSync(file, "utf8")).toBe("#!/bin/sh\n");
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
  });

  it("a missing file is not created; a folder that is gone is not writable", () => {
    const dir = tempDir();
    const [missing, gone] = probeLauncherFiles([join(dir, "absent"), join(dir, "gone", "launcher")]);
    expect(missing).toMatchObject({ append: { ok: false, code: "ENOENT" }, folderWritable: { ok: true } });
    expect(() => statSync(join(dir, "absent"))).toThrow();
    expect(gone?.folderWritable).toMatchObject({ ok: false, code: "ENOENT" });
    expect(gone?.append).toMatchObject({ ok: false, code: "ENOENT" });
  });

  it("a symlink swapped in for the file is refused, not followed", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "real"), "x");
    symlinkSync(join(dir, "real"), join(dir, "link"));
    const [link] = probeLauncherFiles([join(dir, "link")]);
    expect(link?.append).toMatchObject({ ok: false, code: "ELOOP" });
  });

  it("a mount point of this namespace is named with its access, as /proc/self/mountinfo says last", () => {
    const lines = readFileSync("/proc/self/mountinfo", "utf8").split("\n");
    const last = lines.filter((line) => line.split(" ")[4] === "/proc").at(-1) ?? "";
    const access = last.split(" ")[5]?.split(",").includes("ro") ? "ro" : "rw";
    expect(probeLauncherFiles(["/proc"])[0]?.mount).toBe(access);
  });

  it("mountinfo: ro or rw from the mount options, octal escapes undone, the last mount on a path wins", () => {
    const mountinfo = [
      "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw",
      "30 22 0:25 / /work/ro\\040folder\\011tab\\134 ro,relatime - ext4 /dev/sda1 rw",
      "31 22 0:26 /launcher /work/p/codex-auto rw,relatime - ext4 /dev/sda1 rw",
      "32 31 0:26 /launcher /work/p/codex-auto ro,nosuid,relatime - ext4 /dev/sda1 rw",
      "33 22 0:27 / /work/errors rw,errors=ro - ext4 /dev/sda1 ro",
      "",
    ].join("\n");
    expect([...mountAccess(mountinfo)]).toEqual([
      ["/proc", "rw"],
      ["/work/ro folder\ttab\\", "ro"],
      ["/work/p/codex-auto", "ro"],
      ["/work/errors", "rw"],
    ]);
    expect(mountAccess("short line\n1 2 0:1 / /only-a-point\n").size).toBe(0);
  });
});
