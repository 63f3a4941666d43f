#!/usr/bin/env bash
# `transmla convert --out` (streamed and whole-model) with writes failing part-way (RLIMIT_FSIZE via
# prlimit: EFBIG, as on a full disk): exit 2 with an error naming the target, no temporary left, and an
# export already in place survives byte for byte. Usage: export_disk_full.sh TRANSMLA MODEL WORKDIR
set -euo pipefail
CLI=$1; M=$2; W=$3
rm -rf "$W"; mkdir -p "$W"
args=(--kv-lora-rank 48 --samples 16 --seqlen 64 --quiet)
"$CLI" convert "$M" "${args[@]}" --out "$W/mla" > /dev/null
before=$(cd "$W/mla" && cat $(ls) | md5sum)
for mode in "" --no-stream; do
  set +e
  msg=$(prlimit --fsize=200000 "$CLI" convert "$M" "${args[@]}" --out "$W/mla" --force $mode 2>&1)
  rc=$?
  set -e
  [ $rc -eq 2 ] || { echo "FAIL ($mode): exit $rc, expected 2: $msg"; exit 1; }
  case "$msg" in *"$W/mla: export failed, nothing written"*) ;; *) echo "FAIL ($mode): message: $msg"; exit 1;; esac
  [ "$(ls -A "$W")" = mla ] || { echo "FAIL ($mode): left behind: $(ls -A "$W")"; exit 1; }
  [ "$(cd "$W/mla" && cat $(ls) | md5sum)" = "$before" ] || { echo "FAIL ($mode): the old export changed"; exit 1; }
  echo "ok ($mode): $msg"
done
