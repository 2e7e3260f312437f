#!/usr/bin/env bash
# The Python binding renders the seed's sample exactly, and a longer file.
set -euo pipefail
export BRISK_LIB=api/c/libbrisk.so MARKDOWN_WASM=examples/markdown/markdown_renderer.wasm
expected='<h1>Hello, <code>.NET</code>! Welcome to <strong>WebAssembly</strong> with <a href="https://wasmtime.dev">Wasmtime</a>!</h1>'
got=$(python3 examples/python/markdown_demo.py)
if [ "$got" != "$expected" ]; then echo "unexpected output:"; echo "$got"; exit 1; fi
out=$(python3 examples/python/markdown_demo.py examples/markdown/sample.md)
grep -q '<table>' <<<"$out"
grep -q '<del>gone</del>' <<<"$out"
# A host function that raises becomes a trap, not a crash of the interpreter.
python3 - <<'PY'
import sys
sys.path.insert(0, "examples/python")
from brisk_wasm import *
store = Store(Engine())
# (module (import "env" "add" (func (param i32 i32) (result i32)))
#         (func (export "run") (param i32 i32) (result i32) (call 0 (local.get 0) (local.get 1))))
wat_add = bytes.fromhex("0061736d0100000001070160027f7f017f020b0103656e76036164640000030201000707010372756e"
                        "00010a0a0108002000200110000b")
m = Module(store, wat_add)
boom = Func(store, FuncType([I32, I32], [I32]), lambda a, b: 1 // 0 if a == 0 else a + b)
inst = Instance(store, m, [boom])
assert inst.exports["run"](2, 3) == 5
try:
    inst.exports["run"](0, 1)
    raise SystemExit("expected a trap")
except Trap as t:
    assert "division or modulo by zero" in str(t), str(t)
assert Module(store, m.serialize(), serialized=True)
print("binding: ok")
PY
echo ok
