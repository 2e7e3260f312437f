#!/usr/bin/env bash
# Builds the decoder fuzz target with clang-14 + libFuzzer (ASan, UBSan) and
# runs it. Seeds come from the spec testsuite's modules (converted with wast2json).
#   tests/fuzz/run.sh [SECONDS]        default 600
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-600}
out="$here/out"
mkdir -p "$out" "$here/corpus-work"

for p in clang-14 libclang-rt-14-dev wabt; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || {
    echo "run.sh: installing $p" >&2; apt-get install -y -qq "$p" >&2; }
done

clang++-14 -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$root" \
  "$here/decode_fuzzer.cc" \
  "$root"/compiler/decode/*.cc "$root"/compiler/validate/*.cc \
  -o "$out/decode_fuzzer"

seeds="$out/seeds"
if [ ! -d "$seeds" ]; then
  tmp=$(mktemp -d)
  "$root/../shared/testsuite/convert.sh" "$tmp" >/dev/null
  mkdir -p "$seeds"
  find "$tmp" -name '*.wasm' -size -64k -exec cp {} "$seeds/" \;
  rm -rf "$tmp"
fi

cd "$out"
exec ./decode_fuzzer -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
  "$here/corpus-work" "$seeds"
