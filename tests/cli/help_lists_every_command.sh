#!/usr/bin/env bash
# `transmla --help` lists every command and subcommand: the commands a user can run (hand list below,
# and the subcommands `analyze --help` documents) each appear as a line of the help, and every line of
# the help is a command that answers its own --help. Usage: help_lists_every_command.sh TRANSMLA
set -euo pipefail
CLI=$1
help=$("$CLI" --help)
fail=0
has_line() { grep -qE "^  $1( |\$)" <<<"$help"; }
for cmd in inspect eval logits tokenize convert demo "analyze spectra" "analyze budget" "analyze attention" "analyze loss-sweep"; do
  has_line "$cmd" || { echo "FAIL: '$cmd' missing from transmla --help"; fail=1; }
done
# analyze's own usage ("  NAME  what it does") names its subcommands independently of the table.
subs=$("$CLI" analyze --help | sed -nE 's/^  ([a-z][a-z-]+) +[a-zA-Z].*/\1/p')
[ -n "$subs" ] || { echo "FAIL: no subcommands in transmla analyze --help"; exit 1; }
for s in $subs; do has_line "analyze $s" || { echo "FAIL: 'analyze $s' (from analyze --help) missing from transmla --help"; fail=1; }; done
# The error for an unknown subcommand lists the valid ones: each is in the help too.
set +e
err=$("$CLI" analyze no-such-analysis /nonexistent 2>&1); rc=$?
set -e
[ $rc -eq 2 ] || { echo "FAIL: unknown analysis: exit $rc"; fail=1; }
for s in $(sed -nE 's/.*\((.*)\).*/\1/p' <<<"$err" | tr -d ','); do
  has_line "analyze $s" || { echo "FAIL: '$s' (from the unknown-analysis error) missing from the help"; fail=1; }
done
# Every command line of the help answers --help with exit 0.
while read -r name _; do
  "$CLI" "$name" --help > /dev/null || { echo "FAIL: transmla $name --help: exit $?"; fail=1; }
done < <(grep -E '^  [a-z]' <<<"$help")
[ $fail -eq 0 ] && echo "ok: $(grep -cE '^  [a-z]' <<<"$help") command lines"
exit $fail
