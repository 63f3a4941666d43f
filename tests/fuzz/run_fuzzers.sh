#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS (default 60),
# seeded from the repository's own files (and ../shared when present). Exit status non-zero on any crash.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-60}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRANSMLA_FUZZ=ON \
  -DTRANSMLA_BUILD_GUI=OFF > /dev/null
cmake --build build-fuzz --target fuzz_safetensors fuzz_config fuzz_tokenizer_json fuzz_tokenizer_encode
seeds=build-fuzz/seeds; rm -rf "$seeds"; mkdir -p "$seeds"/{st,cfg,tokjson,text}
head -c 4096 resources/models/tiny-llama-gqa/model.safetensors > "$seeds/st/demo-head"
cp resources/models/tiny-llama-gqa/config.json "$seeds/cfg/"
cp resources/models/tiny-llama-gqa/tokenizer.json "$seeds/tokjson/"
head -n 20 resources/data/gsm8k/test.jsonl > "$seeds/text/gsm8k"
for m in ../shared/models/*/; do [ -f "$m/config.json" ] && cp "$m/config.json" "$seeds/cfg/$(basename $m).json"; done
status=0
for pair in "fuzz_safetensors st" "fuzz_config cfg" "fuzz_tokenizer_json tokjson" "fuzz_tokenizer_encode text"; do
  set -- $pair
  echo "== $1 (${SECONDS_EACH}s)"
  ASAN_OPTIONS=detect_leaks=1 build-fuzz/tests/fuzz/$1 -max_total_time="$SECONDS_EACH" -rss_limit_mb=4096 \
    -max_len=65536 -print_final_stats=1 "$seeds/$2" 2>&1 | grep -E "^#[0-9]+.*DONE|stat::number_of_executed_units|ERROR|SUMMARY" || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
exit $status
