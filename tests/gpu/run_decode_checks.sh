#!/usr/bin/env bash
# Issue 17 (fast decoding) on a CUDA machine with PyTorch: build the CLI, the fused decode kernels, their
# GPU test and the decode benchmarks (Qt and PCRE2/utf8proc from carried Debian packages, as
# run_workbench_gpu.sh), then run them.
#   tests/gpu/run_decode_checks.sh DEBS_DIR TOKENIZER_JSON OUT_DIR [STEP ...]
# Steps (default all but the profiles): probe build test kernels convert model decode; profile, profile-prompt,
# profile-kernel, probe-stalls, probe-phases.
#   probe:   tests/gpu/latent_kernel_probe.cu alone (nvcc, no LibTorch: ~15 s), the latent kernel
#            (TRANSMLA_DECODE_WGMMA=1) and then the Wide kernel, correctness and time
#   test:    tst_decode_attention_gpu (kernel vs fp32 / ATen references), then again with the Wide kernel
#            for MLA (TRANSMLA_DECODE_WGMMA=0; the latent kernel is the default on sm_90a)
#   kernels: bench_decode_attention (the kernel alone, CUDA events, vs the copy bandwidth)
#   convert: MODEL-shape random checkpoint -> MLA (r = 512, r_R = 64), as run_gpu_bench.sh; MODEL is
#            llama3-8b (default), mistral-7b or qwen2.5-7b (these two convert in process instead, bench_decode's
#            RANK: Qwen2's query bias has no DeepSeek-V3 form, Mistral's vocabulary is smaller than the tokenizer's)
#   model:   tst_decode_attention_gpu on both checkpoints (graph vs eager kernels vs the ATen path)
#   decode:  bench_decode GQA vs MLA, fast path and (FAST_ONLY unset) the ATen path, DECODE_CFGS;
#            STEP_OPS_ROWS=1 adds batch-1 rows without the fused step kernels (TRANSMLA_STEP_OPS=0);
#            WIDE_ROWS=1 adds the MLA rows with the Wide kernel (TRANSMLA_DECODE_WGMMA=0); ABSORB_ROWS=1
#            the MLA rows with ATen's einsums for the absorbed projections (TRANSMLA_ABSORB_KERNELS=0);
#            PROMPT_ROWS=1 every row again with the prompt's element-wise work in ATen ops (TRANSMLA_PROMPT_OPS=0)
set -uo pipefail
cd "$(dirname "$0")/../.."
DEBS=$(realpath "$1"); TOK=$(realpath "$2"); OUT=$(realpath -m "$3"); shift 3
STEPS=${*:-probe build test kernels convert model decode}
has() { [[ " $STEPS " == *" $1 "* ]]; }
export BUILD=${BUILD:-build-cuda}
# nvcc for the kernels (CMake looks on PATH; CUDA installs often leave it in /usr/local/cuda/bin).
export CUDACXX=${CUDACXX:-$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null)}
# Nsight Compute for the profiling steps (profile, profile-prompt, profile-kernel, probe-stalls).
NCU=$(command -v ncu || ls /usr/local/cuda/bin/ncu 2>/dev/null | head -1)
mkdir -p "$OUT"
MODEL=${MODEL:-llama3-8b}; M=/tmp/bench_$MODEL; MLA=${MLA_DIR:-/tmp/bench_${MODEL}_mla}
# Qwen2's query bias has no DeepSeek-V3 form, and the carried tokenizer's ids (49152) overflow Mistral's
# vocabulary (32768), which the CLI's calibration refuses: both convert in process (random calibration ids).
IN_PROCESS=; [ "$MODEL" = qwen2.5-7b ] || [ "$MODEL" = mistral-7b ] && IN_PROCESS=512
if has convert && [ ! -f $M/config.json ]; then
  ( python3 tests/bench/make_random_model.py $MODEL $M "$TOK" 2>&1 | grep -v -i warn ) > /tmp/maker.log 2>&1 &
  maker=$!
fi
if has probe; then
  "${CUDACXX:?no nvcc}" -arch=sm_90a -std=c++17 -O3 --use_fast_math -DTRANSMLA_DECODE_WGMMA -Icore \
    tests/gpu/latent_kernel_probe.cu core/kernels/decode_attention.cu -o /tmp/latent_kernel_probe &&
    for k in 1 0; do echo "probe, TRANSMLA_DECODE_WGMMA=$k:"; TRANSMLA_DECODE_WGMMA=$k timeout 120 /tmp/latent_kernel_probe; done
fi
# probe-stalls: where the MLA split kernel's warps wait at PROBE_CFG (default 1x4096: batch x context), the probe
# alone (lineinfo): its time at that shape and at 1x128 (one block: the per-block fixed cost), its SASS opcode
# counts, and Nsight Compute's warp stall reasons and top stall lines for one launch (Wide kernel).
if has probe-stalls; then
  "${CUDACXX:?no nvcc}" -arch=sm_90a -std=c++17 -O3 --use_fast_math -lineinfo -DTRANSMLA_DECODE_WGMMA -Icore \
    tests/gpu/latent_kernel_probe.cu core/kernels/decode_attention.cu -o /tmp/latent_kernel_probe_li &&
  for cfg in ${PROBE_CFG:-1x4096} 1x128; do
    for t in 2 1; do echo "probe $cfg, TRANSMLA_DECODE_MIN_TILES=$t:"; TRANSMLA_DECODE_MIN_TILES=$t PROBE_ONLY=$cfg TRANSMLA_DECODE_WGMMA=0 timeout 60 /tmp/latent_kernel_probe_li; done
  done
  OBJ=$(command -v cuobjdump || ls "$(dirname "$CUDACXX")"/cuobjdump 2>/dev/null)
  [ -n "$OBJ" ] && "$OBJ" -sass /tmp/latent_kernel_probe_li | awk '/Function :/ { on = /decodeSplitKernelINS1_6ConfigILi4E/ }
    on && /\/\*[0-9a-f]+\*\// { for (i = 1; i <= NF; ++i) if ($i ~ /^[A-Z][A-Z0-9_.]+$/) { split($i, a, "."); n[a[1]]++; t++; break } }
    END { printf "Wide kernel SASS: %d instructions:", t; for (k in n) if (n[k] >= 20) printf " %s %d", k, n[k]; print "" }'
  PROBE_ONLY=${PROBE_CFG:-1x4096} TRANSMLA_DECODE_WGMMA=0 timeout 120 "$NCU" -k regex:decodeSplitKernel -s 5 -c 1 \
    --section WarpStateStats --section SourceCounters --section SpeedOfLight \
    --metrics "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio" /tmp/latent_kernel_probe_li 2>&1 |
    grep -v "^==PROF==" | grep -E -v "^ +-+$" | tail -${PROFILE_LINES:-120}
fi
# probe-phases: where one launch's time goes, block by block (the global timer at each phase, probe built with
# -DTRANSMLA_DECODE_PHASES), for the MLA shapes PHASE_CFGS (batch x context) with both kernels.
if has probe-phases; then
  "${CUDACXX:?no nvcc}" -arch=sm_90a -std=c++17 -O3 --use_fast_math -DTRANSMLA_DECODE_WGMMA -DTRANSMLA_DECODE_PHASES \
    -Icore tests/gpu/latent_kernel_probe.cu core/kernels/decode_attention.cu -o /tmp/latent_kernel_phases &&
  for cfg in ${PHASE_CFGS:-1x4096 4x32768 16x16384}; do
    for k in 0 1; do for t in 2 1; do for pdl in 1 0; do
      echo "phases $cfg, TRANSMLA_DECODE_WGMMA=$k TRANSMLA_DECODE_MIN_TILES=$t TRANSMLA_DECODE_PDL=$pdl:"
      TRANSMLA_DECODE_PDL=$pdl TRANSMLA_DECODE_MIN_TILES=$t PROBE_ONLY=$cfg TRANSMLA_DECODE_WGMMA=$k timeout 60 /tmp/latent_kernel_phases |
        grep -v "^failures"
    done; done; done
  done
fi
if has build; then
  TARGETS="transmla bench_decode bench_decode_attention tst_decode_attention_gpu" \
    bash tests/gpu/run_workbench_gpu.sh "$DEBS" "$OUT" configure build
fi
P=${PREFIX:-/tmp/transmla-qt}; L=usr/lib/x86_64-linux-gnu
export LD_LIBRARY_PATH=$P/$L:$P-fallback/$L:$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib:${LD_LIBRARY_PATH:-}
T=$BUILD/tests/tst_decode_attention_gpu
# Each step under a time limit: a kernel that hangs must not hold the machine.
TL="timeout ${STEP_TIMEOUT:-300}"
has test && { t0=$SECONDS; $TL $T; echo "test: $((SECONDS - t0)) s"
  echo "test with the Wide kernel for MLA (TRANSMLA_DECODE_WGMMA=0):"; TRANSMLA_DECODE_WGMMA=0 $TL $T; }
has kernels && $TL $BUILD/tests/bench/bench_decode_attention ${CALLS:-200}
if has convert; then
  [ -n "${maker:-}" ] && { wait $maker; cat /tmp/maker.log; }
  [ -n "$IN_PROCESS" ] || [ -f $MLA/config.json ] || { t0=$SECONDS
    $BUILD/app/transmla convert $M --kv-lora-rank 512 --qk-rope-dim 64 --device cuda --dtype bf16 --samples 128 \
      --seqlen 256 --json --out $MLA --export-dtype bf16 --force > /tmp/convert.json; echo "convert: $((SECONDS - t0)) s"; }
fi
if has model; then
  # The demo model (trained) as GQA and converted in process (r = 64, r_R = 16), and both 8B checkpoints.
  mla=$MLA; [ -n "$IN_PROCESS" ] && mla=$M:$IN_PROCESS
  t0=$SECONDS; $TL $T resources/models/tiny-llama-gqa resources/models/tiny-llama-gqa:64 $M $mla | grep -E "model|/|failure"
  echo "model test: $((SECONDS - t0)) s"
fi
# pickModel FORM: bench_decode's model for FORM in dir (the GQA checkpoint, or MLA's) and extra (the rank, where
# MLA converts in process).
pickModel() {
  dir=$M; extra=
  if [ "$1" = MLA ]; then if [ -n "$IN_PROCESS" ]; then extra=$IN_PROCESS; else dir=$MLA; fi; fi
}
# bench FORM LABEL: one decode row at $ctx x $batch (environment assignments before the call apply to it),
# LABEL before its line; WARMUP_CTX=N (bench_decode): a first prompt of N tokens before the measured one.
bench() {
  local dir extra
  pickModel "$1"
  local lines=1; [ -n "${WARMUP_CTX:-}" ] && lines=2 # WARMUP_CTX: the warm-up prompt's line too
  $TL $BUILD/tests/bench/bench_decode $dir cuda bf16 $ctx $batch 64 $extra 2>&1 | tail -$lines | sed "s/^/$2/"
}
# profile: the GPU kernels of one step at PROFILE_CFG (default 4096x1), for PROFILE_FORMS (default GQA MLA):
# with Nsight Systems bench_decode with 16 and 48 steps, the difference per step (tests/bench/kernel_step_profile.py;
# the ms/step it prints is the profiled run's, slower than the benchmark's); else with Nsight Compute.
if has profile; then
  NSYS=$(command -v nsys || ls /usr/local/cuda/bin/nsys /opt/nvidia/nsight-systems/*/bin/nsys \
    /usr/local/cuda/nsight-systems*/bin/nsys 2>/dev/null | head -1)
  cfg=${PROFILE_CFG:-4096x1}; ctx=${cfg%x*}; batch=${cfg#*x}
  if [ -z "$NSYS" ] && [ -n "$NCU" ]; then
    # Nsight Compute: each kernel timed alone (2 vs 3 steps: it replays every kernel).
    for form in ${PROFILE_FORMS:-GQA MLA}; do
      pickModel $form
      for n in 2 3; do
        $TL "$NCU" --graph-profiling node --metrics gpu__time_duration.sum --csv --cache-control none \
          --clock-control none $BUILD/tests/bench/bench_decode $dir cuda bf16 $ctx $batch $n $extra \
          > /tmp/ncu_${form}_$n.csv 2> /tmp/ncu_${form}_$n.err
      done
      echo "profile $form ${ctx}x$batch (Nsight Compute, kernels timed alone):"
      python3 tests/bench/kernel_step_profile.py /tmp/ncu_${form}_2.csv 2 /tmp/ncu_${form}_3.csv 3 ||
        tail -5 /tmp/ncu_${form}_3.err
    done
  elif [ -z "$NSYS" ]; then echo "profile: no nsys or ncu on this machine"; else
    for form in ${PROFILE_FORMS:-GQA MLA}; do
      pickModel $form
      for n in 16 48; do
        p=/tmp/prof_${form}_$n
        $TL "$NSYS" profile --cuda-graph-trace=node --trace=cuda -o $p --force-overwrite true \
          $BUILD/tests/bench/bench_decode $dir cuda bf16 $ctx $batch $n $extra > $p.txt 2>&1
        "$NSYS" stats --report cuda_gpu_kern_sum --format csv -o $p $p.nsys-rep > /dev/null 2>&1
      done
      ms=$(grep -o '[0-9.]* ms/step' /tmp/prof_${form}_48.txt | cut -d' ' -f1)
      echo "profile $form ${ctx}x$batch:"
      python3 tests/bench/kernel_step_profile.py /tmp/prof_${form}_16_cuda_gpu_kern_sum.csv 16 \
        /tmp/prof_${form}_48_cuda_gpu_kern_sum.csv 48 $ms || tail -5 /tmp/prof_${form}_48.txt
    done
  fi
fi
# profile-prompt: every kernel of a prompt at PROMPT_CFG (default 16384x2: one call of 32K rows, as 16K x 16 in
# one call of 262K) and one step, Nsight Compute, totals per kernel (the step adds ~0.1% of the time).
# profile-kernel: Nsight Compute's sections (speed of light, occupancy, warp stalls) for the first launch of
# KERNEL (a regex, default decodeSplitKernel) in MLA's step at PROFILE_CFG.
if has profile-prompt; then
  cfg=${PROMPT_CFG:-16384x2}; ctx=${cfg%x*}; batch=${cfg#*x}
  for form in ${PROFILE_FORMS:-GQA MLA}; do
    pickModel $form
    $TL "$NCU" --metrics gpu__time_duration.sum --csv --cache-control none --clock-control none \
      $BUILD/tests/bench/bench_decode $dir cuda bf16 $ctx $batch 1 $extra > /tmp/ncu_prompt_$form.csv 2> /tmp/ncu_prompt_$form.err
    echo "profile-prompt $form ${ctx}x$batch (Nsight Compute, kernels timed alone):"
    python3 tests/bench/kernel_step_profile.py /tmp/ncu_prompt_$form.csv | head -${PROFILE_LINES:-40} ||
      tail -5 /tmp/ncu_prompt_$form.err
  done
fi
if has profile-kernel; then
  cfg=${PROFILE_CFG:-4096x1}; ctx=${cfg%x*}; batch=${cfg#*x}
  pickModel ${KERNEL_FORM:-MLA}
  $TL "$NCU" --graph-profiling node -k "regex:${KERNEL:-decodeSplitKernel}" -s 32 -c 1 --section SpeedOfLight \
    --section LaunchStats --section Occupancy --section WarpStateStats --section SchedulerStats \
    --section MemoryWorkloadAnalysis --section ComputeWorkloadAnalysis \
    $BUILD/tests/bench/bench_decode $dir cuda bf16 $ctx $batch 2 $extra 2>&1 | grep -v "^==PROF==" | tail -${PROFILE_LINES:-150}
fi
if has decode; then
  for cfg in ${DECODE_CFGS:-4096x1 16384x16}; do
    set -- ${cfg/x/ }
    for form in GQA MLA; do
      ctx=$1; batch=$2
      bench $form ""
      [ -n "${FAST_ONLY:-}" ] || TRANSMLA_DECODE_KERNELS=0 TRANSMLA_DECODE_GRAPHS=0 bench $form "(ATen path) "
      [ -n "${WIDE_ROWS:-}" ] && [ $form = MLA ] && TRANSMLA_DECODE_WGMMA=0 bench $form "(Wide kernel) "
      [ -n "${PROMPT_ROWS:-}" ] && TRANSMLA_PROMPT_OPS=0 bench $form "(prompt ops off) "
      [ -n "${ABSORB_ROWS:-}" ] && [ $form = MLA ] && TRANSMLA_ABSORB_KERNELS=0 bench $form "(absorbed by einsums) "
      # STEP_OPS_ROWS=1: batch-1 rows again without the fused element-wise step kernels (step_ops.h).
      [ -n "${STEP_OPS_ROWS:-}" ] && [ "$batch" = 1 ] && TRANSMLA_STEP_OPS=0 bench $form "(no fused step ops) "
    done
  done
fi
