#!/usr/bin/env bash
# README command (2): install dependencies, build, and run the whole test suite with ctest.
# Reference data is read from ../shared when present (tests needing it skip otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
installer/deps-debian.sh
installer/build.sh -DTRANSMLA_WERROR=ON   # CI compiles our code with warnings as errors
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
(cd build && ctest --output-on-failure --timeout 1500 "$@")
# Hostile inputs under ASan + UBSan + LSan: the checked-in corpus replayed, then each parser fuzzed for
# TRANSMLA_FUZZ_SECONDS (default 20; 0 skips). About 3 minutes on 2 cores: see tests/fuzz/README.md.
if [ "${TRANSMLA_FUZZ_SECONDS:-20}" -gt 0 ]; then
  tests/fuzz/run_fuzzers.sh "${TRANSMLA_FUZZ_SECONDS:-20}"
fi
