#!/usr/bin/env bash
# Converts reference models on the GPU, exports DeepSeek-V3 folders for both targets, and checks that
# transformers' DeepseekV3ForCausalLM gives the same logits as our engine on each (tolerance 1e-3):
#   transformers: f32, the conversion's own shape, interleaved RoPE (rope_interleave true);
#   serving:      the vLLM / SGLang form, padded to kv_lora_rank 512 + qk_rope_head_dim 64, in f32
#                 and in bf16 (ours and transformers then read the same bf16 weights).
# Also: fp32 logits of the converted model on CUDA vs CPU (tolerance 1e-4).
# Usage: tests/gpu/run_export_checks.sh SHARED_DIR OUT_DIR   (after run_cuda_checks.sh built build-cuda)
set -uo pipefail
cd "$(dirname "$0")/../.."
SHARED=$1; OUT=$2; CLI=build-cuda/app/transmla; fail=0; mkdir -p "$OUT"
for spec in "tiny-llama-gqa 48 transformers f32" "tiny-llama-gqa 96 transformers f32" "fixture-phi3 32 transformers f32" \
            "fixture-mistral-swa 40 transformers f32" "tiny-llama-gqa 48 serving f32" "tiny-llama-gqa 48 serving bf16" \
            "stories260K 24 serving bf16"; do
  set -- $spec; m=$1; r=$2; target=$3; dt=$4; src=$SHARED/models/$m; exp=$OUT/export_${m}_${r}_${target}_$dt
  $CLI convert "$src" --out "$exp" --kv-lora-rank "$r" --samples 32 --seqlen 128 --device cuda --target "$target" \
      --export-dtype "$dt" --force --quiet > "$OUT/convert_${m}_$r.txt" || { echo "convert $m $target failed"; fail=1; continue; }
  head -2 "$OUT/convert_${m}_$r.txt"
  python3 -c "from safetensors.numpy import load_file;import json;print(json.dumps(load_file('$src/reference/logits_fp32.safetensors')['input_ids'][:, :48].tolist()))" > "$OUT/ids.json"
  $CLI logits "$exp" --ids "$OUT/ids.json" --out "$OUT/ours_gpu.safetensors" --device cuda 2>/dev/null
  $CLI logits "$exp" --ids "$OUT/ids.json" --out "$OUT/ours_cpu.safetensors" --device cpu 2>/dev/null
  python3 tests/gpu/compare_logits.py "$OUT/ours_gpu.safetensors" "$OUT/ours_cpu.safetensors" 1e-4 || fail=1
  python3 tests/gpu/check_deepseek_export.py "$exp" "$OUT/ids.json" "$OUT/ours_gpu.safetensors" 1e-3 2>&1 | grep -v -i warn || fail=1
done
exit $fail
