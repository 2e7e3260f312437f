#!/usr/bin/env bash
# `brisk run` as wasmtime spells it: WASI commands with --dir/--env/args,
# exit codes, stdout, traps (exit 134 with message and backtrace), the time
# and memory limits, bad arguments (exit 2), --version.
set -uo pipefail
brisk=cli/brisk
ts=$(cd "$(dirname "$(realpath tests/cli/BUILD)")/../.." && pwd)/../shared/wasi-testsuite
fail() { echo "FAIL: $*"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$ts/c/fs-tests.dir" "$work/"
find "$work" -name '*.cleanup' -exec rm -rf {} +

"$brisk" run --dir "$work/fs-tests.dir::/" "$ts/c/lseek.wasm" || fail "c/lseek exited $?"
"$brisk" run --dir="$work/fs-tests.dir::/" -- "$ts/c/pread-with-access.wasm" || fail "pread exited $?"
"$brisk" run "$ts/assemblyscript/args_get-multiple-arguments.wasm" first 'the "second" arg' 3 || fail "args"
"$brisk" run "$ts/assemblyscript/args_get-multiple-arguments.wasm" first second 3 && fail "wrong args accepted"
"$brisk" run --env FOO=bar "$ts/assemblyscript/environ_sizes_get-no-variables.wasm" && fail "env not passed"
"$brisk" run "$ts/assemblyscript/proc_exit-failure.wasm"
[ $? -eq 33 ] || fail "proc_exit code"
[ "$("$brisk" run "$ts/assemblyscript/fd_write-to-stdout.wasm")" = "hello" ] || fail "stdout"

# A trap: exit 134, the message and the Wasm backtrace on stderr.
"$brisk" run --invoke div examples/modules/fact.wasm 1 0 2>"$work/err"
[ $? -eq 134 ] || fail "trap exit code"
grep -q "integer divide by zero" "$work/err" || fail "trap message"
grep -q "#0 " "$work/err" || fail "backtrace"

# Limits.
start=$(date +%s%N)
"$brisk" run -W timeout=300ms tests/cli/spin_start.wasm 2>"$work/err" && fail "spin ended"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q "interrupted (the time limit of 300 ms was reached)" "$work/err" || fail "timeout message: $(cat "$work/err")"
[ "$ms" -lt 5000 ] || fail "timeout took $ms ms"
"$brisk" run tests/cli/grow_start.wasm || fail "grow without a limit"
"$brisk" run -W max-memory-size=1M tests/cli/grow_start.wasm
[ $? -eq 3 ] || fail "max-memory-size did not refuse the grow"

# Bad arguments: usage, exit 2.
"$brisk" run 2>/dev/null; [ $? -eq 2 ] || fail "no file"
"$brisk" run --frobnicate x.wasm 2>/dev/null; [ $? -eq 2 ] || fail "unknown flag"
"$brisk" run -W max-memory-size=lots x.wasm 2>/dev/null; [ $? -eq 2 ] || fail "bad size"
"$brisk" --version | grep -q "^brisk " || fail "--version"
echo ok
