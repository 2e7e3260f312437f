#!/usr/bin/env bash
set -euo pipefail
out=$(examples/hello/hello)
expected=$'Hello from Wasm (2 to go)\nHello from Wasm (1 to go)\nHello from Wasm (0 to go)'
[ "$out" == "$expected" ] || { echo "unexpected output:"; echo "$out"; exit 1; }
echo ok
