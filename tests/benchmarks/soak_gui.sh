#!/usr/bin/env bash
# GUI soak benchmark: the app runs under Xvfb for a while (default 600 s) with the optimizer
# playing flat out; its resident memory is sampled every 10 s and the growth after the first
# minute is printed (target: at most 5 MB).
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
warm=$(( seconds < 600 ? seconds / 10 : 60 ))
sleep "$warm"
first=$(rss); peak=$first
elapsed=$warm
while [ "$elapsed" -lt "$seconds" ] && kill -0 "$pid" 2>/dev/null; do
  sleep 10; elapsed=$((elapsed + 10))
  now=$(rss); [ "$now" -gt "$peak" ] && peak=$now
done
alive=yes; kill -0 "$pid" 2>/dev/null || alive=no
kill "$pid" 2>/dev/null || true
wait "$runner" 2>/dev/null || true
echo "gui seconds=$seconds alive=$alive rss_after_${warm}s_mb=$((first / 1024)) rss_peak_mb=$((peak / 1024)) growth_kb=$((peak - first))"
