#!/usr/bin/env bash
# VI Lab setup: installs the missing Debian packages listed in third_party/debian-packages.txt,
# builds in Release (-O3), then either opens the app or runs the whole test suite.
#   ./setup.sh run [vilab arguments...]    build and open the app (default scenario: Gaussian lab)
#   ./setup.sh test                        build and run every test through ctest
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-run}
[ $# -gt 0 ] && shift

missing=()
while read -r pkg; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' third_party/debian-packages.txt)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" \
    || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${missing[@]}"; }
fi

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"

case "$mode" in
  run)  exec build/app/vilab "$@" ;;
  test) ctest --test-dir build --output-on-failure -j"$jobs" ;;
  *)    echo "setup.sh: unknown mode '$mode' (use run or test)" >&2; exit 2 ;;
esac
