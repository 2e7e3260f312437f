#!/usr/bin/env bash
# The peers the benchmarks compare Brisk with, from the registries this
# machine reaches: Wasmtime 50 from PyPI (its shared library carries the C
# API the harness links with; matplotlib for the plot, in the same virtual
# environment ./bazelw makes), V8 from Debian's Node.js, clang-14 for the
# native builds, wabt's wasm-interp as the floor, and the large modules for
# compile speed (bench/workloads/large/fetch.sh).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
need=()
for p in nodejs clang-14 lld-14 wabt; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq "${need[@]}" >&2
fi
command -v npm >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq npm >&2 || sudo apt-get install -y -qq npm >&2; }
bench/workloads/large/fetch.sh >/dev/null  # the large modules, from the npm registry
./bazelw version >/dev/null 2>&1 || true  # makes the Python environment with wasmtime
py="${BRISK_PYENV:-${XDG_CACHE_HOME:-$HOME/.cache}/brisk/pyenv}/bin/python"
"$py" -c "import matplotlib" 2>/dev/null || "$py" -m pip install -q --disable-pip-version-check matplotlib >&2
lib=$("$py" -c "import wasmtime, os; print(os.path.join(os.path.dirname(wasmtime.__file__), 'linux-x86_64', '_libwasmtime.so'))")
[ -f "$lib" ] || { echo "install.sh: no Wasmtime library at $lib" >&2; exit 1; }
echo "peers: wasmtime $("$py" -c 'import importlib.metadata as m; print(m.version("wasmtime"))') ($lib)," \
     "node $(node --version), $(clang-14 --version | head -1), wasm-interp $(wasm-interp --version 2>/dev/null || echo '?')"
