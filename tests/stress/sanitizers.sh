#!/usr/bin/env bash
# The stress and interruption tests under ThreadSanitizer and
# AddressSanitizer (plus the API and C API tests under ASan). Prints one line
# per configuration and fails if either finds anything.
#   tests/stress/sanitizers.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
fail=0
targets="//tests/stress/... //tests/unit/api:interrupt_test"
./bazelw test --config=tsan $targets --test_output=errors || fail=1
echo "tsan: $([ $fail -eq 0 ] && echo clean || echo FAILED)"
asan_fail=0
./bazelw test --config=asan $targets //tests/unit/api/... //tests/capi/... --test_output=errors || asan_fail=1
echo "asan: $([ $asan_fail -eq 0 ] && echo clean || echo FAILED)"
exit $((fail | asan_fail))
