#!/usr/bin/env bash
set -euo pipefail
out=$(examples/typed-call/typed_call)
expected=$'fib(30) = 832040\n17 divmod 5 = 3, 2\nlookup with the wrong type: function has type [i64] -> [i64], the typed call expects [i32] -> [i32]\n1 divmod 0: integer divide by zero'
[ "$out" == "$expected" ] || { echo "unexpected output:"; echo "$out"; exit 1; }
echo ok
