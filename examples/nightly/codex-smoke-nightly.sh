#!/bin/sh
# codex-smoke-nightly.sh: one audit into a dated folder, and the last good report kept as the baseline.
#
#   sh codex-smoke-nightly.sh <reports-dir> [run|demo] [codex-smoke options...]
#
# Each run writes <reports-dir>/<UTC date and time>/ (codex-smoke.json, .md, .junit.xml), points
# <reports-dir>/latest at it, and compares with <reports-dir>/baseline.json when there is one: a check that held
# there and does not now is a regression, exit 1. Only a run that exits 0 becomes the new baseline, so a broken
# or inconclusive run is never the yardstick for the next one.
#
# Exits with codex-smoke's exit code: 0 every claim holds, 1 a claim is broken or regressed, 3 some checks could
# not be tested, 2 bad options, 4 internal error of codex-smoke. The one outcome line goes to stderr.
# CODEX_SMOKE names the command to run [codex-smoke].
set -u

reports=${1:?usage: codex-smoke-nightly.sh <reports-dir> [run|demo] [codex-smoke options...]}
shift
command=run
if [ $# -gt 0 ]; then
  command=$1
  shift
fi

mkdir -p "$reports" || exit 2
# A dated folder of its own, even for two runs in the same second.
name=$(date -u +%Y-%m-%dT%H%M%SZ)
n=1
while [ -e "$reports/$name" ]; do
  n=$((n + 1))
  name=$(date -u +%Y-%m-%dT%H%M%SZ)-$n
done
baseline=$reports/baseline.json

set -- "$command" --format json,markdown,junit --out "$reports/$name" --quiet "$@"
if [ -f "$baseline" ]; then
  set -- "$@" --baseline "$baseline"
fi
"${CODEX_SMOKE:-codex-smoke}" "$@"
code=$?

if [ -f "$reports/$name/codex-smoke.json" ]; then
  ln -sfn "$name" "$reports/latest"
  # Written aside and renamed: an interrupted copy never leaves a half baseline behind.
  if [ "$code" -eq 0 ]; then
    cp "$reports/$name/codex-smoke.json" "$baseline.tmp" && mv "$baseline.tmp" "$baseline"
  fi
fi
exit "$code"
