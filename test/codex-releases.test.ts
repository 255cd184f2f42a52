// `matrix --codex <list>`: what each entry names, and how a release is installed once into the cache and reused.
// npm is a stand-in script here (it records its arguments and lays out a package as npm would): no registry.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  installedRelease,
  latestRelease,
  parseReleaseList,
  releaseCacheDir,
  resolveReleases,
} from "../src/codex/releases.js";
import { UsageError } from "../src/core/errors.js";

describe("parseReleaseList", () => {
  it("release numbers, latest and paths, comma separated or repeated", () => {
    expect(parseReleaseList(["0.150.0, latest", "./bin/codex", "/opt/codex/codex"])).toEqual([
      { kind: "version", version: "0.150.0" },
      { kind: "latest" },
      { kind: "path", path: resolve("./bin/codex") },
      { kind: "path", path: "/opt/codex/codex" },
    ]);
  });

  it.each([
    ["0.150", "--codex 0.150: not a release number (like 0.150.0), latest, or a path to a codex binary"],
    ["newest", "--codex newest: not a release number (like 0.150.0), latest, or a path to a codex binary"],
    [" , ", "--codex: expected a comma list of releases (0.150.0,latest,<path>)"],
  ])("%j is a usage error", (value, message) => {
    expect(() => parseReleaseList([value])).toThrow(new UsageError(message));
  });
});

let root: string;
let cacheDir: string;
let env: Record<string, string>;
let npmLog: string;

/** A stand-in npm: logs its cwd and arguments; `install` lays out @openai/codex@<v> as npm does; `view` prints. */
function fakeNpm(behaviour: { fail?: string; latest?: string }): void {
  const bin = join(root, "fake-bin");
  mkdirSync(bin, { recursive: true });
  const script = `#!/bin/sh
printf '%s|%s\\n' "$PWD" "$*" >> "${npmLog}"
${behaviour.fail ? `printf '%s\\n' '${behaviour.fail}' >&2; exit 1` : ""}
if [ "$1" = view ]; then echo '${behaviour.latest ?? ""}'; exit 0; fi
# Code under test that lost its arguments or its cwd must fail here, not install into the cwd it runs in (under
# Stryker that is a sandbox whose node_modules links to the checkout's: a mutant once overwrote its @openai/codex).
[ "$1" = install ] || { echo "stand-in npm: not an install: $*" >&2; exit 1; }
case "$PWD" in "${root}"/*) ;; *) echo "stand-in npm: refusing to install in $PWD" >&2; exit 1 ;; esac
spec=$(eval echo \\$$#); version=\${spec##*@}
mkdir -p node_modules/@openai/codex/bin node_modules/.bin
printf '{"name":"@openai/codex","version":"%s"}' "$version" > node_modules/@openai/codex/package.json
printf '#!/bin/sh\\necho codex-cli %s\\n' "$version" > node_modules/@openai/codex/bin/codex.js
chmod +x node_modules/@openai/codex/bin/codex.js
ln -s ../@openai/codex/bin/codex.js node_modules/.bin/codex
`;
  writeFileSync(join(bin, "npm"), script);
  chmodSync(join(bin, "npm"), 0o755);
  useStandIn(bin);
}

const callerPath = process.env.PATH;

/** The stand-in's folder first on PATH: in the env the code is given, and in this process's own (code that drops
 * the env it was given must still find the stand-in, never the real npm). */
function useStandIn(bin: string): void {
  env = { PATH: `${bin}:${callerPath ?? ""}`, HOME: root };
  process.env.PATH = env.PATH;
}

const npmCalls = () => (existsSync(npmLog) ? readFileSync(npmLog, "utf8").trim().split("\n") : []);

beforeEach(() => {
  root = mkdtempSync(join(homedir(), ".cache", "codex-smoke", "test-releases-"));
  cacheDir = join(root, "codex");
  mkdirSync(cacheDir);
  npmLog = join(root, "npm.log");
});
afterEach(() => {
  process.env.PATH = callerPath;
  rmSync(root, { recursive: true, force: true });
});

describe("installedRelease", () => {
  it("installs a missing release with npm in a staging dir, renames it into place, and reuses it after", async () => {
    fakeNpm({});
    const tempDirs = new Set<string>();
    const bin = await installedRelease("0.150.0", { cacheDir, env, tempDirs });
    expect(bin).toBe(join(cacheDir, "0.150.0", "node_modules", ".bin", "codex"));
    expect(readFileSync(join(cacheDir, "0.150.0", "package.json"), "utf8")).toBe('{"private":true}\n');
    const [call] = npmCalls();
    expect(call).toMatch(
      new RegExp(
        `^${cacheDir}/\\.install-0\\.150\\.0-\\w+\\|install --no-save --no-audit --no-fund --loglevel=error @openai/codex@0\\.150\\.0$`,
      ),
    );
    expect(readdirSync(cacheDir)).toEqual(["0.150.0"]);
    expect(tempDirs.size).toBe(0);

    await installedRelease("0.150.0", { cacheDir, env, tempDirs });
    expect(npmCalls()).toHaveLength(1);
  });

  it("replaces a broken earlier install (no package, or another version)", async () => {
    fakeNpm({});
    mkdirSync(join(cacheDir, "0.160.0", "node_modules"), { recursive: true });
    await installedRelease("0.160.0", { cacheDir, env, tempDirs: new Set() });
    const pkg = readFileSync(
      join(cacheDir, "0.160.0", "node_modules", "@openai", "codex", "package.json"),
      "utf8",
    );
    expect(JSON.parse(pkg).version).toBe("0.160.0");
  });

  it("npm's failure is one line naming the release and npm's error code; nothing is left in the cache", async () => {
    fakeNpm({
      fail: "npm error code ETARGET\nnpm error notarget No matching version found for @openai/codex@9.9.9.",
    });
    await expect(installedRelease("9.9.9", { cacheDir, env, tempDirs: new Set() })).rejects.toThrow(
      "npm could not install @openai/codex@9.9.9: npm error code ETARGET",
    );
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});

/** A stand-in codex binary that prints `version`. */
function standalone(name: string, version: string): string {
  const bin = join(root, name);
  // Answers only `--version`, and only with the environment it is given (HOME is the test's root).
  writeFileSync(
    bin,
    `#!/bin/sh\n[ "$1" = --version ] && [ "$HOME" = "${root}" ] && echo 'codex-cli ${version}'\n`,
  );
  chmodSync(bin, 0o755);
  return bin;
}

const notAsked = () => Promise.reject(new Error("not asked"));

describe("resolveReleases", () => {
  it("latest is asked of npm once and installed like any release", async () => {
    fakeNpm({ latest: "0.171.0" });
    let asked = 0;
    const latest = () => {
      asked++;
      return latestRelease(env);
    };
    const releases = await resolveReleases([{ kind: "latest" }], {
      cacheDir,
      env,
      tempDirs: new Set(),
      latest,
      own: null,
    });
    expect(releases).toEqual([
      {
        specs: ["latest"],
        bin: join(cacheDir, "0.171.0", "node_modules", ".bin", "codex"),
        version: "0.171.0",
        own: false,
      },
    ]);
    expect(asked).toBe(1);
    expect(npmCalls()[0]).toMatch(/\|view @openai\/codex@latest version$/);
  });

  it("latest fails with npm's own words when npm cannot answer", async () => {
    fakeNpm({ fail: "npm warn config one\nnpm error code E404\nnpm error 404 Not Found" });
    await expect(latestRelease(env)).rejects.toThrow(
      "npm could not resolve @openai/codex@latest: npm error code E404",
    );
  });

  it("a path named after the release number it stands for is used instead of installing it", async () => {
    fakeNpm({});
    const bin = standalone("codex-standalone", "0.166.0");
    const releases = await resolveReleases(
      [
        { kind: "version", version: "0.166.0" },
        { kind: "path", path: bin },
      ],
      { cacheDir, env, tempDirs: new Set(), latest: notAsked, own: null },
    );
    expect(releases).toEqual([{ specs: ["0.166.0", bin], bin, version: "0.166.0", own: false }]);
    expect(npmCalls()).toEqual([]);
  });

  it("a path's release number is what its --version prints, even when it exits non-zero", async () => {
    const failing = join(root, "failing");
    writeFileSync(failing, "#!/bin/sh\necho 'codex-cli 0.166.0'\nexit 1\n");
    chmodSync(failing, 0o755);
    const opts = {
      cacheDir,
      env: { PATH: "/usr/bin:/bin" },
      tempDirs: new Set<string>(),
      latest: notAsked,
      own: null,
    };
    await expect(resolveReleases([{ kind: "path", path: failing }], opts)).resolves.toEqual([
      { specs: [failing], bin: failing, version: "0.166.0", own: false },
    ]);
  });

  it("a path is used as it is, with the version it prints", async () => {
    fakeNpm({});
    const bin = standalone("codex-standalone", "0.166.0");
    const releases = await resolveReleases([{ kind: "path", path: bin }], {
      cacheDir,
      env,
      tempDirs: new Set(),
      latest: notAsked,
      own: null,
    });
    expect(releases).toEqual([{ specs: [bin], bin, version: "0.166.0", own: false }]);
    expect(npmCalls()).toEqual([]);
  });

  it("the user's own release, by number, by latest or by another path, runs from the user's binary: nothing installed", async () => {
    fakeNpm({ latest: "0.171.0" });
    const mine = standalone("my-codex", "0.171.0");
    const other = standalone("other-codex", "0.171.0");
    const releases = await resolveReleases(
      [{ kind: "version", version: "0.171.0" }, { kind: "latest" }, { kind: "path", path: other }],
      {
        cacheDir,
        env,
        tempDirs: new Set(),
        latest: () => latestRelease(env),
        own: { bin: mine, version: "0.171.0" },
      },
    );
    expect(releases).toEqual([
      { specs: ["0.171.0", "latest", other], bin: mine, version: "0.171.0", own: true },
    ]);
    expect(npmCalls().filter((call) => call.includes("|install "))).toEqual([]);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it("two entries of one release are audited once; a path given for it spares the install", async () => {
    fakeNpm({});
    const a = standalone("a-codex", "0.160.0");
    const b = standalone("b-codex", "0.160.0");
    const releases = await resolveReleases(
      [
        { kind: "path", path: a },
        { kind: "version", version: "0.160.0" },
        { kind: "path", path: b },
        { kind: "version", version: "0.150.0" },
      ],
      { cacheDir, env, tempDirs: new Set(), latest: notAsked, own: { bin: "/unused", version: "0.169.0" } },
    );
    expect(releases).toEqual([
      { specs: [a, "0.160.0", b], bin: a, version: "0.160.0", own: false },
      {
        specs: ["0.150.0"],
        bin: join(cacheDir, "0.150.0", "node_modules", ".bin", "codex"),
        version: "0.150.0",
        own: false,
      },
    ]);
    expect(npmCalls().filter((call) => call.includes("|install "))).toHaveLength(1);
  });

  it("a path that is missing, or prints no release number, is a usage error", async () => {
    const opts = {
      cacheDir,
      env: { PATH: "/usr/bin:/bin" },
      tempDirs: new Set<string>(),
      latest: () => Promise.resolve(""),
      own: null,
    };
    await expect(resolveReleases([{ kind: "path", path: join(root, "nope") }], opts)).rejects.toThrow(
      new UsageError(`--codex ${join(root, "nope")}: no such file`),
    );
    const silent = join(root, "silent");
    writeFileSync(silent, "#!/bin/sh\necho hello\n");
    chmodSync(silent, 0o755);
    await expect(resolveReleases([{ kind: "path", path: silent }], opts)).rejects.toThrow(
      new UsageError(`--codex ${silent}: \`--version\` names no Codex release`),
    );
  });
});

describe("the release cache's place and npm's answers", () => {
  it("the cache is ~/.cache/codex-smoke/codex", () => {
    expect(releaseCacheDir()).toBe(join(homedir(), ".cache", "codex-smoke", "codex"));
  });

  /** A stand-in npm that prints `stdout` and `stderr` as given and exits with `code`. */
  function npmSays(stdout: string, stderr: string, code: number): void {
    const bin = join(root, "says-bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "npm"), `#!/bin/sh\nprintf '${stdout}'\nprintf '${stderr}' >&2\nexit ${code}\n`);
    chmodSync(join(bin, "npm"), 0o755);
    useStandIn(bin);
  }

  it("latest is what npm prints, spaces around it trimmed", async () => {
    npmSays("  0.171.0  \\n", "", 0);
    await expect(latestRelease(env)).resolves.toBe("0.171.0");
  });

  it("a release number from an npm that failed is not taken", async () => {
    npmSays("0.171.0\\n", "npm warn something\\n", 1);
    await expect(latestRelease(env)).rejects.toThrow(
      "npm could not resolve @openai/codex@latest: npm warn something",
    );
  });

  it("without an `npm error code` line npm's last non-blank line is the cause; without any, its exit code", async () => {
    npmSays("", "npm warn first\\nnpm warn second\\nnpm warn last\\n   \\n\\n", 1);
    await expect(latestRelease(env)).rejects.toThrow(
      "npm could not resolve @openai/codex@latest: npm warn last",
    );
    npmSays("", "", 3);
    await expect(latestRelease(env)).rejects.toThrow("npm could not resolve @openai/codex@latest: exit 3");
  });
});

describe("installedRelease: what counts as installed", () => {
  it("a release folder whose package is right but whose codex link is gone is installed again", async () => {
    fakeNpm({});
    await installedRelease("0.150.0", { cacheDir, env, tempDirs: new Set() });
    rmSync(join(cacheDir, "0.150.0", "node_modules", ".bin", "codex"));
    await installedRelease("0.150.0", { cacheDir, env, tempDirs: new Set() });
    expect(npmCalls().filter((call) => call.includes("|install "))).toHaveLength(2);
    expect(existsSync(join(cacheDir, "0.150.0", "node_modules", ".bin", "codex"))).toBe(true);
  });

  it("a release folder with a codex but no package in it is installed again", async () => {
    fakeNpm({});
    mkdirSync(join(cacheDir, "0.150.0", "node_modules", ".bin"), { recursive: true });
    writeFileSync(join(cacheDir, "0.150.0", "node_modules", ".bin", "codex"), "#!/bin/sh\n", { mode: 0o755 });
    await installedRelease("0.150.0", { cacheDir, env, tempDirs: new Set() });
    expect(npmCalls().filter((call) => call.includes("|install "))).toHaveLength(1);
    const pkg = join(cacheDir, "0.150.0", "node_modules", "@openai", "codex", "package.json");
    expect(JSON.parse(readFileSync(pkg, "utf8")).version).toBe("0.150.0");
  });

  it("a release folder holding another version under the right link is installed again", async () => {
    fakeNpm({});
    await installedRelease("0.150.0", { cacheDir, env, tempDirs: new Set() });
    const pkg = join(cacheDir, "0.150.0", "node_modules", "@openai", "codex", "package.json");
    writeFileSync(pkg, JSON.stringify({ name: "@openai/codex", version: "0.149.0" }));
    await installedRelease("0.150.0", { cacheDir, env, tempDirs: new Set() });
    expect(npmCalls().filter((call) => call.includes("|install "))).toHaveLength(2);
    expect(JSON.parse(readFileSync(pkg, "utf8")).version).toBe("0.150.0");
  });

  it("a release another matrix installed while npm ran is kept as it is, the staging copy dropped", async () => {
    fakeNpm({});
    // This npm also plays the other matrix: it finishes the same release in the cache first.
    const other = join(cacheDir, "0.150.0");
    const script = readFileSync(join(root, "fake-bin", "npm"), "utf8");
    writeFileSync(
      join(root, "fake-bin", "npm"),
      `${script}mkdir -p "${other}" && cp -R node_modules "${other}/" && touch "${other}/the-other-matrix"\n`,
    );
    const tempDirs = new Set<string>();
    await installedRelease("0.150.0", { cacheDir, env, tempDirs });
    expect(existsSync(join(other, "the-other-matrix"))).toBe(true);
    expect(readdirSync(cacheDir)).toEqual(["0.150.0"]);
  });
});
