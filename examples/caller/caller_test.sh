#!/usr/bin/env bash
set -euo pipefail
out=$(examples/caller/caller)
expected=$'log: a string from guest memory\nlog: refused: memory access [65530, +100) is outside the memory (65536 bytes)\nlogged 1 of 2'
[ "$out" == "$expected" ] || { echo "unexpected output:"; echo "$out"; exit 1; }
echo ok
