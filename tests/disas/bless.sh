#!/usr/bin/env bash
# Regenerates tests/disas/<isa>/<operation>/<case>.txt from the cases in
# masm_cases.h: the bytes, and objdump's Intel-syntax disassembly for review.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
./bazelw build //tests/disas:dump_x64 >&2
rm -rf "$here/x64"
tmp=$(mktemp -d)
bazel-bin/tests/disas/dump_x64 | while read -r name hex; do
  out="$here/x64/$name.txt"
  mkdir -p "$(dirname "$out")"
  python3 -c "import sys; open(sys.argv[1], 'wb').write(bytes.fromhex(sys.argv[2]))" "$tmp/code.bin" "$hex"
  {
    echo ";; $name (X64Masm; labels bound after the case's code)"
    echo ";; bytes: $hex"
    if [ -s "$tmp/code.bin" ]; then
      objdump -D -b binary -mi386:x86-64 -M intel --no-show-raw-insn "$tmp/code.bin" |
        sed -n 's/^ *\([0-9a-f]*\):\t/\1: /p'
    fi
  } > "$out"
done
rm -rf "$tmp"
echo "blessed $(find "$here/x64" -name '*.txt' | wc -l) cases" >&2
