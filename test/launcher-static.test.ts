// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell scripts; ${…} is the shell's
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ObservedArgv, parseObservedArgv, readLauncherStatic } from "../src/gather/launcher-static.js";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/facts/launchers/${name}`, import.meta.url), "utf8");
const readmeLauncher = fixture("codex-auto");
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

/** The five `-c` overrides of the README launcher, as Codex receives them. */
const README_OVERRIDES = [
  'approval_policy="never"',
  'mcp_servers.playwright.default_tools_approval_mode="approve"',
  "mcp_servers.playwright.tool_timeout_sec=300",
  'mcp_servers.openaiDeveloperDocs.default_tools_approval_mode="approve"',
  "mcp_servers.openaiDeveloperDocs.tool_timeout_sec=300",
];
const atLines = (raws: string[], first: number): Array<[string, number]> =>
  raws.map((raw, k) => [raw, first + k]);

interface Reading {
  profile: string | null;
  profileLine: number | null;
  /** `-c` values and the line each is written on. */
  overrides: Array<[string, number]>;
  findings: Array<[string, number]>;
  /** Each command that runs Codex: its line, subcommand and profile. */
  invocations: Array<[number, string | null, string | null]>;
}

function reading(name: string): Reading {
  const result = readLauncherStatic(name, fixture(name));
  expect(result.syntaxErrors).toEqual([]);
  return {
    profile: result.profile,
    profileLine: result.profileLine,
    overrides: result.overrides.map((o) => [o.raw, o.line]),
    findings: result.findings.map((f) => [f.flag, f.line]),
    invocations: result.invocations.map((i) => [i.line, i.parsed.subcommand, i.parsed.profile]),
  };
}

const LAUNCHERS: Array<[string, Reading]> = [
  [
    "codex-auto",
    {
      profile: "azi4a2-autonomous",
      profileLine: 28,
      overrides: atLines(README_OVERRIDES, 29),
      findings: [],
      invocations: [
        [39, "exec", "azi4a2-autonomous"],
        [41, null, "azi4a2-autonomous"],
      ],
    },
  ],
  [
    "reference-codex-auto",
    {
      profile: "azi4a2-autonomous",
      profileLine: 30,
      overrides: atLines(README_OVERRIDES, 31),
      findings: [],
      invocations: [
        [41, "exec", "azi4a2-autonomous"],
        [43, null, "azi4a2-autonomous"],
      ],
    },
  ],
  [
    "codex-auto-simple",
    {
      profile: "azi4a2-autonomous",
      profileLine: 4,
      overrides: atLines(
        README_OVERRIDES.map((raw) => raw.replaceAll('"', "")),
        5,
      ),
      findings: [],
      invocations: [[4, null, "azi4a2-autonomous"]],
    },
  ],
  [
    "noise-not-codex",
    {
      profile: "azi4a2-autonomous",
      profileLine: 21,
      overrides: [],
      findings: [],
      invocations: [[21, null, "azi4a2-autonomous"]],
    },
  ],
  [
    "env-wrapper-attached",
    {
      profile: "azi4a2-autonomous",
      profileLine: 4,
      overrides: [
        ["approval_policy=never", 5],
        ["mcp_servers.playwright.tool_timeout_sec=300", 6],
        ["mcp_servers.playwright.default_tools_approval_mode=approve", 7],
        ["model_reasoning_effort=high", 8],
      ],
      findings: [],
      invocations: [[4, null, "azi4a2-autonomous"]],
    },
  ],
  [
    "set-positional",
    {
      profile: "azi4a2-autonomous",
      profileLine: 5,
      overrides: [['approval_policy="never"', 5]],
      findings: [],
      invocations: [[6, null, "azi4a2-autonomous"]],
    },
  ],
  [
    "optional-profile-npx",
    {
      profile: "azi4a2-autonomous",
      profileLine: 5,
      overrides: [["approval_policy=never", 4]],
      findings: [],
      invocations: [[5, null, "azi4a2-autonomous"]],
    },
  ],
  [
    "branches",
    {
      profile: "azi4a2-autonomous",
      profileLine: 8,
      overrides: [["approval_policy=never", 12]],
      findings: [],
      invocations: [
        [8, "exec", "azi4a2-autonomous"],
        [12, "review", null],
        [16, null, "azi4a2-autonomous"],
        [18, "exec", "azi4a2-autonomous"],
      ],
    },
  ],
  [
    "profile-unknown",
    { profile: null, profileLine: null, overrides: [], findings: [], invocations: [[5, null, null]] },
  ],
  [
    "app-server-prettier",
    {
      profile: null,
      profileLine: null,
      overrides: [],
      findings: [],
      invocations: [
        [3, "app-server", null],
        [4, null, null],
      ],
    },
  ],
  [
    "legacy-sandbox",
    {
      profile: "azi4a2-autonomous",
      profileLine: 3,
      overrides: [],
      findings: [["--sandbox", 4]],
      invocations: [[3, null, "azi4a2-autonomous"]],
    },
  ],
  [
    "legacy-attached",
    {
      profile: "azi4a2-autonomous",
      profileLine: 5,
      overrides: [
        ["sandbox_mode=workspace-write", 8],
        ["sandbox_workspace_write.network_access=true", 9],
      ],
      findings: [
        ["-s", 5],
        ["-c sandbox_mode", 8],
        ["-c sandbox_workspace_write", 9],
        ["--add-dir", 10],
        ["--yolo", 11],
      ],
      invocations: [
        [5, "exec", "azi4a2-autonomous"],
        [7, null, "azi4a2-autonomous"],
      ],
    },
  ],
  [
    "legacy-in-variables",
    {
      profile: "azi4a2-autonomous",
      profileLine: 4,
      overrides: [],
      findings: [
        ["--full-auto", 3],
        ["--approve-for-me", 3],
        ["--add-dir", 7],
        ["--sandbox", 9],
      ],
      invocations: [[10, "exec", "azi4a2-autonomous"]],
    },
  ],
  [
    "tls-off",
    {
      profile: "azi4a2-autonomous",
      profileLine: 9,
      overrides: [],
      findings: [
        ["NODE_TLS_REJECT_UNAUTHORIZED=0", 3],
        ["-k", 4],
        ["--no-check-certificate", 6],
        ["NODE_TLS_REJECT_UNAUTHORIZED=0", 8],
        ["NODE_TLS_REJECT_UNAUTHORIZED=0", 9],
      ],
      invocations: [
        [8, null, null],
        [9, null, "azi4a2-autonomous"],
      ],
    },
  ],
];

describe("readLauncherStatic: fixture launchers", () => {
  it.each(LAUNCHERS)("%s", (name, expected) => {
    expect(reading(name)).toEqual(expected);
  });
});

/** Small scripts and the arguments their last Codex command receives, as the shell would expand them. */
const EXPANSIONS: Array<[string, string, string[]]> = [
  [
    "wrappers in front of Codex",
    "exec nice -n 5 timeout -k 5 60 stdbuf -o L setsid nohup time -p codex -p x",
    ["-p", "x"],
  ],
  ["a prefix assignment is for that command only", 'P=x codex -p a\nexec codex -p "${P:-d}"', ["-p", "d"]],
  [
    "a default path to codex names the program",
    'codex_bin=${CODEX_BIN:-$HOME/.local/bin/codex}\nexec "$codex_bin" -p x',
    ["-p", "x"],
  ],
  ["a quoted unknown is one word", 'set -- "$X" --profile p\nshift\nexec codex "$@"', ["--profile", "p"]],
  [
    "an unquoted unknown may be several words",
    'set -- x$X --profile p\nshift\nexec codex "$@"',
    ["x$X", "--profile", "p"],
  ],
  [
    "so may an unknown value, unquoted",
    'V="$HOME/x"\nset -- $V -p p\nshift\nexec codex "$@"',
    ["$HOME/x", "-p", "p"],
  ],
  ["exec -a names the process", "exec -a codex-auto codex --profile p", ["--profile", "p"]],
  ['"$@" and an empty array are no words', 'a=()\nset --\nexec codex "$@" "${a[@]}" -p x', ["-p", "x"]],
  [
    "shift drops known arguments",
    'set -- --sandbox x --profile p "$@"\nshift 2\nexec codex "$@"',
    ["--profile", "p", "$@"],
  ],
  [
    "$1 after set --",
    'set -- azi4a2-autonomous\nexec codex --profile "$1"',
    ["--profile", "azi4a2-autonomous"],
  ],
  [
    "a loop variable is unknown",
    'p=x\nfor p in a b; do :; done\nexec codex --profile "$p"',
    ["--profile", "$p"],
  ],
  ["unset brings the default back", 'X=y\nunset X\nexec codex --profile "${X:-d}"', ["--profile", "d"]],
  ["+= appends to a word list", "A=--profile\nA+=' p'\nexec codex $A", ["--profile", "p"]],
  [
    "quotes and escapes are removed",
    "exec codex -c \"model=\\\"o3\\\"\" $'--yolo' \\-\\-add-dir '/x y' $'a\\tb'",
    ["-c", 'model="o3"', "--yolo", "--add-dir", "/x y", "a\tb"],
  ],
  [
    "array elements and a word as an array",
    'a=(one two)\ns=solo\nexec codex "${a[1]}" "$a" "${s[@]}"',
    ["two", "one", "solo"],
  ],
  ["an unquoted empty word vanishes, a quoted one stays", 'E=\nexec codex $E "" "$E"', ["", ""]],
  ['a path looked up with "command -v"', 'exec "$(command -v codex)" -p x', ["-p", "x"]],
  ["a path looked up with which", "C=$(which codex)\nexec $C -p x", ["-p", "x"]],
  ["a path looked up with type -P", 'exec "$(type -P codex)" -p x', ["-p", "x"]],
  ["a path looked up with type -p", 'exec "$(type -p codex)" -p x', ["-p", "x"]],
  ["command runs its argument", "command -v codex >/dev/null\ncommand -p codex -p x", ["-p", "x"]],
  ["npx with Codex's package and version", "npx -y @openai/codex@0.169.0 -p x", ["-p", "x"]],
  ["npx naming the package apart", "npx --package @openai/codex codex -p x", ["-p", "x"]],
  ["env with options and assignments", "env -u HOME -i A=1 B=2 codex -p x", ["-p", "x"]],
  ["timeout with a signal", "timeout -s KILL 60 codex -p x", ["-p", "x"]],
  ["stdbuf with each stream", "stdbuf -i 0 -e L codex -p x", ["-p", "x"]],
  ["a wrapper's -- ends its options", "nohup -- codex -p x", ["-p", "x"]],
  [
    "other expansions stay as written",
    'exec codex --profile "${p%.toml}" "$(cat f)"',
    ["--profile", "${p%.toml}", "$(cat f)"],
  ],
];

describe("readLauncherStatic: expansion", () => {
  it.each(EXPANSIONS)("%s", (_title, script, args) => {
    const result = readLauncherStatic("l", `${script}\n`);
    expect(result.invocations.at(-1)?.args).toEqual(args);
  });

  it("takes a profile only when its value is exactly known", () => {
    expect(readLauncherStatic("l", 'set -- azi4a2-autonomous\nexec codex -p "$1"\n').profile).toBe(
      "azi4a2-autonomous",
    );
    expect(readLauncherStatic("l", 'exec codex --profile "$(cat f)"\n').profile).toBeNull();
    expect(readLauncherStatic("l", 'set -- --sandbox x "$@"\nshift 2\nexec codex "$@"\n').findings).toEqual(
      [],
    );
  });
});

describe("readLauncherStatic", () => {
  it("keeps the launcher line of each finding and what the reader cannot know as written", () => {
    const result = readLauncherStatic("l", fixture("legacy-in-variables"));
    expect(result.findings[0]).toEqual({
      line: 3,
      flag: "--full-auto",
      text: 'LEGACY="--full-auto --approve-for-me"',
    });
    expect(result.invocations[0]?.args).toEqual([
      "exec",
      "--full-auto",
      "--approve-for-me",
      "--profile",
      "azi4a2-autonomous",
      "--add-dir",
      "$HOME/shared",
      "--sandbox=read-only",
      "$@",
    ]);
    expect(readLauncherStatic("l", fixture("profile-unknown")).invocations[0]?.args).toEqual([
      "--profile",
      "$1",
      "$@",
    ]);
  });

  it("flags `--sandbox workspace-write` appended to the exec line, at its line", () => {
    const text = readmeLauncher.replace(
      '--skip-git-repo-check "$@"',
      '--skip-git-repo-check --sandbox workspace-write "$@"',
    );
    const result = readLauncherStatic("codex-auto", text);
    expect(result.findings).toEqual([
      {
        line: lineOf(text, "--sandbox workspace-write"),
        flag: "--sandbox",
        text: expect.stringContaining("exec"),
      },
    ]);
  });

  it("flags --dangerously-bypass-approvals-and-sandbox and -c sandbox_mode inside an argument array", () => {
    const text = readmeLauncher
      .replace(
        '--profile "$PROFILE"\n',
        '--profile "$PROFILE"\n  --dangerously-bypass-approvals-and-sandbox\n',
      )
      .replace("overrides=(\n", "overrides=(\n  -c 'sandbox_mode=\"workspace-write\"'\n");
    const flags = readLauncherStatic("codex-auto", text).findings.map((f) => [f.flag, f.line]);
    expect(flags).toEqual([
      ["-c sandbox_mode", lineOf(text, "sandbox_mode=")],
      ["--dangerously-bypass-approvals-and-sandbox", lineOf(text, "  --dangerously-bypass")],
    ]);
  });

  it("does not count an array that never reaches Codex", () => {
    const text = 'unused=(--sandbox danger-full-access)\nexec codex --profile p "$@"\n';
    expect(readLauncherStatic("l", text).findings).toEqual([]);
  });

  it("does not take a lookup, another package or a -V for a run of Codex", () => {
    for (const text of [
      "command -v codex\n",
      "command -V codex\n",
      'exec "$(type codex)" -p x\n',
      'exec "$(which codex; echo)" -p x\n',
      'exec "$(which "$X")" -p x\n',
      "npx @openai/codex-sdk -p x\n",
      "npx @openai/codex@1/extra -p x\n",
    ]) {
      expect([text, readLauncherStatic("l", text).invocations]).toEqual([text, []]);
    }
  });

  it("reports every line the grammar could not read, in order", () => {
    expect(readLauncherStatic("l", "c )\nexec codex -p p\nd )\n").syntaxErrors).toEqual([1, 3]);
  });

  it("reads nothing from a program it cannot name", () => {
    const result = readLauncherStatic("l", 'exec "$CODEX_BIN" --sandbox danger-full-access --profile p\n');
    expect(result).toMatchObject({ profile: null, findings: [], invocations: [] });
  });

  it("reports where the bash grammar could not read the launcher", () => {
    const text = '#!/bin/sh\nif [ -n "$x" ]; then\n  exec codex -p azi4a2-autonomous "$@"\n';
    const result = readLauncherStatic("l", text);
    expect(result.syntaxErrors).toEqual([4]);
    expect(result.profile).toBe("azi4a2-autonomous");
  });

  it("returns no profile when the launcher passes none", () => {
    expect(readLauncherStatic("l", 'exec codex exec -c approval_policy=never "$@"\n').profile).toBeNull();
  });
});

describe("parseObservedArgv", () => {
  const appended = [
    "--disable",
    "unbounded_connection_retries",
    "-c",
    "model_provider=codex_smoke_mock",
    "-c",
    "model=mock-model",
  ];

  it("separates the launcher's arguments from the harness's", () => {
    const argv = [
      "exec",
      "--profile",
      "azi4a2-autonomous",
      "-c",
      'approval_policy="never"',
      "--skip-git-repo-check",
      ...appended,
      "run the runner",
    ];
    expect(parseObservedArgv(argv, appended)).toEqual({
      subcommand: "exec",
      profile: "azi4a2-autonomous",
      overrides: [{ key: "approval_policy", raw: 'approval_policy="never"' }],
      legacyFlags: [],
      legacy: [],
    });
  });

  const read = (subcommand: string | null, profile: string | null, more: Partial<ObservedArgv> = {}) => ({
    subcommand,
    profile,
    overrides: [],
    legacyFlags: [],
    legacy: [],
    ...more,
  });
  const sandboxMode = (spelled: "-s" | "--sandbox", mode: string) => ({
    legacyFlags: [`${spelled} ${mode}`],
    legacy: [{ flag: spelled, value: mode }],
  });
  const override = (raw: string) => ({
    overrides: [{ key: raw.slice(0, raw.indexOf("=")), raw }],
  });

  const CASES: Array<[string[], ObservedArgv]> = [
    [["-sdanger-full-access"], read(null, null, sandboxMode("-s", "danger-full-access"))],
    [["-s=read-only"], read(null, null, sandboxMode("-s", "read-only"))],
    [["-s", "read-only"], read(null, null, sandboxMode("-s", "read-only"))],
    [["--sandbox=workspace-write"], read(null, null, sandboxMode("--sandbox", "workspace-write"))],
    [
      ["exec", "--sandbox", "workspace-write", "the prompt"],
      read("exec", null, sandboxMode("--sandbox", "workspace-write")),
    ],
    [["exec", "-sworkspace-write"], read("exec", null, sandboxMode("-s", "workspace-write"))],
    [["-ckey=v"], read(null, null, override("key=v"))],
    [["-c=key=v"], read(null, null, override("key=v"))],
    [["-c", "key=v"], read(null, null, override("key=v"))],
    [["--config=key=v"], read(null, null, override("key=v"))],
    [["--config", "key=v"], read(null, null, override("key=v"))],
    [["exec", "-ckey=v"], read("exec", null, override("key=v"))],
    [
      ['-csandbox_mode="read-only"'],
      read(null, null, {
        ...override('sandbox_mode="read-only"'),
        legacyFlags: ['-c sandbox_mode="read-only"'],
        legacy: [{ flag: "-c sandbox_mode", value: 'sandbox_mode="read-only"' }],
      }),
    ],
    [
      ["--config", "sandbox_workspace_write.network_access=true"],
      read(null, null, {
        ...override("sandbox_workspace_write.network_access=true"),
        legacyFlags: ["-c sandbox_workspace_write.network_access=true"],
        legacy: [
          { flag: "-c sandbox_workspace_write", value: "sandbox_workspace_write.network_access=true" },
        ],
      }),
    ],
    [["-pazi4a2-autonomous"], read(null, "azi4a2-autonomous")],
    [["-p=azi4a2-autonomous"], read(null, "azi4a2-autonomous")],
    [["-p", "azi4a2-autonomous"], read(null, "azi4a2-autonomous")],
    [["--profile=azi4a2-autonomous"], read(null, "azi4a2-autonomous")],
    [["exec", "-pazi4a2-autonomous", "the prompt"], read("exec", "azi4a2-autonomous")],
    [["--yolo"], read(null, null, { legacyFlags: ["--yolo"], legacy: [{ flag: "--yolo", value: null }] })],
    [
      ["exec", "--dangerously-bypass-approvals-and-sandbox"],
      read("exec", null, {
        legacyFlags: ["--dangerously-bypass-approvals-and-sandbox"],
        legacy: [{ flag: "--dangerously-bypass-approvals-and-sandbox", value: null }],
      }),
    ],
    [
      ["exec", "--full-auto"],
      read("exec", null, { legacyFlags: ["--full-auto"], legacy: [{ flag: "--full-auto", value: null }] }),
    ],
    [
      ["--approve-for-me", "--not-so-yolo"],
      read(null, null, {
        legacyFlags: ["--approve-for-me", "--not-so-yolo"],
        legacy: [
          { flag: "--approve-for-me", value: null },
          { flag: "--not-so-yolo", value: null },
        ],
      }),
    ],
    [
      ["--add-dir=/a", "exec", "--add-dir", "/b"],
      read("exec", null, {
        legacyFlags: ["--add-dir /a", "--add-dir /b"],
        legacy: [
          { flag: "--add-dir", value: "/a" },
          { flag: "--add-dir", value: "/b" },
        ],
      }),
    ],
    // `--` ends the options: what follows is the prompt.
    [["-p", "x", "--", "--sandbox", "danger-full-access"], read(null, "x")],
    [["--", "exec"], read(null, null)],
    // Options before and after the subcommand; the subcommand's own `--profile` comes last.
    [["-p", "root", "exec", "-p", "inner"], read("exec", "inner")],
    [["e", "-pazi4a2-autonomous"], read("exec", "azi4a2-autonomous")],
    [["a"], read("apply", null)],
    [["mcp", "login", "playwright"], read("mcp", null)],
    [["--profile", "p", "exec is a word here"], read(null, "p")],
    [["the prompt", "--profile", "p"], read(null, "p")],
    // A value is not the subcommand, attached or not; `-i` takes images until the next option, as clap does.
    [["-m", "exec", "mcp", "list"], read("mcp", null)],
    [["-Cexec", "review"], read("review", null)],
    [["-i", "a.png", "exec"], read(null, null)],
    // `-p` is `--prettier` under `app-server`; `sandbox` runs its command after `--`.
    [["app-server", "generate-ts", "-p", "/usr/bin/prettier", "-o", "out"], read("app-server", null)],
    [["sandbox", "-p", "prof", "--", "codex", "--sandbox", "danger-full-access"], read("sandbox", "prof")],
    [["exec", "-s"], read("exec", null, { legacyFlags: ["-s"], legacy: [{ flag: "-s", value: null }] })],
  ];

  it.each(CASES)("%j", (argv, expected) => {
    expect(parseObservedArgv(argv)).toEqual(expected);
  });
});
