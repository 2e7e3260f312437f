#!/usr/bin/env bash
# Every case's bytes must match its golden file, and every golden file must
# belong to a case. On a mismatch: review, then tests/disas/bless.sh.
set -uo pipefail
dump=$(tests/disas/dump_x64) || { echo "dump_x64 failed"; exit 1; }
fail=0 n=0
declare -A seen
while read -r name hex; do
  n=$((n + 1))
  seen["$name"]=1
  f="tests/disas/x64/$name.txt"
  if [ ! -f "$f" ]; then echo "missing golden file $f (run tests/disas/bless.sh)"; fail=1; continue; fi
  want=$(sed -n 's/^;; bytes: //p' "$f")
  if [ "$want" != "$hex" ]; then
    echo "MISMATCH $name"; echo "  golden: $want"; echo "  now:    $hex"; fail=1
  fi
done <<<"$dump"
for f in $(cd tests/disas/x64 && find . -name '*.txt' | sed 's|^\./||; s|\.txt$||'); do
  [ -n "${seen[$f]:-}" ] || { echo "stale golden file x64/$f.txt (no such case)"; fail=1; }
done
echo "disas: $n cases"
exit $fail
