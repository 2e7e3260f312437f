#!/usr/bin/env bash
# The fuzz targets (built with replay_main.cc) run over known modules and a
# few hostile byte strings without crashing.
set -euo pipefail
inputs=(tests/regress/*.wasm)
printf '\0asm\1\0\0\0\1\377\377\377\377\17' > "$TEST_TMPDIR/huge_count.wasm"
printf '\0asm\1\0\0\0\15\0' > "$TEST_TMPDIR/tag_section.wasm"
: > "$TEST_TMPDIR/empty.wasm"
inputs+=("$TEST_TMPDIR"/*.wasm)
tests/fuzz/decode_fuzzer "${inputs[@]}"
tests/fuzz/compile_fuzzer "${inputs[@]}"
