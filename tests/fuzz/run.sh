#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time each (default 60 s), starting from the committed
# seed corpus, and prints the executions and findings. Crashing inputs land in
# tests/fuzz/crashes/<target>/; once fixed, move them to tests/fuzz/regressions/<target>/, where
# ctest replays them in every build.
#   tests/fuzz/run.sh [seconds-per-target] [target ...]   (targets: csv idx scenario_json set_parser)
set -euo pipefail
seconds=${1:-60}
shift || true
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-fuzz
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DVILAB_FUZZ=ON \
  -DVILAB_BENCHMARKS=OFF > /dev/null
if [ $# -gt 0 ]; then
  targets=$(printf '%s_fuzzer ' "$@")
else
  targets=$(cd "$root/tests/fuzz" && ls *_fuzz.cpp | sed 's/_fuzz.cpp$/_fuzzer/')
fi
# shellcheck disable=SC2086
cmake --build "$build" -j"$(nproc)" --target $targets > /dev/null
for target in $targets; do
  name=${target%_fuzzer}
  work=$(mktemp -d)
  cp -r "$root/tests/fuzz/corpus/$name/." "$work/"
  crashes=$root/tests/fuzz/crashes/$name
  mkdir -p "$crashes"
  log=$(mktemp)
  "$build/tests/fuzz/$target" "$work" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix="$crashes/" -print_final_stats=1 > "$log" 2>&1 || true
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  found=$(find "$crashes" -type f | wc -l)
  echo "$name: ${executions} executions in ${seconds} s, ${found} crashing inputs, corpus $(ls "$work" | wc -l) files"
  grep -E "^SUMMARY|ERROR: " "$log" | head -3 || true
  rm -rf "$work" "$log"
  rmdir "$crashes" 2>/dev/null || true
done
