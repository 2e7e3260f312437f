#!/usr/bin/env bash
# The main job prints the seed's HTML exactly; it renders files and stdin,
# reports documents per second, and finds its module from anywhere.
set -euo pipefail
expected='<h1>Hello, <code>.NET</code>! Welcome to <strong>WebAssembly</strong> with <a href="https://wasmtime.dev">Wasmtime</a>!</h1>'
got=$(examples/markdown/markdown)
[ "$got" == "$expected" ] || { echo "unexpected output:"; echo "$got"; exit 1; }
out=$(examples/markdown/markdown examples/markdown/sample.md)
grep -q '<table>' <<<"$out"
grep -q '<del>gone</del>' <<<"$out"
[ "$(echo '*hi*' | examples/markdown/markdown -)" == "<p><em>hi</em></p>" ]
examples/markdown/markdown --repeat 50 2>&1 >/dev/null | grep -q "documents per second"
bin=$(realpath examples/markdown/markdown)
(cd / && "$bin" >/dev/null) || { echo "cannot find its module from /"; exit 1; }
echo ok
