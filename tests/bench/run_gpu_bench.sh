#!/usr/bin/env bash
# GPU benchmarks at real model sizes (issue: GPU performance). On a CUDA machine with PyTorch +
# transformers, after tests/gpu/run_cuda_checks.sh has built build-cuda:
#   tests/bench/run_gpu_bench.sh OUT_DIR TOKENIZER_JSON GSM8K_TEST_JSONL [MODEL ...]
# MODEL: llama3-8b (default), qwen2.5-7b, mistral-7b (random weights, real shapes, bf16).
# Environment: WHOLE=1 also times the whole-model (--no-stream) conversion; SKIP_EVAL=1, SKIP_DECODE=1,
# SKIP_GQA=1 (MLA rows only), DECODE_CFGS="4096x1 16384x16" (context x batch) narrow the run.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=$1; TOK=$2; DATA=$3; shift 3; MODELS=${*:-llama3-8b}
CLI=build-cuda/app/transmla; DEC=build-cuda/tests/bench/bench_decode; mkdir -p "$OUT"
maxrss() { python3 -c 'import resource,subprocess,sys; r=subprocess.run(sys.argv[1:]).returncode; print("peak host RSS %.2f GB" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1e6), file=sys.stderr); sys.exit(r)' "$@"; }
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
# Peak GPU memory of a command: nvidia-smi sampled every 50 ms (whole device, CUDA context included).
gpupeak() { local log=$(mktemp); nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 50 > $log & local p=$!
  "$@"; local r=$?; kill $p; wait $p 2>/dev/null; echo "peak GPU memory $(sort -n $log | tail -1) MiB" >&2; rm -f $log; return $r; }
phases() { python3 -c "import json;d=json.load(open('$1'));s=d['seconds'];c=d['conversion'];print('streamed' if d['streamed'] else 'in memory','| phases (s):',{k:round(v,2) for k,v in d['phases'].items()},'| load %.2f write %.2f | total %.1f s' % (s['load'],s.get('write',0),sum(s.values())),'| KV B/token',c['kv_bytes_per_token_before'],'->',c['kv_bytes_per_token_after'])"; }
for name in $MODELS; do
  M=/tmp/bench_$name; MLA=/tmp/bench_${name}_mla; DEC_RANK=
  [ -f $M/config.json ] || python3 tests/bench/make_random_model.py $name $M "$TOK" 2>&1 | grep -v -i warn
  C="$CLI convert $M --kv-lora-rank 512 --qk-rope-dim 64 --device cuda --dtype bf16 --samples 128 --seqlen 256 --json"
  if [ $name = qwen2.5-7b ]; then
    # Qwen2's query bias has no DeepSeek-V3 form: convert in memory (no export); decode converts in process.
    echo "== $name: convert in memory, no export (r=512, r_R=64, calibration 128 x 256, bf16, cuda)"
    gpupeak maxrss $C > $OUT/convert_$name.json && phases $OUT/convert_$name.json
    MLA=$M; DEC_RANK=512
  else
    echo "== $name: streamed convert + export (r=512, r_R=64, calibration 128 x 256, bf16, cuda)"
    gpupeak maxrss $C --out $MLA --export-dtype bf16 --force > $OUT/convert_$name.json && phases $OUT/convert_$name.json
    if [ "${WHOLE:-0}" = 1 ]; then
      echo "== $name: the same, whole model in memory (--no-stream)"
      gpupeak maxrss $C --out ${MLA}_whole --export-dtype bf16 --force --no-stream > $OUT/convert_${name}_whole.json && phases $OUT/convert_${name}_whole.json
      rm -rf ${MLA}_whole
    fi
  fi
  [ "${SKIP_EVAL:-0}" = 1 ] || {
  echo "== $name: GSM8K eval throughput (bf16, first 500 problems)"
  $CLI eval $M --data "$DATA" --device cuda --dtype bf16 --limit 500 --json --no-per-doc --quiet | python3 -c "import json,sys;d=json.load(sys.stdin);print('transmla      tokens %d  %.0f tok/s (%.2f s)' % (d['tokens'], d['tokens_per_second'], d['seconds']))"
  python3 tests/bench/eval_transformers.py $M "$DATA" --dtype bf16 --limit 500 2>/dev/null | python3 -c "import json,sys;d=json.loads(sys.stdin.read().strip().splitlines()[-1]);print('transformers  tokens %d  %.0f tok/s (%.2f s)' % (d['tokens'], d['tokens_per_second'], d['seconds']))"; }
  [ "${SKIP_DECODE:-0}" = 1 ] && continue
  echo "== $name: greedy decode, GQA cache vs MLA latent cache (bf16)"
  for cfg in ${DECODE_CFGS:-4096x1 4096x16 16384x1 16384x16 32768x1}; do
    set -- ${cfg/x/ }
    [ "${SKIP_GQA:-0}" = 1 ] || $DEC $M cuda bf16 $1 $2 64 2>&1 | tail -1
    $DEC $MLA cuda bf16 $1 $2 64 $DEC_RANK 2>&1 | tail -1
  done
done
