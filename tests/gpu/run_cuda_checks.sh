#!/usr/bin/env bash
# On a CUDA machine with PyTorch (no Qt): build core + the CLI against PyTorch's CUDA LibTorch, then
# check the logits of every reference model on the GPU and compare GSM8K throughput with transformers.
# Usage: tests/gpu/run_cuda_checks.sh SHARED_DIR [OUT_DIR]
# SHARED_DIR holds models/ (with reference/) and data/ like ../shared. PCRE2/utf8proc headers may be
# given as a folder of extracted Debian packages in DEPS_ROOT (see README "Building with CUDA").
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=$1; OUT=${2:-/tmp/transmla-gpu}; mkdir -p "$OUT"
TORCH_DIR=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')/Torch
extra=()
if [ -n "${DEPS_ROOT:-}" ]; then
  extra+=(-DPCRE2_INCLUDE_DIR=$DEPS_ROOT/usr/include -DUTF8PROC_INCLUDE_DIR=$DEPS_ROOT/usr/include
          -DUTF8PROC_LIBRARY=$DEPS_ROOT/usr/lib/x86_64-linux-gnu/libutf8proc.so.2)
fi
t0=$(date +%s)
cmake -S . -B build-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DTorch_DIR="$TORCH_DIR" \
  -DCMAKE_CUDA_ARCHITECTURES=90 -DTRANSMLA_BUILD_GUI=OFF "${extra[@]}" 2>&1 | tail -5
cmake --build build-cuda --parallel 16 --target all benchmarks 2>&1 | tail -3
echo "cuda build: $(( $(date +%s) - t0 )) s"
CLI=build-cuda/app/transmla
export LD_LIBRARY_PATH=${DEPS_ROOT:+$DEPS_ROOT/usr/lib/x86_64-linux-gnu:}$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib:${LD_LIBRARY_PATH:-}
$CLI --help | head -3
fail=0
for m in "$SHARED"/models/*/; do
  name=$(basename "$m"); ref=$m/reference/logits_fp32.safetensors; [ -f "$ref" ] || continue
  python3 -c "from safetensors.numpy import load_file;import json;print(json.dumps(load_file('$ref')['input_ids'].tolist()))" > "$OUT/ids_$name.json"
  $CLI logits "$m" --ids "$OUT/ids_$name.json" --out "$OUT/logits_$name.safetensors" --device cuda 2>/dev/null
  python3 tests/gpu/compare_logits.py "$OUT/logits_$name.safetensors" "$ref" 2e-4 || fail=1
done
exit $fail
