// The mount points concurrent Codex starts would race on (src/audit/mount-race.ts): the profile's workspace-root
// subpaths missing from the project or from an --add-dir folder, on real folders.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { racingMountPoints } from "../src/audit/mount-race.js";
import { addDirsOf } from "../src/gather/codex-argv.js";
import { readLauncherStatic } from "../src/gather/launcher-static.js";
import { activeProfile } from "../src/gather/profile-rules.js";

let root: string;
let project: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "mount-race-"));
  project = join(root, "proj");
  mkdirSync(join(project, ".codex"), { recursive: true });
  mkdirSync(join(project, "site"));
  writeFileSync(join(project, "codex-auto"), "");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const launcher = (args: string) =>
  readLauncherStatic(join(project, "codex-auto"), `#!/bin/sh\nexec codex --profile p ${args} "$@"\n`);

/** The profile as the audit reads it for a launcher passing `args`: workspace roots from its --add-dir folders. */
const profileOf = (args = "", extra: Record<string, string> = {}) =>
  activeProfile(
    {
      default_permissions: "p",
      permissions: {
        p: {
          filesystem: {
            ":minimal": "read",
            "~/.ssh": "none",
            ":workspace_roots": {
              ".": "write",
              ".codex": "read",
              site: "read",
              "codex-auto": "read",
              "**/*.env": "none",
              ...extra,
            },
          },
        },
      },
    },
    {
      home: join(root, "home"),
      workspaceRoots: [
        project,
        ...addDirsOf(
          project,
          launcher(args).invocations.map((invocation) => invocation.parsed),
        ),
      ],
      tmpdir: undefined,
    },
  );

describe("racingMountPoints", () => {
  it("is empty when the project holds every workspace-root subpath and there is no --add-dir", () => {
    expect(racingMountPoints(profileOf())).toEqual([]);
  });

  it("names a read-only folder missing from the project (a placeholder Codex makes at each start)", () => {
    rmSync(join(project, "site"), { recursive: true });
    expect(racingMountPoints(profileOf())).toEqual([join(project, "site")]);
  });

  it("names each subpath an --add-dir folder lacks, relative folders resolved against the project", () => {
    mkdirSync(join(root, "shared"));
    mkdirSync(join(root, "shared", ".codex"));
    expect(racingMountPoints(profileOf("--add-dir ../shared"))).toEqual([
      join(root, "shared", "site"),
      join(root, "shared", "codex-auto"),
    ]);
  });

  it("counts a dangling symlink as present (never followed) and ignores globs", () => {
    rmSync(join(project, "site"), { recursive: true });
    symlinkSync(join(root, "nowhere"), join(project, "site"));
    expect(racingMountPoints(profileOf("", { "*.pem": "none" }))).toEqual([]);
  });

  it("is empty without a custom permission profile", () => {
    expect(racingMountPoints(null)).toEqual([]);
  });
});
