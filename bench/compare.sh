#!/usr/bin/env bash
# Side-by-side: Brisk vs V8 Liftoff vs V8 TurboFan on the kernels in
# bench/kernels (our C, clang-14 --target=wasm32 -O2 -nostdlib). Prints run
# time and compile throughput per kernel with ratios (V8 time / Brisk time: above 1
# means Brisk is faster). Measurement, not a test.
#   bench/compare.sh [RUNS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${1:-5}
out=$(mktemp -d)
for p in clang-14 lld-14 nodejs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || command -v node >/dev/null || {
    echo "compare.sh: installing $p" >&2; apt-get install -y -qq "$p" >&2; }
done
for c in "$root"/bench/kernels/*.c; do
  k=$(basename "$c" .c)
  clang-14 --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--export=run "$c" -o "$out/$k.wasm"
done
# A large generated module (~0.9 MB) for compile throughput.
python3 "$root/bench/gen_big.py" 3000 > "$out/big.c"
clang-14 --target=wasm32 -O1 -nostdlib -Wl,--no-entry -Wl,--export=run -Wl,--export-all "$out/big.c" -o "$out/big.wasm"
rm "$out/big.c"
(cd "$root" && ./bazelw build -c opt //bench:bench >/dev/null 2>&1)
brisk_bin="$root/bazel-bin/bench/bench"
"$brisk_bin" --runs="$runs" "$out"/*.wasm > "$out/brisk.txt"
# The issue's Liftoff flags; on Node 20 (V8 11.3) dynamic tiering still tiers
# up hot functions unless --no-wasm-dynamic-tiering is given too, so both runs
# are reported: "liftoff" is the pure baseline tier.
node --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering --no-wasm-lazy-compilation "$root/bench/node_bench.js" --runs="$runs" "$out"/*.wasm > "$out/liftoff.txt"
node --liftoff --no-wasm-tier-up --no-wasm-lazy-compilation "$root/bench/node_bench.js" --runs="$runs" "$out"/*.wasm > "$out/liftoff_issue_flags.txt"
node --no-liftoff --no-wasm-lazy-compilation "$root/bench/node_bench.js" --runs="$runs" "$out"/*.wasm > "$out/turbofan.txt"
python3 - "$out" <<'PY'
import sys, re
out = sys.argv[1]
def load(name):
    rows = {}
    for line in open(f"{out}/{name}.txt"):
        parts = line.split()
        rows[parts[0]] = {k: float(v) for k, v in (p.split("=") for p in parts[1:])}
    return rows
b, l, t, li = load("brisk"), load("liftoff"), load("turbofan"), load("liftoff_issue_flags")
print("liftoff = --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering; "
      "L* = the issue's flags (--liftoff --no-wasm-tier-up), which still tier up on Node 20")
print(f"{'kernel':<12}{'brisk ms':>10}{'liftoff ms':>12}{'L* ms':>8}{'turbofan ms':>13}{'L/B':>7}{'T/B':>7}   "
      f"{'brisk MB/s':>11}{'liftoff MB/s':>13}{'turbofan MB/s':>14}  check")
for k in sorted(b):
    mb = b[k]["bytes"] / 1e6
    rate = lambda r: mb / (r[k]["compile_ms"] / 1e3)
    same = "ok" if b[k]["result"] == l[k]["result"] == t[k]["result"] else "MISMATCH"
    print(f"{k:<12}{b[k]['run_ms']:>10.2f}{l[k]['run_ms']:>12.2f}{li[k]['run_ms']:>8.2f}{t[k]['run_ms']:>13.2f}"
          f"{l[k]['run_ms']/b[k]['run_ms']:>7.2f}{t[k]['run_ms']/b[k]['run_ms']:>7.2f}   "
          f"{rate(b):>11.1f}{rate(l):>13.1f}{rate(t):>14.1f}  {same}")
PY
rm -rf "$out"
