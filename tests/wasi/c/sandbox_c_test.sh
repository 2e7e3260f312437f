#!/usr/bin/env bash
# The C program's checks pass, its exit code (42) and stdout reach the host,
# and nothing was created outside its directory.
set -uo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/root" "$work/outside"
ln -s ../outside "$work/root/out_link"
out=$(cli/brisk run --dir "$work/root::/" tests/wasi/c/sandbox.wasm arg 2>"$work/err")
code=$?
echo "$out"
[ $code -eq 42 ] || { echo "exit code $code"; cat "$work/err"; exit 1; }
[ "$out" = "sandbox checks: 0 failed" ] || exit 1
[ "$(cat "$work/err")" = "to stderr" ] || exit 1
[ -f "$work/root/dir/moved.txt" ] || exit 1
[ -z "$(ls -A "$work/outside")" ] || { echo "created outside:"; ls -la "$work/outside"; exit 1; }
[ ! -e "$work/escape" ] || exit 1
echo ok
