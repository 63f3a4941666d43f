#!/usr/bin/env bash
# README command (1): install dependencies, build (Release) and open the GUI on the bundled demo
# model. Without a display it says so and runs the CLI demo instead.
set -euo pipefail
cd "$(dirname "$0")/.."
installer/deps-debian.sh
installer/build.sh
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec build/app/transmla-workbench
fi
echo "demo: no display (DISPLAY/WAYLAND_DISPLAY unset): running the CLI demo instead."
echo "      For the GUI, run this on a desktop, or: xvfb-run -a build/app/transmla-workbench"
exec build/app/transmla demo
