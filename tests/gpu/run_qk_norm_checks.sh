#!/bin/bash
# Device run for issue 18 (h21-qknorm): the GSM8K NLL table on the whole test set (bench_qk_norm on CUDA,
# both models in parallel) and the folded Qwen3 export loaded by transformers' DeepseekV3ForCausalLM.
# Usage (on the GPU machine, repository root): tests/gpu/run_qk_norm_checks.sh DEBS_DIR OUT_DIR
set -uo pipefail
DEBS=$1; OUT=$2; mkdir -p "$OUT"
export PREFIX=/tmp/p TARGETS="transmla bench_qk_norm" JOBS=16
bash tests/gpu/run_workbench_gpu.sh "$DEBS" $OUT configure build 2>&1 | tee $OUT/build.log
TL=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib
export LD_LIBRARY_PATH=$TL:/tmp/p/usr/lib/x86_64-linux-gnu:/tmp/p-fallback/usr/lib/x86_64-linux-gnu
B=build-gpu; M=tests/data/models; CLI=$B/app/transmla; BQ=$(find $B -name bench_qk_norm -type f | head -1)
nvidia-smi --query-gpu=name,memory.used --format=csv,noheader
for m in tiny-qwen3-gqa tiny-gemma3-gqa; do
  ( t0=$SECONDS; timeout 300 $BQ $M/$m 0 32 cuda > $OUT/bench_$m.log 2>&1; echo "rc $? $((SECONDS-t0)) s" >> $OUT/bench_$m.log ) &
done
X=$OUT/export.log
python3 -c "import transformers, torch; print('transformers', transformers.__version__, 'torch', torch.__version__)" >> $X
python3 -c "from safetensors.numpy import load_file;import json;print(json.dumps(load_file('$M/tiny-qwen3-gqa/reference/logits_fp32.safetensors')['input_ids'][:, :48].tolist()))" > /tmp/ids.json
for r in 96 48 24; do
  e=/tmp/fold_$r
  echo "=== qwen3 folded r=$r" >> $X
  timeout 60 $CLI convert $M/tiny-qwen3-gqa --fold-qk-norm --out $e --kv-lora-rank $r --samples 32 --seqlen 128 --device cuda --force >> $X 2>&1 || echo "convert rc $?" >> $X
  grep -o '"transmla[^}]*' $e/config.json | head -3 >> $X
  $CLI logits $e --ids /tmp/ids.json --out /tmp/ours_$r.safetensors --device cuda >> $X 2>&1
  python3 tests/gpu/check_deepseek_export.py $e /tmp/ids.json /tmp/ours_$r.safetensors 1e-3 2>&1 | grep -v -i warn >> $X
  echo "check rc ${PIPESTATUS[0]}" >> $X
  $CLI eval $e --data gsm8k --device cuda --json --no-per-doc 2>/dev/null | python3 -c "import json,sys;d=json.load(sys.stdin);print('transmla eval', {k:d[k] for k in d if k in ('tokens','mean_nll')} if 'mean_nll' in d else str(d)[:400])" >> $X 2>&1
  python3 tests/bench/eval_transformers.py $e resources/data/gsm8k/test.jsonl --dtype f32 2>&1 | grep -v -i warn >> $X
done
echo "=== gemma3 folded export (expected: refused, block)" >> $X
timeout 60 $CLI convert $M/tiny-gemma3-gqa --fold-qk-norm --out /tmp/fold_g --kv-lora-rank 48 --samples 32 --seqlen 128 --device cuda --force >> $X 2>&1; echo "rc $?" >> $X
ls /tmp/fold_g >> $X 2>&1
wait
cat $OUT/bench_*.log $X
