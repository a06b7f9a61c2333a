#!/usr/bin/env bash
# VI Lab setup: installs the missing Debian packages listed in third_party/debian-packages.txt,
# builds in Release (-O3), then either opens the app or runs the whole test suite.
#   ./setup.sh run [vilab arguments...]    build and open the app (default scenario: Gaussian lab)
#   ./setup.sh test                        build and run every test through ctest, then again
#                                          under AddressSanitizer + UndefinedBehaviorSanitizer,
#                                          and the threaded tests under ThreadSanitizer
#                                          (VILAB_QUICK=1 skips the sanitizer builds)
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

sanitized() {  # sanitized <build dir> <sanitizers> <cmake options...>
  local dir=$1 sanitizers=$2
  shift 2
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DVILAB_SANITIZE="$sanitizers" -DVILAB_BENCHMARKS=OFF "$@"
}

case "$mode" in
  run)  exec build/app/vilab "$@" ;;
  test)
    # The CSV reader's locale test needs a decimal-comma locale (generated once, from `locales`).
    locale -a 2>/dev/null | grep -qi '^de_DE.utf8$' \
      || ${sudo:-} localedef -i de_DE -c -f UTF-8 de_DE.UTF-8 2>/dev/null || true
    ctest --test-dir build --output-on-failure -j"$jobs"
    [ "${VILAB_QUICK:-0}" = 1 ] && exit 0
    # The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
    sanitized build-asan address,undefined
    cmake --build build-asan -j"$jobs"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      LSAN_OPTIONS=suppressions="$PWD/tests/sanitizers/lsan.supp" \
      ctest --test-dir build-asan --output-on-failure -j"$jobs"
    # The runner and every lab's threaded tests under ThreadSanitizer.
    sanitized build-tsan thread -DVILAB_GUI=OFF
    cmake --build build-tsan -j"$jobs" --target core_tests
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
      ctest --test-dir build-tsan --output-on-failure -j"$jobs"
    ;;
  *)    echo "setup.sh: unknown mode '$mode' (use run or test)" >&2; exit 2 ;;
esac
