#!/usr/bin/env bash
# Builds a fuzz target with Bazel's --config=fuzz (clang-14, libFuzzer, ASan,
# UBSan; the same asmjit as every other build) and runs it. Seeds come from
# the spec testsuite's modules (converted with wast2json).
#   tests/fuzz/run.sh [SECONDS] [decode|compile]     default: 600 decode
# decode:  decode + validate;  compile: decode + validate + x86-64 compile.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-600}
target=${2:-decode}
out="$here/out"
mkdir -p "$out"

for p in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || {
    echo "run.sh: installing $p" >&2; apt-get install -y -qq "$p" >&2; }
done

cd "$root"
./bazelw build --config=fuzz "//tests/fuzz:${target}_fuzzer" 2>&1 | grep -v "Cannot export local symbol" >&2
bin="$(./bazelw info --config=fuzz bazel-bin 2>/dev/null)/tests/fuzz/${target}_fuzzer"
cp -f "$bin" "$out/${target}_fuzzer"

seeds="$out/seeds"
if [ ! -d "$seeds" ]; then
  tmp=$(mktemp -d)
  "$root/../shared/testsuite/convert.sh" "$tmp" >/dev/null
  mkdir -p "$seeds"
  find "$tmp" -name '*.wasm' -size -64k -exec cp {} "$seeds/" \;
  rm -rf "$tmp"
fi

cd "$out"
mkdir -p "$here/corpus-work/$target"
exec "./${target}_fuzzer" -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=4096 \
  "$here/corpus-work/$target" "$seeds"
