#!/usr/bin/env bash
# Builds the .deb with cpack, installs it (dpkg -i, apt-get -f for missing dependencies), runs the
# installed programs from outside the source tree (/tmp) and checks that they find their resources
# (demo model, GSM8K, WikiText-2) under the install prefix, then removes the package again.
#   installer/deb-check.sh [BUILD_DIR]      (default: ./build, configured and built as needed)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" 2>/dev/null && pwd || echo "${1:-$root/build}")
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
share=/usr/share/transmla-workbench/resources

echo "== build and package ($build)"
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" --parallel "${JOBS:-$(nproc)}" --target transmla transmla-workbench
rm -f "$build"/transmla-workbench_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build"/transmla-workbench_*.deb | head -1)
echo "package: $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --field "$deb" Package Version Depends

echo "== install"
if dpkg -s transmla-workbench >/dev/null 2>&1; then
    echo "transmla-workbench is already installed: remove it first (dpkg -r transmla-workbench)" >&2
    exit 1
fi
$sudo dpkg -i "$deb" || $sudo apt-get -f install -y
trap 'echo "== remove"; $sudo dpkg -r transmla-workbench >/dev/null && echo "removed"' EXIT
dpkg -s transmla-workbench | grep -E '^(Status|Version):'

cd /tmp
unset TRANSMLA_RESOURCES
for f in models/tiny-llama-gqa/config.json data/gsm8k/test.jsonl data/wikitext2/valid.txt data/wikitext2/test.txt \
         data/wikitext2/LICENSE data/gsm8k/LICENSE; do
    [ -s "$share/$f" ] || { echo "FAIL: $share/$f missing"; exit 1; }
done
echo "resources installed under $share"

echo "== installed workbench (offscreen): open the demo model and quit"
gui=$(QT_QPA_PLATFORM=offscreen /usr/bin/transmla-workbench --self-test 2>&1) || { echo "$gui"; echo "FAIL: workbench"; exit 1; }
echo "$gui"
grep -q "self-test: resources $share" <<<"$gui" || { echo "FAIL: the workbench did not use $share"; exit 1; }
grep -q "self-test: opened $share/models/tiny-llama-gqa" <<<"$gui" || { echo "FAIL: demo model not opened"; exit 1; }

echo "== installed CLI demo (from /tmp)"
demo=$(TMPDIR=/tmp /usr/bin/transmla demo 2>&1) || { echo "$demo"; echo "FAIL: transmla demo"; exit 1; }
grep -E "bundled model|GSM8K mean NLL|exported DeepSeek-V3" <<<"$demo"
grep -q "bundled model $share/models/tiny-llama-gqa" <<<"$demo" || { echo "FAIL: the CLI did not use $share"; exit 1; }

echo "== installed CLI: WikiText-2 calibration and the audit record"
json=$(mktemp /tmp/deb-check-XXXXXX.json)
/usr/bin/transmla convert "$share/models/tiny-llama-gqa" --calib wikitext2 --samples 16 --seqlen 64 \
    --kv-lora-rank 32 --eval --limit 10 --wikitext 2 --json >"$json"
python3 - "$share" "$json" <<'PY'
import json, sys
a = json.load(open(sys.argv[2]))["audit"]
assert a["calibration_file"] == sys.argv[1] + "/data/wikitext2/valid.txt", a["calibration_file"]
print("audit: content hash", a["model"]["content_hash"], "| GSM8K", round(a["gsm8k"]["mean_nll_before"], 4), "->",
      round(a["gsm8k"]["mean_nll_after"], 4), "| WikiText-2 ppl", round(a["wikitext2"]["perplexity_before"], 2), "->",
      round(a["wikitext2"]["perplexity_after"], 2))
PY
rm -f "$json"
echo "== deb-check: OK"
