#!/usr/bin/env bash
# Issue 16 / 14 on one GPU, in one call: builds the CLI and the session benchmark
# (tests/gpu/run_workbench_gpu.sh), runs the scripted workbench session on the Llama-3-8B-shape
# checkpoint (first result, then the deferred details, with the stages of each: TRANSMLA_TIMINGS),
# then the local heal at that shape (`transmla convert ... --heal local`, f32 as healing needs) with
# nvidia-smi sampling the device memory every 200 ms, then (time left) the session with the details
# not deferred (TRANSMLA_DEFER_DETAILS=0), for the undeferred total with the same binary.
#   tests/gpu/run_firstconv_heal.sh DEBS_DIR TOKENIZER_JSON OUT_DIR
# Environment: BUDGET_S (default 460): the heal and the second session are cut to stay inside it.
set -uo pipefail
cd "$(dirname "$0")/../.."
DEBS=$(realpath "$1"); TOK=$(realpath "$2"); OUT=$(realpath -m "$3")
BUDGET=${BUDGET_S:-460}
mkdir -p "$OUT"
export TRANSMLA_TIMINGS=1
TARGETS="transmla bench_workbench_session" TOKENIZER_JSON=$TOK SESSION_MODELS="llama3-8b:100" \
  bash tests/gpu/run_workbench_gpu.sh "$DEBS" "$OUT" configure build session
echo "== session done at $SECONDS s"

P=${PREFIX:-/tmp/transmla-qt}; L=usr/lib/x86_64-linux-gnu
TORCH_LIB=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib
export LD_LIBRARY_PATH=$P/$L:$P-fallback/$L:$TORCH_LIB:${LD_LIBRARY_PATH:-}
left=$((BUDGET - SECONDS - 5))
if [ "$left" -gt 60 ]; then
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 > /tmp/heal_mem.csv &
  smi=$!
  t0=$SECONDS
  timeout "$left" build-gpu/app/transmla convert /tmp/bench_llama3-8b --kv-lora-rank 512 --qk-rope-dim 64 \
    --device cuda --heal local --heal-steps 50 --heal-samples 64 --json > "$OUT/heal.json" 2> /tmp/heal.err
  echo "== heal: rc $?, $((SECONDS - t0)) s wall (timeout $left s)"
  kill "$smi"
  tr '\r' '\n' < /tmp/heal.err | grep -v '^$' | tail -15
  echo "GPU memory peak (nvidia-smi, whole device): $(sort -n /tmp/heal_mem.csv | tail -1) MiB"
  python3 - "$OUT/heal.json" <<'PY'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
except Exception as e:
    print("no JSON:", e); sys.exit()
print("seconds:", j.get("seconds"))
for ph in j.get("heal", {}).get("phases", []):
    print("heal %s: %d steps/layer, held-out rel. error %.5f -> %.5f, %.1f s" % (ph["mode"], ph["steps"],
          ph.get("held_out_before", float("nan")), ph.get("held_out_after", float("nan")), ph["seconds"]))
print({k: v for k, v in j.get("heal", {}).items() if k != "phases"})
PY
fi
left=$((BUDGET - SECONDS - 5))
if [ "$left" -gt 90 ]; then
  echo "== the same session with the details not deferred"
  TRANSMLA_DEFER_DETAILS=0 QT_PLUGIN_PATH=$P/$L/qt6/plugins QT_QPA_PLATFORM=offscreen FONTCONFIG_FILE=$P/fonts.conf \
    timeout "$left" build-gpu/tests/bench/bench_workbench_session /tmp/bench_llama3-8b --device cuda --dtype bf16 \
    --rank 512 --rope-dim 64 --ranks "384" --problems 100 --shots /tmp --name eager 2>&1 |
    grep -v -E "^QWARN|propagateSizeHints"
fi
echo "== all done at $SECONDS s"
