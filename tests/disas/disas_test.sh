#!/usr/bin/env bash
# Every case's bytes must match its golden file, and every golden file must
# belong to a case, for each ISA. On a mismatch: review, then tests/disas/bless.sh.
set -uo pipefail
fail=0
for isa in x64 a64; do
  dump=$(tests/disas/dump_$isa) || { echo "dump_$isa failed"; fail=1; continue; }
  n=0
  declare -A seen=()
  while read -r name hex; do
    n=$((n + 1))
    seen["$name"]=1
    f="tests/disas/$isa/$name.txt"
    if [ ! -f "$f" ]; then echo "missing golden file $f (run tests/disas/bless.sh)"; fail=1; continue; fi
    want=$(sed -n 's/^;; bytes: //p' "$f")
    if [ "$want" != "$hex" ]; then
      echo "MISMATCH $isa/$name"; echo "  golden: $want"; echo "  now:    $hex"; fail=1
    fi
  done <<<"$dump"
  for f in $(cd "tests/disas/$isa" && find . -name '*.txt' | sed 's|^\./||; s|\.txt$||'); do
    [ -n "${seen[$f]:-}" ] || { echo "stale golden file $isa/$f.txt (no such case)"; fail=1; }
  done
  unset seen
  echo "disas $isa: $n cases"
done
exit $fail
