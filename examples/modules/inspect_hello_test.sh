#!/usr/bin/env bash
# `brisk inspect` lists the example's imports and exports, and rejects garbage.
set -euo pipefail
out=$(cli/brisk inspect examples/modules/hello.wasm)
echo "$out"
grep -q "functions: 2 imported, 2 defined" <<<"$out"
grep -q "wasi_snapshot_preview1.fd_write: func \[i32 i32 i32 i32\] -> \[i32\]" <<<"$out"
grep -q "add: func \[i32 i32\] -> \[i32\]" <<<"$out"
printf 'not wasm' > "$TEST_TMPDIR/bad.wasm"
if cli/brisk inspect "$TEST_TMPDIR/bad.wasm" 2>"$TEST_TMPDIR/err"; then
  echo "garbage was accepted"; exit 1
fi
grep -q "magic header not detected" "$TEST_TMPDIR/err"
# run: an export with arguments, and a trap reported with its message
[ "$(cli/brisk run --invoke fact examples/modules/fact.wasm 10)" = "3628800" ]
if cli/brisk run --invoke div examples/modules/fact.wasm 1 0 2>"$TEST_TMPDIR/err"; then
  echo "division by zero did not trap"; exit 1
fi
grep -q "integer divide by zero" "$TEST_TMPDIR/err"
cli/brisk compile examples/modules/fact.wasm | grep -q "compiled in"
# compile -o writes the code cache; run loads it without compiling.
cli/brisk compile examples/modules/fact.wasm -o "$TEST_TMPDIR/fact.cwasm" | grep -q "fact.cwasm: [0-9]* bytes"
[ "$(cli/brisk run --invoke fact "$TEST_TMPDIR/fact.cwasm" 10)" = "3628800" ]
printf 'x' >> "$TEST_TMPDIR/fact.cwasm"
if cli/brisk run --invoke fact "$TEST_TMPDIR/fact.cwasm" 10 2>"$TEST_TMPDIR/err"; then
  echo "a damaged artifact was run"; exit 1
fi
grep -q "cannot load serialized module" "$TEST_TMPDIR/err"
# -W timeout stops runaway code with "interrupted"; finished code is unaffected.
start=$(date +%s%N)
if cli/brisk run -W timeout=200ms --invoke spin examples/modules/fact.wasm 2>"$TEST_TMPDIR/err"; then
  echo "spin returned"; exit 1
fi
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q "interrupted" "$TEST_TMPDIR/err"
[ "$elapsed_ms" -lt 5000 ] || { echo "timeout took ${elapsed_ms} ms"; exit 1; }
[ "$(cli/brisk run -W timeout=5s --invoke fact examples/modules/fact.wasm 5)" = "120" ]
if cli/brisk run -W timeout=soon --invoke fact examples/modules/fact.wasm 5 2>"$TEST_TMPDIR/err"; then exit 1; fi
grep -q "invalid duration" "$TEST_TMPDIR/err"
