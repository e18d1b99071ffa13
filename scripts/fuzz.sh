#!/usr/bin/env bash
# Runs every fuzz target of jiefen for a while (60s each by default:
# FUZZTIME=10m scripts/fuzz.sh for longer). Seeds come from the f.Add calls
# and the committed corpora under each package's testdata/fuzz; a crash
# stops the script and go test writes the failing input to testdata/fuzz,
# where it becomes a regression test once committed.
set -euo pipefail
cd "$(dirname "$0")/.."
time="${FUZZTIME:-60s}"
targets=(
  "./litigation FuzzParseCaseNumber"
  ". FuzzNormalizeIDNumberAndPhone"
  "./internal/courtfile FuzzRead"
  "./internal/httpapi FuzzIntakeDecoder"
)
for t in "${targets[@]}"; do
  set -- $t
  echo "== $2 ($1), $time"
  go test -run='^$' -fuzz="^$2\$" -fuzztime="$time" "$1"
done
