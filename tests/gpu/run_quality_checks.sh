#!/usr/bin/env bash
# Issue 14 on a CUDA machine: healing table, the r = 48 demo, --pca-activations best end to end (BENCHMARKS.md
# "Re-measured with the new calibration rows").  tests/gpu/run_quality_checks.sh DEBS_DIR OUT_DIR [TINY_QWEN2_DIR]
set -uo pipefail
DEBS=$1; O=$2; mkdir -p $O
PREFIX=/tmp/lead-prefix TARGETS=transmla bash tests/gpu/run_workbench_gpu.sh "$DEBS" $O configure build > $O/build.log 2>&1 || { tail -30 $O/build.log; exit 1; }
P=/tmp/lead-prefix; export LD_LIBRARY_PATH=$P/usr/lib/x86_64-linux-gnu:$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib
B=$(ls -d build*/app/transmla | head -1); echo "binary $B"
L=resources/models/tiny-llama-gqa; Q=${3:-../shared/models/tiny-qwen2-gqa}
C="--qk-rope-dim 32 --freqfold 2 --samples 128 --seqlen 256 --device cuda --eval --json --quiet"
run() { name=$1; shift; ( s=$SECONDS; timeout 200 $B convert "$@" > $O/$name.json 2> $O/$name.err; echo "$name rc=$? $((SECONDS-s)) s" ) ; }
run l48 $L --kv-lora-rank 48 --device cuda --eval --json --quiet &
run l32_none $L --kv-lora-rank 32 $C &
run l32_local $L --kv-lora-rank 32 $C --heal local &
wait
run l32_e2e $L --kv-lora-rank 32 $C --heal e2e &
run l32_both $L --kv-lora-rank 32 $C --heal both &
run l16_best $L --kv-lora-rank 16 $C --pca-activations best &
wait
for r in 96 64 32 16; do run q${r}_both $Q --kv-lora-rank $r $C --heal both & done; wait
python3 - $O <<'PY'
import json,sys,glob,os
for f in sorted(glob.glob(sys.argv[1]+'/*.json')):
    try: d=json.load(open(f))
    except Exception as e: print(os.path.basename(f),'unreadable',e); continue
    g=lambda k:(d.get(k) or {}).get('mean_nll')
    sp=d.get('loss_split',{})
    hc=d.get('held_out_choice')
    print(os.path.basename(f), 'before',g('loss_before'),'conv',g('loss_after_conversion'),'after',g('loss_after'),'full',sp.get('full_rank'),'heal_s',(d.get('healing') or {}).get('seconds') if isinstance(d.get('healing'),dict) else None, 'choice', json.dumps(hc)[:300] if hc else '')
PY
