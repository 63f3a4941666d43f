#!/usr/bin/env bash
# Progress on stderr: into a file (not a terminal) one plain line per stage, "STAGE DONE/TOTAL N.N s",
# never two stages on one line, no carriage returns or escape codes; on a terminal (a pseudo-terminal
# from `script`) a bar rewritten in place with the time left, each stage ended by a newline.
# Usage: progress_lines.sh TRANSMLA MODEL_DIR WORKDIR   (MODEL_DIR: a small model with GSM8K resources)
set -euo pipefail
CLI=$1; M=$2; W=$3
rm -rf "$W"; mkdir -p "$W"
layers=$(sed -nE 's/.*"num_hidden_layers": *([0-9]+).*/\1/p' "$M/config.json")
fail=0
"$CLI" convert "$M" --kv-lora-rank 16 --samples 4 --seqlen 32 --eval --limit 3 > /dev/null 2> "$W/stderr.txt"
if grep -q $'\r\|\e' "$W/stderr.txt"; then echo "FAIL: carriage return or escape code in non-terminal progress"; fail=1; fi
bad=$(grep -vE '^[a-z][a-z0-9 _-]* [0-9]+/[0-9]+ [0-9.]+ s$' "$W/stderr.txt" || true)
[ -z "$bad" ] || { echo "FAIL: lines that are not one stage each:"; echo "$bad"; fail=1; }
# One line per stage: a stage name never on two lines in a row (a stage reported again later, e.g.
# the second loss evaluation, is a new stage).
prev=""
while read -r line; do
  stage=${line% */* *}
  [ "$stage" != "$prev" ] || { echo "FAIL: stage '$stage' on two lines in a row"; fail=1; }
  prev=$stage
done < "$W/stderr.txt"
# Loading reports layers: its line is "load L/L" with L = num_hidden_layers of config.json.
grep -qE "^load $layers/$layers " "$W/stderr.txt" || { echo "FAIL: no 'load $layers/$layers' line"; fail=1; }
[ "$(grep -c . "$W/stderr.txt")" -ge 3 ] || { echo "FAIL: fewer than 3 stage lines"; fail=1; }
# A terminal: the bar, rewritten with \r, with an ETA while running and a newline after each stage.
if command -v script > /dev/null; then
  script -qec "$CLI eval $M --limit 3 > /dev/null" "$W/tty.txt" > /dev/null
  grep -q $'\r' "$W/tty.txt" || { echo "FAIL: no carriage return on a terminal"; fail=1; }
  grep -qE "load \[#+\] $layers/$layers 100%" "$W/tty.txt" || { echo "FAIL: no finished load bar on a terminal"; fail=1; }
fi
[ $fail -eq 0 ] && { echo "ok:"; cat "$W/stderr.txt"; }
exit $fail
