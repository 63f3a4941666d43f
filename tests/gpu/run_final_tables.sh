#!/usr/bin/env bash
# The figures of the closing notes, on one GPU in one run: GSM8K throughput of transmla vs transformers
# (same model, dtype and batch policy) for the two trained tiny models, and the rank tables.
set -uo pipefail
cd "$(dirname "$0")/../.."
SHARED=$1; CLI=build-cuda/app/transmla; D=$SHARED/data/gsm8k/test.jsonl
for m in tiny-llama-gqa tiny-qwen2-gqa; do
  for dt in f32 bf16; do
    $CLI eval $SHARED/models/$m --data $D --device cuda --dtype $dt --json --no-per-doc --quiet | python3 -c "import json,sys;d=json.load(sys.stdin);print('%-15s %-5s transmla     NLL %.6f  %9.0f tok/s' % ('$m','$dt',d['mean_nll'],d['tokens_per_second']))"
    python3 tests/bench/eval_transformers.py $SHARED/models/$m $D --dtype $dt 2>/dev/null | tail -1 | python3 -c "import json,sys;d=json.load(sys.stdin);print('%-15s %-5s transformers NLL %.6f  %9.0f tok/s' % ('$m','$dt',d['mean_nll'],d['tokens_per_second']))"
  done
done
for m in tiny-llama-gqa tiny-qwen2-gqa; do tests/bench/rank_table.sh $CLI $SHARED/models/$m cuda $D; done
