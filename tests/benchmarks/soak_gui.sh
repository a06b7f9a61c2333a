#!/usr/bin/env bash
# GUI soak benchmark: the app runs under Xvfb for a while (default 600 s) with the optimizer
# playing flat out; after the first minute its resident memory is sampled every 10 s, and the
# growth (median of the last minute against the median of the first minute sampled) is printed
# with the peak (target: growth at most 5 MB).
#   tests/benchmarks/soak_gui.sh [seconds] [vilab arguments...]
set -euo pipefail
seconds=${1:-600}
shift || true
root=$(cd "$(dirname "$0")/../.." && pwd)
xvfb-run -a -s "-screen 0 1600x900x24" "$root/build/app/vilab" --set speed=0 "$@" > /dev/null 2>&1 &
runner=$!
sleep 2
pid=$(pgrep -n -f "build/app/vilab --set speed=0" || true)
[ -n "$pid" ] || { echo "vilab did not start"; exit 1; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
warm=$(( seconds < 600 ? seconds / 10 : 60 ))
sleep "$warm"
samples=()
elapsed=$warm
while [ "$elapsed" -lt "$seconds" ] && kill -0 "$pid" 2>/dev/null; do
  samples+=("$(rss)")
  sleep 10; elapsed=$((elapsed + 10))
done
alive=yes; kill -0 "$pid" 2>/dev/null || alive=no
kill "$pid" 2>/dev/null || true
wait "$runner" 2>/dev/null || true
n=${#samples[@]}
window=$(( n / 4 < 6 ? (n / 4 > 0 ? n / 4 : 1) : 6 ))
first=$(median "${samples[@]:0:window}")
last=$(median "${samples[@]:n-window:window}")
peak=$(printf '%s\n' "${samples[@]}" | sort -n | tail -1)
echo "gui seconds=$seconds alive=$alive rss_first_minute_mb=$((first / 1024)) rss_last_minute_mb=$((last / 1024)) rss_peak_mb=$((peak / 1024)) growth_kb=$((last - first))"
