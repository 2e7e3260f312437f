#!/usr/bin/env bash
# Brisk side by side with Wasmtime (Cranelift, Winch), V8 (Liftoff, TurboFan)
# and native code (and wabt's interpreter as the floor), in one command. Builds what it needs (kernels, harness,
# Brisk), runs every runtime over every workload with the runtimes
# alternated, and writes bench/results/latest.{md,json,png}.
#   bench/peers/install.sh && bench/compare.sh [--quick]
# --quick: one round, 3 runs and 3 compiles each (a few minutes); otherwise
# 3 rounds of 5. BENCH_ROUNDS, BENCH_RUNS, BENCH_COMPILES and BENCH_INTERP_LIMIT
# (seconds) override those counts, with every module (e.g. one round in about
# 25 minutes: BENCH_ROUNDS=1 BENCH_COMPILES=3). Measurement, not a test.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rounds=3 runs=5 compiles=5 interp_limit=60 quick=""
[ "${1:-}" = "--quick" ] && rounds=1 runs=3 compiles=3 interp_limit=10 quick="--quick"
rounds=${BENCH_ROUNDS:-$rounds} runs=${BENCH_RUNS:-$runs} compiles=${BENCH_COMPILES:-$compiles}
interp_limit=${BENCH_INTERP_LIMIT:-$interp_limit}
py="${BRISK_PYENV:-${XDG_CACHE_HOME:-$HOME/.cache}/brisk/pyenv}/bin/python"
wt_lib=$("$py" -c "import wasmtime, os; print(os.path.join(os.path.dirname(wasmtime.__file__), 'linux-x86_64', '_libwasmtime.so'))")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p bench/results "$work/wasm" "$work/native"

echo "compare.sh: building Brisk, the harness and the workloads" >&2
./bazelw build -c opt //api/c:libbrisk.so //tests/programs:sqlite3 //tests/programs:lua \
  //examples/markdown:renderer_wasm //examples/markdown:corpus //cli:brisk >/dev/null 2>&1
mkdir -p "$work/programs"
cp bazel-bin/cli/brisk bazel-bin/tests/programs/lua.wasm bazel-bin/tests/programs/sqlite3.wasm \
   bazel-bin/tests/programs/lua_native bazel-bin/tests/programs/sqlite3_native "$work/programs/"
cp bazel-bin/api/c/libbrisk.so "$work/"
cp bazel-bin/tests/programs/sqlite3.wasm bazel-bin/tests/programs/lua.wasm "$work/wasm/"
cp bazel-bin/examples/markdown/markdown_renderer.wasm bazel-bin/examples/markdown/corpus.txt "$work/"
wat2wasm bench/calls.wat -o "$work/calls.wasm"
cc -O2 -std=c11 bench/harness/harness.c -Iapi/c/include "$work/libbrisk.so" -Wl,-rpath,"$work" -o "$work/harness_brisk"
cc -O2 -std=c11 -DHARNESS_WASMTIME bench/harness/harness.c -Iapi/c/include "$wt_lib" \
   -Wl,-rpath,"$(dirname "$wt_lib")" -o "$work/harness_wasmtime"
kernels=()
for c in bench/workloads/kernels/*.c; do
  k=$(basename "$c" .c)
  kernels+=("$k")
  clang-14 --target=wasm32 -O2 -nostdlib -mbulk-memory -Wl,--no-entry -Wl,--export=run "$c" -o "$work/wasm/$k.wasm"
  clang-14 -O2 -DKERNEL="\"$k\"" "$c" bench/harness/native_main.c -o "$work/native/$k" -lm
done
# SIMD kernels (clang vector extensions): with -msimd128, and without it
# (the same source as scalar Wasm) for the speedup; natively as themselves.
simd_kernels=()
for c in bench/workloads/simd/*.c; do
  k=simd_$(basename "$c" .c)
  simd_kernels+=("$k")
  flags=(--target=wasm32 -O2 -mbulk-memory -nostdlib -Wl,--no-entry -Wl,--export=run)
  clang-14 "${flags[@]}" -msimd128 "$c" -o "$work/wasm/$k.wasm"
  clang-14 "${flags[@]}" "$c" -o "$work/wasm/${k}_scalar.wasm"
  clang-14 -O2 -DKERNEL="\"$k\"" "$c" bench/harness/native_main.c -o "$work/native/$k" -lm
done
mods=()
for k in "${kernels[@]}"; do mods+=("$work/wasm/$k.wasm"); done
for k in "${simd_kernels[@]}"; do mods+=("$work/wasm/$k.wasm" "$work/wasm/${k}_scalar.wasm"); done
# Compile speed: SQLite's shell (1.1 MB of code) and Lua, our own builds, and
# the large real modules (10-31 MB of code each; --quick: the smallest).
big=("$work/wasm/sqlite3.wasm" "$work/wasm/lua.wasm")
echo "compare.sh: fetching the large modules" >&2
mapfile -t large < <(bench/workloads/large/fetch.sh $quick)

out="$work/results.jsonl"
# Code-section sizes: compile throughput counts the code, not custom sections.
python3 - "${mods[@]}" "${big[@]}" "${large[@]}" >> "$out" <<'PY'
import json, os, sys
for path in sys.argv[1:]:
    b = open(path, "rb").read()
    i, code = 8, 0
    while i < len(b):
        sid = b[i]; i += 1
        n = shift = 0
        while True:
            x = b[i]; i += 1
            n |= (x & 0x7f) << shift; shift += 7
            if x < 0x80: break
        if sid == 10: code = n
        i += n
    print(json.dumps({"runtime": "sizes", "module": os.path.basename(path), "code_bytes": code, "bytes": len(b)}))
PY
for round in $(seq "$rounds"); do
  echo "compare.sh: round $round of $rounds" >&2
  # Where the stack starts moves a kernel's time by up to 10% with the same
  # code (chacha: 157 or 173 ms, by the stack address modulo 4 KiB): each
  # round runs every runtime with a different environment size, so the
  # medians span several placements.
  BENCH_STACK_PAD=$(printf '%*s' $(( (round - 1) * 1368 )) '')
  export BENCH_STACK_PAD
  "$work/harness_brisk" --runs "$runs" --compiles "$compiles" --threads 1 "${mods[@]}" "${big[@]}" >> "$out"
  # Compiling with every core (each runtime's own parallel compilation).
  "$work/harness_brisk" --runs 1 --compiles "$compiles" --threads all "${mods[@]}" "${big[@]}" \
    | sed 's/"brisk"/"brisk (all cores)"/' >> "$out"
  "$work/harness_wasmtime" --strategy cranelift --runs 1 --compiles "$compiles" --threads all "${mods[@]}" "${big[@]}" \
    | sed 's/"wasmtime"/"cranelift (all cores)"/' >> "$out"
  node --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering --no-wasm-lazy-compilation \
    bench/harness/node_harness.js "liftoff (all cores)" --runs 1 --compiles "$compiles" "${mods[@]}" "${big[@]}" >> "$out"
  "$work/harness_wasmtime" --strategy cranelift --runs "$runs" --compiles "$compiles" --threads 1 "${mods[@]}" "${big[@]}" \
    | sed 's/"wasmtime"/"cranelift"/' >> "$out"
  "$work/harness_wasmtime" --strategy winch --runs "$runs" --compiles "$compiles" --threads 1 "${mods[@]}" "${big[@]}" \
    | sed 's/"wasmtime"/"winch"/' >> "$out"
  node --single-threaded --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering --no-wasm-lazy-compilation \
    bench/harness/node_harness.js liftoff --runs "$runs" --compiles "$compiles" "${mods[@]}" "${big[@]}" >> "$out"
  node --single-threaded --no-liftoff --no-wasm-lazy-compilation \
    bench/harness/node_harness.js turbofan --runs "$runs" --compiles "$compiles" "${mods[@]}" "${big[@]}" >> "$out"
  for k in "${kernels[@]}" "${simd_kernels[@]}"; do "$work/native/$k" --runs "$runs" >> "$out"; done
  # The floor: wabt's interpreter, one run each, where it finishes in time.
  [ "$round" -eq 1 ] && for k in "${kernels[@]}"; do
    python3 - "$work/wasm/$k.wasm" "$interp_limit" >> "$out" <<'PY'
import json, os, subprocess, sys, time
path, limit = sys.argv[1], float(sys.argv[2])
row = {"runtime": "wasm-interp", "module": os.path.basename(path)}
t0 = time.perf_counter()
try:
    p = subprocess.run(["wasm-interp", path, "--run-all-exports"], capture_output=True, text=True, timeout=limit)
    row["run_ms"] = 1000 * (time.perf_counter() - t0)
    v = int(p.stdout.strip().rsplit(":", 1)[1])
    row["result"] = v - (1 << 32) if v >= 1 << 31 else v
except subprocess.TimeoutExpired:
    row["timeout_s"] = limit
print(json.dumps(row))
PY
  done
  # Calls both ways through each runtime's API, markdown documents per second.
  "$work/harness_brisk" --calls "$work/calls.wasm" >> "$out"
  "$work/harness_wasmtime" --strategy cranelift --calls "$work/calls.wasm" | sed 's/"wasmtime"/"cranelift"/' >> "$out"
  "$work/harness_wasmtime" --strategy winch --calls "$work/calls.wasm" | sed 's/"wasmtime"/"winch"/' >> "$out"
  node --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering bench/harness/node_harness.js liftoff --calls "$work/calls.wasm" >> "$out"
  node --no-liftoff --no-wasm-lazy-compilation bench/harness/node_harness.js turbofan --calls "$work/calls.wasm" >> "$out"
  md=("$work/corpus.txt" --runs "$runs" "$work/markdown_renderer.wasm")
  "$work/harness_brisk" --markdown "${md[@]}" >> "$out"
  "$work/harness_wasmtime" --strategy cranelift --markdown "${md[@]}" | sed 's/"wasmtime"/"cranelift"/' >> "$out"
  "$work/harness_wasmtime" --strategy winch --markdown "${md[@]}" | sed 's/"wasmtime"/"winch"/' >> "$out"
  node --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering bench/harness/node_harness.js liftoff --markdown "${md[@]}" >> "$out"
  node --no-liftoff --no-wasm-lazy-compilation bench/harness/node_harness.js turbofan --markdown "${md[@]}" >> "$out"
  # The Debian programs as WASI commands, whole processes.
  bench/workloads/programs/run_programs.sh "$work/programs" "$runs" >> "$out"
  # The large modules, compiled only. Cranelift, Winch and TurboFan compile
  # each once a round (Cranelift and TurboFan take about a second per MB of
  # code on one thread).
  "$work/harness_brisk" --compile-only --compiles "$compiles" --threads 1 "${large[@]}" >> "$out"
  node --single-threaded --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering --no-wasm-lazy-compilation \
    bench/harness/node_harness.js liftoff --compiles "$compiles" "${large[@]}" >> "$out"
  "$work/harness_brisk" --compile-only --compiles "$compiles" --threads all "${large[@]}" | sed 's/"brisk"/"brisk (all cores)"/' >> "$out"
  node --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering --no-wasm-lazy-compilation \
    bench/harness/node_harness.js "liftoff (all cores)" --compiles "$compiles" "${large[@]}" >> "$out"
  "$work/harness_wasmtime" --strategy winch --compile-only --compiles 1 --threads 1 "${large[@]}" | sed 's/"wasmtime"/"winch"/' >> "$out"
  node --single-threaded --no-liftoff --no-wasm-lazy-compilation \
    bench/harness/node_harness.js turbofan --compiles 1 "${large[@]}" >> "$out"
  "$work/harness_wasmtime" --strategy cranelift --compile-only --compiles 1 --threads all "${large[@]}" \
    | sed 's/"wasmtime"/"cranelift (all cores)"/' >> "$out"
  "$work/harness_wasmtime" --strategy cranelift --compile-only --compiles 1 --threads 1 "${large[@]}" \
    | sed 's/"wasmtime"/"cranelift"/' >> "$out"
  # Peak RSS compiling the biggest module, one process each.
  rss_mod="${large[-1]}" rss_name=$(basename "${large[-1]}")
  rss() { sed "s/\"module\": *\"$rss_name\"/\"module\": \"rss\"/"; }
  "$work/harness_brisk" --compile-only --compiles 1 --threads 1 "$rss_mod" | rss >> "$out"
  "$work/harness_wasmtime" --strategy cranelift --compile-only --compiles 1 --threads 1 "$rss_mod" | sed 's/"wasmtime"/"cranelift"/' | rss >> "$out"
  "$work/harness_wasmtime" --strategy winch --compile-only --compiles 1 --threads 1 "$rss_mod" | sed 's/"wasmtime"/"winch"/' | rss >> "$out"
  node --single-threaded --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering --no-wasm-lazy-compilation \
    bench/harness/node_harness.js liftoff --compiles 1 "$rss_mod" | rss >> "$out"
  node --single-threaded --no-liftoff --no-wasm-lazy-compilation \
    bench/harness/node_harness.js turbofan --compiles 1 "$rss_mod" | rss >> "$out"
done

"$py" bench/report.py "$out" bench/results/latest --rounds "$rounds" --runs "$runs" --rss-module "$rss_name"
echo "compare.sh: wrote bench/results/latest.md, latest.json, latest.png" >&2
