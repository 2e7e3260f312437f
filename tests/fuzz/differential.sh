#!/usr/bin/env bash
# Differential fuzzing of Brisk (guard pages and explicit bounds checks)
# against Wasmtime on modules from wasm-tools smith.
#   tests/fuzz/differential.sh [N | SECONDSs | MINUTESm] [--seed S]
# N: that many modules (default 1000); 90s / 30m: run for that long.
# Divergences land in tests/fuzz/out/differential/<name>/ with replay.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
amount=${1:-1000}
shift || true
cd "$root"
./bazelw build //tests/fuzz:diff_runner >&2
pyenv="${BRISK_PYENV:-${XDG_CACHE_HOME:-$HOME/.cache}/brisk/pyenv}"  # set up by ./bazelw
export PATH="$pyenv/bin:$PATH"
case "$amount" in
  *s) limit=(--seconds "${amount%s}") ;;
  *m) limit=(--seconds "$(( ${amount%m} * 60 ))") ;;
  *) limit=(--modules "$amount") ;;
esac
exec "$pyenv/bin/python" "$here/differential.py" --runner "$root/bazel-bin/tests/fuzz/diff_runner" \
  --out "$here/out/differential" "${limit[@]}" "$@"
