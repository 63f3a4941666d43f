#!/usr/bin/env bash
# On the GPU machine, for exports made elsewhere (no build there): each folder under DIR holds
# an export (EXPORT/), the ids (ids.json) and our engine's logits on them (ours.safetensors, from
# `transmla logits EXPORT --ids ids.json`). transformers must agree within 1e-3.
# Usage: tests/gpu/check_exports_carried.sh DIR
set -uo pipefail
cd "$(dirname "$0")/../.."
fail=0
for d in "$1"/*/; do
  python3 tests/gpu/check_deepseek_export.py "$d/export" "$d/ids.json" "$d/ours.safetensors" 1e-3 2>&1 | grep -v -i warn || fail=1
done
exit $fail
