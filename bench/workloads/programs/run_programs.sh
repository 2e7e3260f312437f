#!/usr/bin/env bash
# The Debian programs as WASI commands (Lua on bench.lua, SQLite's shell on
# bench.sql): `brisk run`, Wasmtime 50 (PyPI, Cranelift), Node's WASI and the
# native builds; wall and CPU time of the whole process, best of N, one JSON
# line per runtime and program.
#   run_programs.sh WORK_DIR N   (WORK_DIR holds brisk, lua.wasm, sqlite3.wasm, lua_native, sqlite3_native)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$1
n=${2:-3}
py="${BRISK_PYENV:-${XDG_CACHE_HOME:-$HOME/.cache}/brisk/pyenv}/bin/python"
cp "$here/bench.lua" "$here/bench.sql" "$work/"
python3 - "$work" "$n" "$py" "$root" <<'PY'
import json, os, resource, subprocess, sys, time
work, n, py, root = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def cmds(runtime, prog):
    wasm = f"{work}/{prog}.wasm"
    args = ["bench.lua"] if prog == "lua" else [f"/db{os.getpid()}.db"]
    if runtime == "brisk":
        return [f"{work}/brisk", "run", "--env", "HOME=/", "--dir", f"{work}::/", wasm] + args
    if runtime == "cranelift":
        return [py, f"{root}/bench/wasi/wasmtime_run.py", wasm, work] + args
    if runtime == "node":
        return ["node", "--no-warnings", "--experimental-wasi-unstable-preview1", f"{root}/bench/wasi/node_run.mjs", wasm, work] + args
    return [f"{work}/{prog}_native"] + (["bench.lua"] if prog == "lua" else [f"{work}/native.db"])
for prog in ["lua", "sqlite3"]:
    expected = None
    for runtime in ["brisk", "cranelift", "node", "native"]:
        best_wall = best_cpu = 1e9
        out = b""
        for _ in range(n):
            for f in os.listdir(work):
                if f.endswith(".db"):
                    os.remove(os.path.join(work, f))
            stdin = open(f"{work}/bench.sql", "rb") if prog == "sqlite3" else subprocess.DEVNULL
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            p = subprocess.run(cmds(runtime, prog), stdin=stdin, capture_output=True, cwd=work)
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            out = p.stdout
            best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
        expected = expected if expected is not None else out
        print(json.dumps({"runtime": runtime if runtime != "node" else "node (wasi)", "module": f"{prog} (WASI)",
                          "wall_ms": 1000 * best_wall, "cpu_ms": 1000 * best_cpu, "same_output": out == expected}))
PY
