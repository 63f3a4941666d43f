#!/usr/bin/env bash
# KV cache reduction and GSM8K test NLL of the converted model at r in {full, 50%, 25%, 12.5% of 2*g*d}
# with r_R = d (latent norm none: the engine's exact form; and calibrated: what a DeepSeek-V3 export runs).
# Usage: tests/bench/rank_table.sh CLI MODEL_DIR DEVICE [GSM8K_TEST_JSONL]
set -uo pipefail
CLI=$1; M=$2; DEV=$3; DATA=${4:-gsm8k}
read g d <<<"$(python3 -c "import json;c=json.load(open('$M/config.json'));h=c.get('head_dim',c['hidden_size']//c['num_attention_heads']);print(c['num_key_value_heads'],h)")"
full=$((2*g*d - d))
printf "%-16s %6s %12s %10s %12s %14s %8s\n" model rank "KV B/token" reduction "NLL(none)" "NLL(calibr.)" "conv s"
base=$($CLI eval $M --data $DATA --device $DEV --json --no-per-doc --quiet | python3 -c "import json,sys;print(json.load(sys.stdin)['mean_nll'])")
printf "%-16s %6s %12s %10s %12.4f %14s %8s\n" "$(basename $M)" GQA - - "$base" - -
for r in $full $((g*d)) $((g*d/2)) $((g*d/4)); do
  for norm in none calibrated; do
    $CLI convert $M --kv-lora-rank $r --qk-rope-dim $d --device $DEV --latent-norm $norm --eval --json --quiet > /tmp/rt_$norm.json
  done
  python3 - "$M" "$r" <<'PY'
import json, sys
a, b = json.load(open('/tmp/rt_none.json')), json.load(open('/tmp/rt_calibrated.json'))
c = a['conversion']
print("%-16s %6s %12d %9.1f%% %12.4f %14.4f %8.2f" % (sys.argv[1].rstrip('/').split('/')[-1], sys.argv[2], c['kv_bytes_per_token_after'],
      100 * (1 - c['kv_bytes_per_token_after'] / c['kv_bytes_per_token_before']), a['loss_after']['mean_nll'],
      b['loss_after']['mean_nll'], a['seconds']['calibrate_and_convert']))
PY
done
