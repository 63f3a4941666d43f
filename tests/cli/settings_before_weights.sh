#!/usr/bin/env bash
# Conversion settings are checked against config.json before the weights are read: in a folder whose
# model.safetensors is garbage, a bad setting is reported (with its flag), not the broken weights.
# Usage: settings_before_weights.sh TRANSMLA MODEL_DIR WORKDIR   (MODEL_DIR: g = 2, d = 32, 2*g*d = 128)
set -euo pipefail
CLI=$1; M=$2; W=$3
rm -rf "$W"; mkdir -p "$W/broken"
cp "$M"/config.json "$M"/tokenizer*.json "$W/broken/"
head -c 4096 /dev/urandom > "$W/broken/model.safetensors"
fail=0
expect() { # WHAT-IT-MUST-SAY ARGS...
  local want=$1; shift
  set +e; msg=$("$CLI" convert "$W/broken" "$@" --quiet 2>&1 >/dev/null); rc=$?; set -e
  if [ $rc -ne 2 ] || ! grep -qF -- "$want" <<<"$msg"; then echo "FAIL: convert $*: exit $rc, expected 2 and '$want': $msg"; fail=1; fi
}
# r_max = 2*g*d - r_R = 128 - 32 at the default r_R = min(64, d) = 32 (config.json: head_dim 32, 2 KV heads).
expect "error: --kv-lora-rank 100000: must be in [1, 2*g*d - r_R = 96]" --kv-lora-rank 100000
expect "error: --qk-rope-dim 34: at most head_dim = 32" --qk-rope-dim 34
expect "error: --freqfold 3: must divide head_dim/2 = 16" --freqfold 3
expect "error: --latent-norm 'layernorm': use none or calibrated" --latent-norm layernorm
expect "error: --target 'vllm': expected transformers or serving" --target vllm
expect "error: --dtype 'f8': use f32, bf16, f16 or f64" --dtype f8
# The same folder with good settings does reach the weights (the garbage is really read).
set +e; msg=$("$CLI" convert "$W/broken" --exact --quiet 2>&1); rc=$?; set -e
{ [ $rc -eq 2 ] && grep -q "model.safetensors" <<<"$msg"; } || { echo "FAIL: good settings: exit $rc: $msg"; fail=1; }
[ $fail -eq 0 ] && echo "ok"
exit $fail
