#!/usr/bin/env bash
# GPU benchmarks at real model sizes (issue: GPU performance). On a CUDA machine with PyTorch +
# transformers, after tests/gpu/run_cuda_checks.sh has built build-cuda:
#   tests/bench/run_gpu_bench.sh OUT_DIR TOKENIZER_JSON GSM8K_TEST_JSONL [MODEL ...]
# MODEL: llama3-8b (default), qwen2.5-7b, mistral-7b (random weights, real shapes, bf16).
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=$1; TOK=$2; DATA=$3; shift 3; MODELS=${*:-llama3-8b}
CLI=build-cuda/app/transmla; DEC=build-cuda/tests/bench/bench_decode; mkdir -p "$OUT"
maxrss() { python3 -c 'import resource,subprocess,sys; r=subprocess.run(sys.argv[1:]).returncode; print("peak host RSS %.2f GB" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1e6), file=sys.stderr); sys.exit(r)' "$@"; }
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
for name in $MODELS; do
  M=/tmp/bench_$name; MLA=/tmp/bench_${name}_mla
  [ -f $M/config.json ] || python3 tests/bench/make_random_model.py $name $M "$TOK" 2>&1 | grep -v -i warn
  echo "== $name: convert (r=512, r_R=64, calibration 128 x 256, bf16, cuda)"
  maxrss $CLI convert $M --kv-lora-rank 512 --qk-rope-dim 64 --device cuda --dtype bf16 --samples 128 --seqlen 256 \
     --out $MLA --export-dtype bf16 --force --json > $OUT/convert_$name.json
  python3 -c "import json;d=json.load(open('$OUT/convert_$name.json'));s=d['seconds'];c=d['conversion'];print('phases (s):',{k:round(v,2) for k,v in s.items()},'| total %.1f s' % sum(s.values()),'| KV B/token',c['kv_bytes_per_token_before'],'->',c['kv_bytes_per_token_after'])"
  echo "== $name: GSM8K eval throughput (bf16, first 500 problems)"
  $CLI eval $M --data "$DATA" --device cuda --dtype bf16 --limit 500 --json --no-per-doc --quiet | python3 -c "import json,sys;d=json.load(sys.stdin);print('transmla      tokens %d  %.0f tok/s (%.2f s)' % (d['tokens'], d['tokens_per_second'], d['seconds']))"
  python3 tests/bench/eval_transformers.py $M "$DATA" --dtype bf16 --limit 500 2>/dev/null | python3 -c "import json,sys;d=json.loads(sys.stdin.read().strip().splitlines()[-1]);print('transformers  tokens %d  %.0f tok/s (%.2f s)' % (d['tokens'], d['tokens_per_second'], d['seconds']))"
  echo "== $name: greedy decode, GQA cache vs MLA latent cache (bf16)"
  for cfg in "4096 1" "4096 16" "16384 1" "16384 16" "32768 1"; do
    set -- $cfg
    $DEC $M cuda bf16 $1 $2 64 2>&1 | tail -1
    $DEC $MLA cuda bf16 $1 $2 64 2>&1 | tail -1
  done
done
