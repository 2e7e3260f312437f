#!/usr/bin/env bash
set -euo pipefail
ts=$(cd "$(dirname "$(realpath tests/capi/BUILD)")/../.." && pwd)/../shared/wasi-testsuite
exec tests/capi/wasi_bin "$ts/assemblyscript"
