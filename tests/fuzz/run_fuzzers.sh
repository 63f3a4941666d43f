#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan), replays the checked-in hostile inputs
# (tests/fuzz/corpus/<target>/), then fuzzes each target for SECONDS (default 60), seeded from the
# repository's own files (and ../shared when present). Exit status non-zero on any crash, hang, leak,
# out-of-memory or sanitizer report. CI (installer/test.sh) runs it with 20 s per target.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-60}
targets=(fuzz_safetensors fuzz_config fuzz_tokenizer_json fuzz_tokenizer_encode fuzz_session)
start=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRANSMLA_FUZZ=ON \
  -DTRANSMLA_BUILD_GUI=OFF -DTRANSMLA_BUILD_TESTS=ON > /dev/null
cmake --build build-fuzz --parallel "$(nproc)" --target "${targets[@]}" make_session_seeds
echo "fuzz: built in $(( $(date +%s) - start )) s"

seeds=build-fuzz/seeds; rm -rf "$seeds"; mkdir -p "$seeds"/{safetensors,config,tokenizer_json,tokenizer_encode,session}
head -c 4096 resources/models/tiny-llama-gqa/model.safetensors > "$seeds/safetensors/demo-head"
cp resources/models/tiny-llama-gqa/config.json "$seeds/config/"
cp resources/models/tiny-llama-gqa/tokenizer.json "$seeds/tokenizer_json/"
head -n 20 resources/data/gsm8k/test.jsonl > "$seeds/tokenizer_encode/gsm8k"
for m in ../shared/models/*/; do [ -f "$m/config.json" ] && cp "$m/config.json" "$seeds/config/$(basename "$m").json"; done
build-fuzz/tests/fuzz/make_session_seeds "$seeds/session"
# Schema-1 sessions of the CLI and the workbench (checksummed format), for the version-1 reader.
cp tests/core/results/data/cli-v1.h5 tests/core/results/data/workbench-v1.h5 "$seeds/session/"

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp
common=(-rss_limit_mb=2048 -timeout=10 -max_len=65536)
status=0
for target in "${targets[@]}"; do
  name=${target#fuzz_}
  log=build-fuzz/$target.log
  work=build-fuzz/corpus-$target; mkdir -p "$work"
  # 1. every checked-in hostile input, once
  if ! build-fuzz/tests/fuzz/$target "${common[@]}" tests/fuzz/corpus/$name/* > "$log" 2>&1; then
    echo "== $target: REPLAY FAILED"; grep -E "ERROR|SUMMARY|Test unit" "$log" || tail -20 "$log"; status=1; continue
  fi
  # 2. bounded fuzzing; new inputs go to build-fuzz/corpus-<target>, crashes to build-fuzz/
  if build-fuzz/tests/fuzz/$target "${common[@]}" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
      -artifact_prefix=build-fuzz/$target- "$work" "$seeds/$name" tests/fuzz/corpus/$name > "$log" 2>&1; then
    echo "== $target: ${SECONDS_EACH}s, $(ls tests/fuzz/corpus/$name | wc -l) hostile inputs replayed," \
      "$(grep -oP 'number_of_executed_units: \K[0-9]+' "$log") runs, cov $(grep -oP '#[0-9]+\s+DONE\s+cov: \K[0-9]+' "$log" | tail -1)"
  else
    echo "== $target: FAILED (log: $log)"; grep -E "ERROR|SUMMARY|Test unit" "$log" || tail -20 "$log"; status=1
  fi
done
echo "fuzz: total $(( $(date +%s) - start )) s, status $status"
exit $status
