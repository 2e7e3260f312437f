#!/usr/bin/env bash
# The demo renders the seed's sample exactly, and a longer document too.
set -euo pipefail
expected='<h1>Hello, <code>.NET</code>! Welcome to <strong>WebAssembly</strong> with <a href="https://wasmtime.dev">Wasmtime</a>!</h1>'
got=$(examples/markdown/markdown_by_hand)
if [ "$got" != "$expected" ]; then
  echo "unexpected output:"; echo "$got"; exit 1
fi
out=$(examples/markdown/markdown_by_hand examples/markdown/sample.md)
grep -q '<h2>Lists</h2>' <<<"$out"
grep -q '<li><p>second</p>' <<<"$out" || grep -q '<li>second</li>' <<<"$out"
grep -q '<table>' <<<"$out"
grep -q '<code class="language-cpp">' <<<"$out"
grep -q '<del>gone</del>' <<<"$out"
echo "ok"
