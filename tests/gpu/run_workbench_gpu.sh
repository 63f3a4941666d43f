#!/usr/bin/env bash
# The whole workbench (GUI, CLI, tests) on a CUDA machine that has PyTorch but no Qt and no network:
# Debian 12's Qt 6 packages, downloaded elsewhere with `apt-get download` (list: tests/gpu/qt-debs.txt),
# are extracted into a prefix and used as the build's CMAKE_PREFIX_PATH, with pip torch's CUDA LibTorch.
#   tests/gpu/run_workbench_gpu.sh DEBS_DIR OUT_DIR [STEP ...]
# Steps (default: all, in order): configure build tests session.
#   build:   TARGETS (default: the CLI, the GUI, the session benchmark, tst_rankchange, every views suite).
#   tests:   the views' Qt Test suites, offscreen, with CUDA selected (TRANSMLA_DEVICE=cuda); logs in OUT/tests.log.
#   session: tests/bench/bench_workbench_session (QTest-driven user actions on the real window) on the
#            demo model and on a Llama-3-8B-shape bf16 checkpoint (tests/bench/make_random_model.py,
#            TOKENIZER_JSON: any tokenizer whose ids fit its vocabulary); screenshots land in OUT_DIR.
# DEBS_DIR/*.deb are always used; DEBS_DIR/extra/*.deb are runtime libraries used only where the
# system lacks that soname (e.g. Ubuntu's own libglib stays in charge where it exists).
# Environment: BUILD (default build-gpu), PREFIX (default /tmp/transmla-qt), JOBS, PROBLEMS (200),
# SESSION_MODELS ("demo llama3-8b").
set -uo pipefail
cd "$(dirname "$0")/../.."
DEBS=$(realpath "$1"); OUT=$(realpath -m "$2"); shift 2
STEPS=${*:-configure build tests session}
BUILD=${BUILD:-build-gpu}; P=${PREFIX:-/tmp/transmla-qt}; X=$P-fallback; L=usr/lib/x86_64-linux-gnu
JOBS=${JOBS:-$(nproc)}
mkdir -p "$OUT"
has_step() { [[ " $STEPS " == *" $1 "* ]]; }
sys_lib() { ldconfig -p | awk -v n="$1" '$1 == n { print $NF; exit }'; }

if [ ! -d "$P/usr" ]; then
  t0=$SECONDS
  mkdir -p "$P" "$X"
  for f in "$DEBS"/*.deb; do dpkg -x "$f" "$P"; done
  for f in "$DEBS"/extra/*.deb; do [ -e "$f" ] && dpkg -x "$f" "$X"; done
  # Bookworm ships some libraries (libdbus, libsystemd...) under /lib, not /usr/lib: one folder each.
  for r in "$P" "$X"; do
    if [ -d "$r/lib/x86_64-linux-gnu" ]; then mkdir -p "$r/$L"; cp -a "$r/lib/x86_64-linux-gnu/." "$r/$L/"; fi
  done
  # Fallback libraries: drop every soname the system already has.
  kept=()
  for so in "$X/$L"/lib*.so.*; do
    n=$(basename "$so")
    if [ -n "$(sys_lib "$n")" ]; then rm -f "$so"; elif [ -L "$so" ]; then kept+=("$n"); fi
  done
  # -dev symlinks (libGL.so -> libGL.so.1...) whose target is not in the prefix: point them at the
  # system's library or the fallback's.
  for link in "$P/$L"/lib*.so; do
    [ -L "$link" ] && [ ! -e "$link" ] || continue
    base=$(basename "$link")
    target=$(ldconfig -p | awk -v b="$base" 'index($1, b ".") == 1 { print $NF; exit }')
    [ -z "$target" ] && target=$(ls "$X/$L/$base".* 2>/dev/null | head -1)
    [ -n "$target" ] && ln -sf "$target" "$link" || echo "prefix: $base has no library behind it"
  done
  # Imported targets whose files no listed package ships (qmake6, qdoc, lprodump, GTK theme plugins,
  # the Qt 5 QCustomPlot): CMake refuses a targets file naming a missing file; we use none of them.
  grep -rhoE 'IMPORTED_LOCATION[A-Z_]* "\$\{_IMPORT_PREFIX\}/[^"]+' "$P/$L/cmake" | sed 's|.*_IMPORT_PREFIX}/||' | sort -u |
    while read -r f; do
      [ -e "$P/usr/$f" ] && continue
      mkdir -p "$(dirname "$P/usr/$f")"; printf '#!/bin/sh\necho "stub: not shipped" >&2; exit 1\n' > "$P/usr/$f"; chmod +x "$P/usr/$f"
      echo "prefix: stub for $f"
    done
  cat > "$P/fonts.conf" <<EOF
<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$X/usr/share/fonts</dir><dir>$P/usr/share/fonts</dir><dir>/usr/share/fonts</dir>
<cachedir>/tmp/transmla-fc-cache</cachedir></fontconfig>
EOF
  echo "prefix: $(ls "$DEBS"/*.deb | wc -l) packages + fallback ${kept[*]:-(none needed)} in $((SECONDS - t0)) s"
fi
TORCH_LIB=${TORCH_LIB:-$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib}
export LD_LIBRARY_PATH=$P/$L:$X/$L:$TORCH_LIB:${LD_LIBRARY_PATH:-}
export QT_PLUGIN_PATH=$P/$L/qt6/plugins QT_QPA_PLATFORM=offscreen FONTCONFIG_FILE=$P/fonts.conf
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-8}

# The 8B-shape checkpoint is written on the GPU while the CPU builds.
maker=
if has_step session && [[ "${SESSION_MODELS:-llama3-8b}" == *llama3-8b* ]] && [ ! -f /tmp/bench_llama3-8b/config.json ]; then
  ( t0=$SECONDS; python3 tests/bench/make_random_model.py llama3-8b /tmp/bench_llama3-8b "${TOKENIZER_JSON:?}" 2>&1 | grep -v -i warn
    echo "llama3-8b: random checkpoint written in $((SECONDS - t0)) s" ) > /tmp/maker.log 2>&1 &
  maker=$!
fi

if has_step configure; then
  TORCH_DIR=${TORCH_DIR:-$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')/Torch}
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTorch_DIR="$TORCH_DIR" \
    -DCMAKE_PREFIX_PATH="$P/usr;$P/$L/cmake" -DCMAKE_CUDA_ARCHITECTURES=90 \
    -DPCRE2_INCLUDE_DIR=$P/usr/include -DPCRE2_LIBRARY=$P/$L/libpcre2-8.so \
    -DUTF8PROC_INCLUDE_DIR=$P/usr/include -DUTF8PROC_LIBRARY=$P/$L/libutf8proc.so \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$P/$L:$X/$L" 2>&1 | grep -E "transmla|Torch|Qt|Error|error|CUDA" | head -30
  [ -f "$BUILD/build.ninja" ] || { echo "configure failed"; exit 1; }
fi
if has_step build; then
  t0=$SECONDS
  targets=(${TARGETS:-transmla transmla-workbench bench_workbench_session tst_rankchange})
  [ -n "${TARGETS:-}" ] || for t in tests/views/tst_*.cpp; do targets+=("$(basename "$t" .cpp)"); done
  if ! cmake --build "$BUILD" --parallel "$JOBS" --target "${targets[@]}" -- -k 0 > /tmp/build.log 2>&1; then
    grep -E "error|FAILED" -A3 /tmp/build.log | head -40
    # The allocator statistics are the one torch-version-specific API of device.cpp: build without them.
    cmake "$BUILD" -DTRANSMLA_ALLOCATOR_STATS=OFF > /dev/null
    cmake --build "$BUILD" --parallel "$JOBS" --target "${targets[@]}" -- -k 0 2>&1 | grep -E "error|FAILED" -A3 | head -40
  fi
  echo "build: $((SECONDS - t0)) s"
  ldd "$BUILD/app/transmla-workbench" "$P/$L/qt6/plugins/platforms/libqoffscreen.so" | grep "not found" | sort -u
fi
if has_step tests; then
  "$BUILD/app/transmla-workbench" --self-test 2>&1 | tail -3
  export TRANSMLA_DEVICE=cuda TRANSMLA_TEST_OUTPUT=/tmp/transmla-test-output
  # In parallel (one GPU is plenty for the demo model), each at most SUITE_TIMEOUT seconds.
  pids=()
  for t in "$BUILD"/tests/tst_*; do
    case $(basename "$t") in tst_panel|tst_mainwindow|tst_jobs|tst_auditflow|tst_layout|tst_rankfollow|tst_rankchange) ;; *) continue ;; esac
    ( t0=$SECONDS; timeout "${SUITE_TIMEOUT:-90}" "$t" > "/tmp/$(basename "$t").log" 2>&1; rc=$?
      echo "$(basename "$t"): rc $rc, $((SECONDS - t0)) s: $(grep -E '^Totals' "/tmp/$(basename "$t").log")" ) &
    pids+=($!)
  done
  if [ -n "${SUITES_BEHIND:-}" ]; then echo "suites run behind the sessions"; fi
  [ -n "${SUITES_BEHIND:-}" ] || wait "${pids[@]}"
  [ -n "${SUITES_BEHIND:-}" ] || for log in /tmp/tst_*.log; do
    grep -E "^FAIL|^SKIP" -A2 "$log" | head -8
    { echo "=== $log"; cat "$log"; } >> "$OUT/tests.log" # one file: few come back
  done
  unset TRANSMLA_DEVICE
fi
if has_step session; then
  # NAME:PROBLEMS entries; demo runs at its own ranks (head_dim 32), the 8B shape at r = 512, r_R = 64.
  for entry in ${SESSION_MODELS:-demo:200 llama3-8b:100 llama3-8b:200}; do
    m=${entry%%:*}; problems=${entry##*:}
    if [ -n "${STOP_AFTER_S:-}" ] && [ "$SECONDS" -gt "$STOP_AFTER_S" ]; then echo "session $entry skipped: time"; continue; fi
    if [ "$m" = demo ]; then
      dir=resources/models/tiny-llama-gqa; a=(--dtype f32 --rank 48 --ranks "32 16 64")
    else
      dir=/tmp/bench_$m; a=(--dtype bf16 --rank 512 --rope-dim 64 --ranks "384 256 448")
      [ -n "$maker" ] && { wait "$maker"; cat /tmp/maker.log; maker=; }
      [ -f "$dir/config.json" ] || python3 tests/bench/make_random_model.py "$m" "$dir" "${TOKENIZER_JSON:?}" 2>&1 | grep -v -i warn
    fi
    timeout "${SESSION_TIMEOUT:-400}" "$BUILD/tests/bench/bench_workbench_session" "$dir" --device cuda "${a[@]}" \
      --problems "$problems" --shots "$OUT" --name "${m}_$problems" 2>&1 | grep -v -E "^QWARN|propagateSizeHints"
  done
fi
if [ -n "${SUITES_BEHIND:-}" ] && has_step tests; then
  wait "${pids[@]}"
  for log in /tmp/tst_*.log; do
    grep -E "^FAIL|^SKIP" -A2 "$log" | head -8
    { echo "=== $log"; cat "$log"; } >> "$OUT/tests.log"
  done
fi
