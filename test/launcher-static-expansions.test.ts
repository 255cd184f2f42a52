// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell scripts; ${…} is the shell's
// readLauncherStatic on small scripts, one shell rule each: parameter-expansion operators, `set`/`shift` and
// positionals, assignments, wrappers, program lookups and TLS settings. Where the script is plain bash, the expected
// arguments are what bash passes (checked with a `codex` that prints its arguments); what the reader cannot know
// (`$(cat f)`, an unassigned `$2`) is kept as written.
import { describe, expect, it } from "vitest";
import { readLauncherStatic } from "../src/gather/launcher-static.js";

const argsOfLast = (script: string) => readLauncherStatic("l", `${script}\n`).invocations.at(-1)?.args;
const allArgs = (script: string) => readLauncherStatic("l", `${script}\n`).invocations.map((i) => i.args);
const findings = (script: string) =>
  readLauncherStatic("l", `${script}\n`).findings.map((f): [string, number] => [f.flag, f.line]);

/** Scripts and the arguments their last Codex command receives. */
const OPERATORS: Array<[string, string, string[]]> = [
  [
    "each operator on an empty variable, quoted",
    'x=\ncodex "${x:-d}" "${x-d}" "${x:+a}" "${x+a}"',
    ["d", "", "", "a"],
  ],
  [
    "each operator on a set variable",
    "x=a\ncodex ${x:-d} ${x-d} ${x:=d} ${x=d} ${x:+b} ${x+b}",
    ["a", "a", "a", "a", "b", "b"],
  ],
  ["an alternative of an empty variable, unquoted, is no word", "x=\ncodex ${x:+a} z", ["z"]],
  ["an alternative of an unset variable is none", 'codex ${y+b} "${y:+b}" z', ["", "z"]],
  ["a default of a quoted value", 'x="a"\ncodex "${x:-d}"', ["a"]],
  [":- and - leave the variable unset", 'codex "${y-d}" "${y:-d}" "${y:-$y}"', ["d", "d", "$y"]],
  [":= and = assign the default", 'x=\ncodex "${x:=d}" "$x" "${y=e}" "$y"', ["d", "d", "e", "e"]],
  [":= assigns the word unsplit and expands like the variable", 'codex ${y:="a b"} "$y"', ["a", "b", "a b"]],
  [":= keeps the spaces of an unquoted word", ': ${y:=a   b}\ncodex "$y"', ["a   b"]],
  [":= of a variable", 'z="a  b"\ncodex ${y:=$z} "$y"', ["a", "b", "a  b"]],
  ["an empty quoted default is an empty word", 'codex ${y:-""} a ${y:-"" b}', ["", "a", "", "b"]],
  ["an empty unquoted default is no word", "codex ${y:-} a", ["a"]],
  [
    "a default that is not exactly known stays as written",
    "x=$(cat f)\ncodex ${x:-d} ${x:+a}",
    ["$(cat f)", "${x:+a}"],
  ],
  [
    "quotes and expansions in a default",
    'y="g h"\ncodex ${x:-"a b"} ${x:-\'c d\'} ${x:-$\'e\\tf\'} ${x:-$y} ${x:-${y}} ${x:-"$y"}',
    ["a b", "c d", "e\tf", "g", "h", "g", "h", "g h"],
  ],
  ["an empty quoted value takes the default", 'x=""\ncodex "${x:-d}" "${x:+a}"', ["d", ""]],
  ["a command substitution in a default is one unknown", "codex ${x:-$(cat f)} z", ["$(cat f)", "z"]],
  ["an unset array is kept as written", 'codex "${b[@]}" x', ["${b[@]}", "x"]],
  ["a length is kept as written", 'x=abc\ncodex "${#x}"', ["${#x}"]],
  ["an alternative over an array", 'a=(p q)\ncodex "${a[@]:+z}"', ["z"]],
];

const POSITIONALS: Array<[string, string, string[]]> = [
  ["set without -- replaces them", 'set x y\ncodex "$@"', ["x", "y"]],
  ["a word with a dash inside is one of them", 'set a-b\ncodex "$@"', ["a-b"]],
  ["set with an option keeps them", 'set -- a\nset -e\nset +e\ncodex "$@"', ["a"]],
  ["set alone keeps them", 'set -- a\nset\ncodex "$@"', ["a"]],
  ['shift cannot drop the launcher\'s own "$@"', 'shift\ncodex "$@"', ["$@"]],
  ['"$@x" joins the last one', 'set -- a b\ncodex "$@x"', ["a", "bx"]],
  ["${10} is the tenth", 'set -- 1 2 3 4 5 6 7 8 9 10\ncodex "${10}"', ["10"]],
  ["a name ending in a digit is a variable", 'a1=x\ncodex "$a1"', ["x"]],
  ["$1 is known before an unknown", 'set -- a $X\ncodex "$1"', ["a"]],
  ["$2 after an unknown unquoted word is unknown", 'set -- $X a\ncodex "$2"', ["$2"]],
  ["a loop variable is one word", 'for p in a b; do :; done\nset -- "$p" x\ncodex "$2"', ["x"]],
  ["a looked-up path is one word", 'set -- "$(which x)" a\ncodex "$2"', ["a"]],
  ['" $@" keeps the space on the first', 'set -- a b\ncodex " $@"', [" a", "b"]],
  ['" $@" of none is the space', 'set --\ncodex " $@" "$@"', [" "]],
  ["$0 is not a positional parameter", 'set -- a\ncodex "$0"', ["$0"]],
  ["a loop variable is not unset", 'for p in a b; do :; done\ncodex "${p:-d}"', ["$p"]],
  ["a loop's words are not variables", 'a=1\nfor p in a; do :; done\ncodex "$a"', ["1"]],
  ["$# is not $@", 'set -- a b\ncodex "$#"', ["$#"]],
];

const VARIABLES: Array<[string, string, string[]]> = [
  ["an assignment replaces the value", "A=x\nA=y\ncodex $A", ["y"]],
  ["an assignment is not split", 'B="x  y"\nA=$B\ncodex "$A"', ["x  y"]],
  ["an array assigned to a word joins with spaces", 'a=(x y)\nA=${a[@]}\ncodex "$A"', ["x y"]],
  ["+= on an unset word", 'C+=x\ncodex "$C"', ["x"]],
  ["+= of an array to a word", 'A=x\nA+=(y)\nB+=(z)\ncodex "${A[@]}" "${B[@]}"', ["x", "y", "z"]],
  ["an empty array is an empty word as a word", 'a=()\ncodex "$a"', [""]],
  ["an array's tenth element", 'a=(0 1 2 3 4 5 6 7 8 9 10)\ncodex "${a[10]}"', ["10"]],
  ["an empty array with a longer name is no word", 'ab=()\ncodex "${ab[@]}" x', ["x"]],
  ['"${a[*]}" is one word', 'a=(p q)\ncodex "${a[*]}" ${a[*]}', ["p q", "p", "q"]],
  ['"${a[*]}" of an empty array is an empty word', 'a=()\ncodex "${a[*]}" ${a[*]} x', ["", "x"]],
  ["an element assigned makes the array unknown", 'a=x\na[1]=y\ncodex "${a:-d}"', ["$a"]],
  ["unquoted known text is split", 'X=" a "\ncodex $X b b$X', ["a", "b", "b", "a"]],
  [
    "spaces before an expansion in a string are text",
    'x=a\ncodex "$x b" " $x" "a $x c" "$x $x" "\t${x}" " $(cat f)"',
    ["a b", " a", "a a c", "a a", "\ta", " $(cat f)"],
  ],
  ["a backslash-newline in double quotes is removed", 'codex "a\\\nb"', ["ab"]],
  ["ANSI-C escapes", "codex $'a\\nb\\rc'", ["a\nb\rc"]],
];

const PROGRAMS: Array<[string, string, string[][]]> = [
  ["setsid with an option", "setsid -w codex -p x", [["-p", "x"]]],
  ["npx -p names the package", "npx -p @openai/codex codex -p x", [["-p", "x"]]],
  [
    "env -C and -S take a value",
    "env -C /d codex -p x\nenv -S -i codex -p y",
    [
      ["-p", "x"],
      ["-p", "y"],
    ],
  ],
  ["a - is the program", "nohup - codex -p x", []],
  ["after -- comes the program", "nohup -- -x codex", []],
  ["a wrapper with nothing to run", "time -p\nexec 2>&1\nE=\n$E\ncommand", []],
  ["command -p runs its argument inside $(…) only", 'exec "$(command -p codex)" -p x', [[]]],
  ["only a lookup names a program", 'exec "$(foo -v codex)" -p x\nexec "$(cat codex)" -p x', []],
  ["a lookup of a word with other characters", 'exec "$(which a:b/codex)" -p x', []],
  ["env with only assignments runs nothing", "env A=1", []],
  ["a lookup of an unknown path", 'exec "$(which $HOME/codex)" -p x', []],
  ["a lookup beside a comment", 'exec "$(which codex # c\n)" -p x', [["-p", "x"]]],
  [
    "another scope or a versioned path is not Codex's package",
    "npx y@openai/codex@1 -p x\nnpx @openai/codex@1/x -p x",
    [],
  ],
];

describe("readLauncherStatic: parameter expansion", () => {
  it.each(OPERATORS)("%s", (_title, script, args) => expect(argsOfLast(script)).toEqual(args));
});

describe("readLauncherStatic: positional parameters", () => {
  it.each(POSITIONALS)("%s", (_title, script, args) => expect(argsOfLast(script)).toEqual(args));
});

describe("readLauncherStatic: variables and words", () => {
  it.each(VARIABLES)("%s", (_title, script, args) => expect(argsOfLast(script)).toEqual(args));
});

describe("readLauncherStatic: programs", () => {
  it.each(PROGRAMS)("%s", (_title, script, runs) => expect(allArgs(script)).toEqual(runs));
});

describe("readLauncherStatic: profile and findings", () => {
  it("takes no profile from a -p without its value, nor from a looked-up word", () => {
    const bare = readLauncherStatic("l", "codex --profile\n");
    expect([bare.profile, bare.profileLine]).toEqual([null, null]);
    expect(readLauncherStatic("l", 'exec codex --profile "$@"\n').profile).toBeNull();
    const looked = readLauncherStatic("l", 'exec codex --profile "$(which x)"\n');
    expect([looked.profile, looked.invocations[0]?.args]).toEqual([null, ["--profile", "x"]]);
  });

  it("flags NODE_TLS_REJECT_UNAUTHORIZED only when it is exactly 0", () => {
    const script = [
      "X=0",
      "NODE_TLS_REJECT_UNAUTHORIZED=1",
      "a=(0 1)",
      "NODE_TLS_REJECT_UNAUTHORIZED=${a[@]}",
      "NODE_TLS_REJECT_UNAUTHORIZED=$(which 0)",
      'Z=" 0"',
      "NODE_TLS_REJECT_UNAUTHORIZED=$Z",
      "NODE_TLS_REJECT_UNAUTHORIZED=",
      "env A=1 codex -c NODE_TLS_REJECT_UNAUTHORIZED=0",
      "timeout NODE_TLS_REJECT_UNAUTHORIZED=0 codex",
      "NODE_TLS_REJECT_UNAUTHORIZED='0'",
    ].join("\n");
    expect(findings(script)).toEqual([["NODE_TLS_REJECT_UNAUTHORIZED=0", 11]]);
  });

  it("flags --insecure and curl's -k, not in messages, tests or other words", () => {
    const script = [
      "curl --insecure https://e.invalid/",
      "curl -fsS https://e.invalid/a-k",
      "curl a-k",
      'command [ "$x" = --insecure ]',
      "printf '%s' --insecure",
      "test --insecure",
      '[ "$x" = --insecure ]',
    ].join("\n");
    expect(findings(script)).toEqual([["--insecure", 1]]);
  });

  it("lists findings by line, a variable's at the line of its assignment", () => {
    expect(findings("A=--yolo\ncodex --sandbox x\ncodex $A")).toEqual([
      ["--yolo", 1],
      ["--sandbox", 2],
    ]);
  });

  it("places a joined word at the line its text starts on", () => {
    expect(findings("S=--sand\ncodex ${S}box x")).toEqual([["--sandbox", 1]]);
  });
});
