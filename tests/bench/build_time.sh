#!/usr/bin/env bash
# Cold-build cost in CPU seconds, which barely depends on the machine's load (wall time does).
#   tests/bench/build_time.sh BUILD_DIR [CMAKE_ARGS...]     e.g. /tmp/bt -DTRANSMLA_PCH=ON
# Configures a fresh BUILD_DIR (removed first) Release with -DTRANSMLA_WERROR=ON, no ccache, builds what
# the README test command builds (all) with -j${JOBS:-2}, and prints: the total CPU (user+sys of every
# process ninja ran), CPU by kind of edge, the top edges, and the estimated wall on 2 idle cores: a
# list schedule of ninja's graph on 2 workers with each edge's CPU time as its length (the serial
# critical path, the PCH and the last links, included).
# Every compile, link and custom command (moc/autogen, rcc, lrelease) runs under /usr/bin/time through
# CMake's RULE_LAUNCH_* properties; their log is BUILD_DIR/edge_cpu.log ("user sys output").
set -euo pipefail
[ $# -ge 1 ] || { sed -n 2,10p "$0"; exit 2; }
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath -m "$1"); shift
rm -rf "$build"; mkdir -p "$build"
log=$build/edge_cpu.log
cat > "$build/launch.sh" <<LAUNCH
#!/usr/bin/env bash
# The edge's output: the argument after -o (compile, link), else the command's first words.
out=; prev=
for a in "\$@"; do [ "\$prev" = -o ] && out=\$a; prev=\$a; done
[ -n "\$out" ] || out=\$(printf '%s_' "\${@:1:4}" | tr -c 'A-Za-z0-9_./-' _ | cut -c1-120)
exec /usr/bin/time -a -o "$log" -f "%U %S \$out" "\$@"
LAUNCH
chmod +x "$build/launch.sh"
cat > "$build/launch.cmake" <<LAUNCH
foreach(kind COMPILE LINK CUSTOM)
  set_property(GLOBAL PROPERTY RULE_LAUNCH_\${kind} "$build/launch.sh")
endforeach()
LAUNCH
export CCACHE_DISABLE=1
unset CMAKE_CXX_COMPILER_LAUNCHER CMAKE_C_COMPILER_LAUNCHER
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRANSMLA_WERROR=ON \
  -DCMAKE_PROJECT_INCLUDE="$build/launch.cmake" "$@" > "$build/configure.log"
: > "$log"
/usr/bin/time -o "$build/total_cpu.txt" -f "%U %S %e" ninja -C "$build" -j"${JOBS:-2}" > "$build/build.log"
ninja -C "$build" -t graph all > "$build/graph.dot"
python3 "$src/tests/bench/build_time_report.py" "$build"
