#!/usr/bin/env bash
# Finds the source tree through the real path of this package's BUILD file
# and greps it: asmjit's x86 and arm APIs and compiler/x64/ or compiler/a64/
# headers may appear only in their backend folder, compiler/backend.h (the
# one selection point), tests and
# third_party; runtime/ names no compiler header and no machine register;
# cli/, wasi/ and the C API (api/c/) include the public C++ API only.
set -uo pipefail
root=$(cd "$(dirname "$(realpath tests/layering/BUILD)")/../.." && pwd)
cd "$root"
fail=0
isa=$(grep -rnE 'asmjit/x86|x86::|#include "compiler/x64/|asmjit/arm|a64::|#include "compiler/a64/' \
        --include='*.h' --include='*.cc' api base cli compiler module runtime bench examples 2>/dev/null |
      grep -v '^compiler/x64/' | grep -v '^compiler/a64/' | grep -v '^compiler/backend.h:')
if [ -n "$isa" ]; then echo "ISA-specific code outside the backend:"; echo "$isa"; fail=1; fi
up=$(grep -rn '#include "compiler/\|#include "api/\|#include "brisk/brisk.h"' runtime module)
if [ -n "$up" ]; then echo "runtime/ or module/ includes a layer above it:"; echo "$up"; fail=1; fi
regs=$(grep -rnE 'REG_R[A-Z0-9]+|uc_mcontext' runtime)
if [ -n "$regs" ]; then echo "runtime/ names machine registers (the backend's SignalContextOps do):"; echo "$regs"; fail=1; fi
cli=$(grep -rn '#include "' cli | grep -v '"brisk/\|"cli/')
if [ -n "$cli" ]; then echo "cli/ uses more than the public API:"; echo "$cli"; fail=1; fi
capi=$(grep -rn '#include "' api/c | grep -v '"brisk/\|"wasm.h"\|"brisk.h"\|"api/c/')
if [ -n "$capi" ]; then echo "api/c/ (the C API) uses more than the C++ API:"; echo "$capi"; fail=1; fi
wasi=$(grep -rn '#include "' wasi | grep -v '"brisk/\|"wasi/')
if [ -n "$wasi" ]; then echo "wasi/ uses more than the public API:"; echo "$wasi"; fail=1; fi
[ $fail -eq 0 ] && echo "layering: ok"
exit $fail
