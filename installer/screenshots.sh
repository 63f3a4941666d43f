#!/usr/bin/env bash
# Screenshots of the real workbench on a real X display (Xvfb + openbox), driven with xdotool:
#   English, German and Chinese at 1366 x 768, classroom mode (F11 layout, --classroom) at 1920 x 1080.
# Each run starts with empty settings (a fresh HOME), opens the demo model, presses Ctrl+R (convert),
# waits until the workbench is idle again (the conversion is over; at most WAIT seconds, default 600), then shows each tab with Alt+1..7 and takes the
# whole screen with ImageMagick's `import`. PNGs are written to OUT (default docs/screenshots) as
# <lang>_<tab>.png (view_* for English, de_*, zh_*, classroom_*); larger than 300 KB, they are reduced to 256 colours.
#
#   installer/screenshots.sh [BUILD_DIR (default build)] [OUT (default docs/screenshots)]
#
# Needs: xvfb openbox xdotool imagemagick fonts-noto-cjk (Debian packages), a built transmla-workbench.
# Look at the results: clipping, overlapping labels, boxes instead of Chinese characters.
set -euo pipefail

build=${1:-build}
out=${2:-docs/screenshots}
wait_s=${WAIT:-600}
app=$(realpath "$build/app/transmla-workbench")
for tool in Xvfb openbox xdotool import; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (apt install xvfb openbox xdotool imagemagick)" >&2; exit 1; }
done
[ -x "$app" ] || { echo "screenshots: $app not built (cmake --build $build --target transmla-workbench)" >&2; exit 1; }
mkdir -p "$out"
out=$(realpath "$out")
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

display_no=${DISPLAY_NO:-99}
tabs=(model spectrum budget attention loss heal pareto) # Alt+1..7 (View menu)

# wait_idle PID MAX_SECONDS: returns once the process has used < 0.1 s of CPU in each of two
# consecutive 3 s windows (the conversion is over), or after MAX_SECONDS.
wait_idle() {
  local pid=$1 max=$2 start=$SECONDS last=-1 quiet=0 now
  sleep 5
  while [ $((SECONDS - start)) -lt "$max" ] && [ -r "/proc/$pid/stat" ]; do
    now=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    if [ "$last" -ge 0 ] && [ $((now - last)) -lt 10 ]; then quiet=$((quiet + 1)); else quiet=0; fi
    [ "$quiet" -ge 2 ] && break
    last=$now
    sleep 3
  done
  echo "screenshots: idle after $((SECONDS - start)) s"
}

# shoot NAME LANG LANGUAGE WIDTH HEIGHT [APP ARGS...]
shoot() {
  local name=$1 lang=$2 language=$3 w=$4 h=$5
  shift 5
  local prefix=$name
  [ "$name" = en ] && prefix=view # the README shows docs/screenshots/view_*.png
  local d=":$display_no"
  Xvfb "$d" -screen 0 "${w}x${h}x24" -nolisten tcp >/dev/null 2>&1 &
  local xvfb=$!
  pids+=("$xvfb")
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display_no" ] && break; sleep 0.1; done
  DISPLAY=$d openbox >/dev/null 2>&1 &
  local wm=$!
  pids+=("$wm")
  sleep 1
  mkdir -p "$work/$name"
  # A fresh HOME: no window geometry or recent models from an earlier run.
  (cd "$work/$name" && HOME="$work/$name" XDG_CONFIG_HOME="$work/$name/.config" DISPLAY=$d LANG=$lang LC_ALL=$lang \
     LANGUAGE=$language "$app" "$@" >"$work/$name.log" 2>&1) &
  local gui=$!
  pids+=("$gui")
  local win
  win=$(DISPLAY=$d xdotool search --sync --onlyvisible --name "TransMLA Workbench" | head -1)
  DISPLAY=$d xdotool windowactivate --sync "$win" 2>/dev/null || true
  # Maximised, as a user on a small laptop screen would (classroom mode is full screen already).
  [ "$name" = classroom ] || DISPLAY=$d xdotool key --window "$win" super+Up 2>/dev/null || true
  DISPLAY=$d xdotool windowsize "$win" 100% 100% 2>/dev/null || true
  sleep 3
  DISPLAY=$d xdotool key --clearmodifiers ctrl+r
  echo "screenshots: $name: converting the demo model (until the workbench is idle, at most ${wait_s} s)"
  wait_idle "$(pgrep -n -P "$gui" -f transmla-workbench || echo "$gui")" "$wait_s"
  for i in "${!tabs[@]}"; do
    DISPLAY=$d xdotool key --clearmodifiers "alt+$((i + 1))"
    sleep 2
    local png="$out/${prefix}_${tabs[$i]}.png"
    DISPLAY=$d import -window root "$png"
    if [ "$(stat -c %s "$png")" -gt 300000 ]; then convert "$png" -colors 256 "PNG8:$png"; fi
    echo "screenshots: $png ($(stat -c %s "$png") bytes)"
  done
  kill "$gui" "$wm" "$xvfb" 2>/dev/null || true
  wait "$gui" "$wm" "$xvfb" 2>/dev/null || true
  sleep 1
}

only=${ONLY:-en de zh classroom}
for run in $only; do
  case $run in
    en) shoot en en_US.UTF-8 en 1366 768 ;;
    de) shoot de de_DE.UTF-8 de 1366 768 ;;
    zh) shoot zh zh_CN.UTF-8 zh_CN 1366 768 ;;
    classroom) shoot classroom en_US.UTF-8 en 1920 1080 --classroom ;;
  esac
done
