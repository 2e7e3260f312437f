#!/usr/bin/env bash
# Regenerates tests/disas/<isa>/<operation>/<case>.txt from the cases in
# masm_cases.h: the bytes, and objdump's disassembly for review (Intel syntax
# on x86-64; AArch64 through binutils-aarch64-linux-gnu's objdump).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
./bazelw build //tests/disas:dump_x64 //tests/disas:dump_a64 >&2
tmp=$(mktemp -d)
for isa in x64 a64; do
  case $isa in
    x64) masm=X64Masm; objdump=(objdump -D -b binary -mi386:x86-64 -M intel --no-show-raw-insn) ;;
    a64) masm=A64Masm; objdump=(aarch64-linux-gnu-objdump -D -b binary -maarch64 --no-show-raw-insn) ;;
  esac
  rm -rf "${here:?}/$isa"
  bazel-bin/tests/disas/dump_$isa > "$tmp/dump"
  while read -r name hex; do
    out="$here/$isa/$name.txt"
    mkdir -p "$(dirname "$out")"
    python3 -c "import sys; open(sys.argv[1], 'wb').write(bytes.fromhex(sys.argv[2]))" "$tmp/code.bin" "$hex"
    {
      echo ";; $name ($masm; labels bound after the case's code)"
      echo ";; bytes: $hex"
      if [ -s "$tmp/code.bin" ]; then
        "${objdump[@]}" "$tmp/code.bin" | sed -n 's/^ *\([0-9a-f]*\):\t/\1: /p'
      fi
    } > "$out"
  done < "$tmp/dump"
  echo "blessed $(find "$here/$isa" -name '*.txt' | wc -l) $isa cases" >&2
done
rm -rf "$tmp"
