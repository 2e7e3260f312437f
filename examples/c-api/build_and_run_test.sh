#!/usr/bin/env bash
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -std=c11 -Wall -Wextra -Werror examples/c-api/hello.c -Iapi/c/include -Lapi/c -lbrisk -o "$tmp/hello"
out=$(LD_LIBRARY_PATH=api/c "$tmp/hello" examples/c-api/hello.wasm)
expected=$'Hello, 21!\nrun(21) = 42'
[ "$out" == "$expected" ] || { echo "unexpected output:"; echo "$out"; exit 1; }
echo ok
