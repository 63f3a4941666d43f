#!/usr/bin/env bash
# README command (2): install dependencies, build, and run the whole test suite with ctest.
# Reference data is read from ../shared when present (tests needing it skip otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
installer/deps-debian.sh
installer/build.sh
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
cd build
ctest --output-on-failure --timeout 1500 "$@"
