#!/usr/bin/env bash
# The cost of epoch checks (Config::interruptible: a check at every function
# entry and loop header) on the kernels: run time with and without, the two
# alternated ROUNDS times, best of each. Measurement, not a test.
#   bench/epoch_cost.sh [ROUNDS] [RUNS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-5}
runs=${2:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for c in "$root"/bench/workloads/kernels/*.c; do
  k=$(basename "$c" .c)
  clang-14 --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--export=run "$c" -o "$out/$k.wasm"
done
(cd "$root" && ./bazelw build -c opt //bench:bench >/dev/null 2>&1)
bin="$root/bazel-bin/bench/bench"
for r in $(seq "$rounds"); do
  "$bin" --runs="$runs" "$out"/*.wasm >> "$out/plain.txt"
  "$bin" --runs="$runs" --interruptible "$out"/*.wasm >> "$out/epoch.txt"
done
python3 - "$out" <<'PY'
import math, sys
out = sys.argv[1]
def best(name):
    rows = {}
    for line in open(f"{out}/{name}.txt"):
        parts = line.split()
        ms = float(parts[1].split("=")[1])
        rows[parts[0]] = min(rows.get(parts[0], 1e100), ms)
    return rows
plain, epoch = best("plain"), best("epoch")
print(f"{'kernel':<12} {'plain ms':>9} {'epoch ms':>9} {'cost':>7}")
logs = []
for k in sorted(plain):
    ratio = epoch[k] / plain[k]
    logs.append(math.log(ratio))
    print(f"{k:<12} {plain[k]:>9.3f} {epoch[k]:>9.3f} {100 * (ratio - 1):>6.1f}%")
print(f"{'geomean':<12} {'':>9} {'':>9} {100 * (math.exp(sum(logs) / len(logs)) - 1):>6.1f}%")
PY
