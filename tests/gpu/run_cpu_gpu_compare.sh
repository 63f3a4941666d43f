#!/usr/bin/env bash
# Same model, same inputs, CPU vs CUDA, fp32 and bf16 (issue: GPU performance, correctness on the GPU).
# After tests/gpu/run_cuda_checks.sh has built build-cuda: tests/gpu/run_cpu_gpu_compare.sh SHARED_DIR [OUT]
# fp32 must agree within 1e-4; bf16 CPU vs GPU within 1.5x the larger bf16-vs-fp32 error of the two devices
# (the devices may differ by bf16 rounding, not more; figures in BENCHMARKS.md).
set -uo pipefail
cd "$(dirname "$0")/../.."
SHARED=$1; OUT=${2:-/tmp/transmla-cpugpu}; mkdir -p "$OUT"
CLI=build-cuda/app/transmla; fail=0
for m in "$SHARED"/models/*/; do
  name=$(basename "$m"); ref=$m/reference/logits_fp32.safetensors; [ -f "$ref" ] || continue
  python3 -c "from safetensors.numpy import load_file;import json;print(json.dumps(load_file('$ref')['input_ids'].tolist()))" > "$OUT/ids_$name.json"
  for dev in cpu cuda; do for dt in f32 bf16; do
    $CLI logits "$m" --ids "$OUT/ids_$name.json" --out "$OUT/${name}_${dev}_${dt}.safetensors" --device $dev --dtype $dt 2>/dev/null || fail=1
  done; done
  python3 - "$OUT" "$name" <<'PY' || fail=1
import sys, numpy as np
from safetensors.numpy import load_file
out, name = sys.argv[1], sys.argv[2]
L = {k: load_file(f"{out}/{name}_{k}.safetensors")["logits"].astype(np.float64) for k in ("cpu_f32", "cuda_f32", "cpu_bf16", "cuda_bf16")}
d = lambda a, b: float(np.abs(L[a] - L[b]).max())
amax = float(np.abs(L["cpu_f32"]).max())
f32, bf = d("cpu_f32", "cuda_f32"), d("cpu_bf16", "cuda_bf16")
agree = float((L["cpu_bf16"].argmax(-1) == L["cuda_bf16"].argmax(-1)).mean())
print(f"{name:22s} fp32 cpu-vs-cuda {f32:.2e} | bf16 cpu-vs-cuda {bf:.2e} (top-1 agree {agree:.3f}) | "
      f"bf16-vs-fp32 cpu {d('cpu_bf16','cpu_f32'):.2e} cuda {d('cuda_bf16','cuda_f32'):.2e} | max|logit| {amax:.1f}")
bound = 1.5 * max(d('cpu_bf16', 'cpu_f32'), d('cuda_bf16', 'cuda_f32'))
ok = f32 <= 1e-4 and bf <= bound
print(f"{'':22s} -> {'ok' if ok else 'FAIL'} (fp32 tolerance 1e-4, bf16 tolerance {bound:.2e})")
sys.exit(0 if ok else 1)
PY
done
exit $fail
