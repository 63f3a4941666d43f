#!/usr/bin/env bash
# The CLI runs without the bundled resources (demo model, GSM8K, WikiText-2): --help, inspect, an exact
# conversion and a conversion calibrated on the user's own text work; only `demo` and the defaults that
# read the bundled files fail, saying what needed them. TRANSMLA_RESOURCES, when set, is the only place
# looked at, so pointing it at an empty folder hides the source tree's copy.
# Usage: runs_without_resources.sh TRANSMLA MODEL_DIR WORKDIR
set -euo pipefail
CLI=$1; M=$2; W=$3
rm -rf "$W"; mkdir -p "$W/empty"
export TRANSMLA_RESOURCES=$W/empty
fail=0
"$CLI" --help > /dev/null || { echo "FAIL: --help without resources"; fail=1; }
"$CLI" inspect "$M" | grep -q "layers" || { echo "FAIL: inspect without resources"; fail=1; }
"$CLI" convert "$M" --exact --quiet | grep -q "KV cache per token" || { echo "FAIL: convert --exact without resources"; fail=1; }
for i in $(seq 200); do echo "Natalia sold clips to $i of her friends in April, and then she sold half as many clips in May."; done > "$W/own.txt"
"$CLI" convert "$M" --kv-lora-rank 16 --calib "$W/own.txt" --samples 4 --seqlen 32 --quiet | grep -q "KV cache per token" ||
  { echo "FAIL: convert --calib FILE without resources"; fail=1; }
expect_error() { # WHAT-IT-MUST-SAY ARGS...
  local want=$1; shift
  set +e; msg=$("$CLI" "$@" 2>&1 >/dev/null); rc=$?; set -e
  if [ $rc -ne 2 ] || ! grep -qF -- "$want" <<<"$msg" || ! grep -qF "$W/empty" <<<"$msg"; then
    echo "FAIL: transmla $*: exit $rc, expected 2 and '$want' naming $W/empty: $msg"; fail=1
  fi
}
expect_error "the demo model" demo
expect_error "default --calib" convert "$M" --kv-lora-rank 16 --quiet
expect_error "--data gsm8k" eval "$M" --quiet
[ $fail -eq 0 ] && echo "ok"
exit $fail
