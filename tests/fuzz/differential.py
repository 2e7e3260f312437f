#!/usr/bin/env python3
"""Differential fuzzing: Brisk (both bounds modes) against Wasmtime.

Modules come from `wasm-tools smith` (Wasm 2.0 features, no imports, every
item exported, NaNs canonicalised, loops bounded). Each module gets one
instance per runtime; every exported function is called in export order with
the same arguments, and after instantiation and after each call the driver
compares bit for bit: results, trap kinds, and the exported state (globals,
memory pages and a CRC-32 of the contents, table sizes and null counts).

  differential.py --runner BIN [--seed S] [--modules N | --seconds T] [--out DIR]
  differential.py --runner BIN --module FILE.wasm ...   (given modules, e.g. a saved divergence)

A divergence is saved under DIR/<name>/ (module, plan, both transcripts, and
replay.sh). Exit status 1 if any divergence was found.
"""
import argparse
import ctypes
import os
import random
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import wasmtime
from wasmtime import _ffi as ffi

SMITH_FLAGS = [
    "--max-imports", "0", "--min-funcs", "3", "--max-funcs", "40", "--export-everything", "true", "--canonicalize-nans", "true",
    "--ensure-termination", "--max-memories", "1", "--memory-max-size-required", "true",
    "--max-memory32-bytes", str(64 << 20), "--table-max-size-required", "true",
    "--max-table-elements", "100000", "--max-tables", "4",
    "--simd-enabled", "true", "--relaxed-simd-enabled", "false", "--exceptions-enabled", "false",
    "--gc-enabled", "false", "--tail-call-enabled", "false", "--threads-enabled", "false",
    "--memory64-enabled", "false", "--extended-const-enabled", "false",
    "--wide-arithmetic-enabled", "false", "--custom-page-sizes-enabled", "false",
    "--shared-everything-threads-enabled", "false", "--custom-descriptors-enabled", "false",
    "--reference-types-enabled", "true", "--bulk-memory-enabled", "true",
    "--multi-value-enabled", "true", "--saturating-float-to-int-enabled", "true",
    "--sign-extension-ops-enabled", "true",
]
FUEL = 50_000_000  # per call; --ensure-termination bounds loops long before
BRISK_TIMEOUT = 60.0  # seconds for one reply before Brisk counts as hung
# Brisk configurations: bounds mode, optionally ":cpu features" (baseline =
# SSE2 only, so the fallbacks for LZCNT, BMI1, POPCNT and SSE4.1 run too) or
# ":epoch" (every function entry and loop header goes through the epoch
# stub, which must leave every register as it was).
# ":sse4.1" is the SIMD floor alone (no AVX VEX forms, no SSE4.2); the
# baseline mode sits out modules with SIMD operators (it must refuse them).
MODES = ("guard", "explicit", "guard:baseline", "guard:epoch", "explicit:sse4.1")
ROUNDS = 2

I32_EDGES = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
             0xFFFFFFFE, 0xFFFF0000, 15, 16, 64, 65536 * 2 - 1]
I64_EDGES = [0, 1, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFF, 0x100000000]
F32_EDGES = [0, 0x80000000, 0x3F800000, 0xBF800000, 0x7F800000, 0xFF800000, 0x7FC00000, 0x4F000000,
             0xCF000000, 0x00000001, 0x7F7FFFFF]
F64_EDGES = [0, 0x8000000000000000, 0x3FF0000000000000, 0x7FF0000000000000, 0xFFF0000000000000,
             0x7FF8000000000000, 0x41E0000000000000, 0xC3E0000000000000, 1]


def arg_for(rng, kind):
    if kind == "i32":
        return rng.choice(I32_EDGES) if rng.random() < 0.6 else rng.getrandbits(32)
    if kind == "i64":
        return rng.choice(I64_EDGES) if rng.random() < 0.6 else rng.getrandbits(64)
    if kind == "f32":
        return rng.choice(F32_EDGES) if rng.random() < 0.6 else rng.getrandbits(32)
    if kind == "f64":
        return rng.choice(F64_EDGES) if rng.random() < 0.6 else rng.getrandbits(64)
    if kind == "v128":  # lanes of edge values (as f32, f64 or integers) or random bits
        if rng.random() < 0.5:
            return rng.getrandbits(128)
        lanes = rng.choice([(4, F32_EDGES), (8, F64_EDGES), (4, I32_EDGES), (8, I64_EDGES)])
        width, edges = lanes
        v = 0
        for i in range(16 // width):
            v |= (rng.choice(edges) & ((1 << (8 * width)) - 1)) << (8 * width * i)
        return v
    if kind == "externref":
        return rng.choice(["null", "ref"])
    return "null"  # funcref


VALTYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128", 0x70: "funcref", 0x6F: "externref"}


def exported_signatures(path):
    """{export name: (param kinds, result count)} of the module's functions,
    read from the binary: Wasmtime's type reflection aborts on v128."""
    b = open(path, "rb").read()
    pos = 8

    def u32():
        nonlocal pos
        n = shift = 0
        while True:
            x = b[pos]
            pos += 1
            n |= (x & 0x7F) << shift
            shift += 7
            if not x & 0x80:
                return n

    def limits():
        flags = u32()
        u32()
        if flags & 1:
            u32()

    types, funcs, out = [], [], {}
    while pos < len(b):
        sid = b[pos]
        pos += 1
        size = u32()
        end = pos + size
        if sid == 1:
            for _ in range(u32()):
                pos += 1  # 0x60
                n = u32()
                params = [VALTYPES.get(x, "?") for x in b[pos:pos + n]]
                pos += n
                nres = u32()
                pos += nres
                types.append((params, nres))
        elif sid == 2:
            for _ in range(u32()):
                pos += u32()
                pos += u32()
                kind = b[pos]
                pos += 1
                if kind == 0:
                    funcs.append(u32())
                elif kind == 1:
                    pos += 1
                    limits()
                elif kind == 2:
                    limits()
                else:
                    pos += 2
        elif sid == 3:
            funcs.extend(u32() for _ in range(u32()))
        elif sid == 7:
            for _ in range(u32()):
                n = u32()
                name = b[pos:pos + n].decode("utf-8", "surrogateescape")
                pos += n
                kind = b[pos]
                pos += 1
                index = u32()
                if kind == 0:
                    out[name] = types[funcs[index]]
        pos = end
    return out


def hexname(name):
    """Export names may hold any bytes: the protocol and the state carry them in hex."""
    return name.encode("utf-8", "surrogateescape").hex() or "-"


# --- Wasmtime side ------------------------------------------------------------

TRAP_KINDS = {
    "STACK_OVERFLOW": "stack_overflow", "MEMORY_OUT_OF_BOUNDS": "memory_oob",
    "HEAP_MISALIGNED": "memory_oob", "TABLE_OUT_OF_BOUNDS": "table_oob",
    "INDIRECT_CALL_TO_NULL": "null_call", "BAD_SIGNATURE": "bad_signature",
    "INTEGER_OVERFLOW": "int_overflow", "INTEGER_DIVISION_BY_ZERO": "div_by_zero",
    "BAD_CONVERSION_TO_INTEGER": "bad_conversion", "UNREACHABLE": "unreachable",
    "INTERRUPT": "interrupt", "OUT_OF_FUEL": "out_of_fuel",
}


def raw_bits(raw):
    k = raw.kind
    if k in (ffi.WASMTIME_I32.value, ffi.WASMTIME_F32.value):
        return "%x" % struct.unpack("<I", ctypes.string_at(ctypes.addressof(raw.of), 4))[0]
    if k in (ffi.WASMTIME_I64.value, ffi.WASMTIME_F64.value):
        return "%x" % struct.unpack("<Q", ctypes.string_at(ctypes.addressof(raw.of), 8))[0]
    if k == ffi.WASMTIME_V128.value:
        return "%x" % int.from_bytes(ctypes.string_at(ctypes.addressof(raw.of), 16), "little")
    if k == ffi.WASMTIME_FUNCREF.value:
        return "null" if raw.of.funcref.store_id == 0 else "ref"
    if k == ffi.WASMTIME_EXTERNREF.value:
        return "null" if raw.of.externref.store_id == 0 else "ref"
    return "?"


KIND_NAMES = {}


def kind_name(raw):
    if not KIND_NAMES:
        KIND_NAMES.update({ffi.WASMTIME_I32.value: "i32", ffi.WASMTIME_I64.value: "i64",
                           ffi.WASMTIME_F32.value: "f32", ffi.WASMTIME_F64.value: "f64",
                           ffi.WASMTIME_V128.value: "v128",
                           ffi.WASMTIME_FUNCREF.value: "funcref", ffi.WASMTIME_EXTERNREF.value: "externref"})
    return KIND_NAMES.get(raw.kind, "?")


def fmt_raw(raw):
    return "%s:%s" % (kind_name(raw), raw_bits(raw))


class WasmtimeSide:
    def __init__(self):
        cfg = wasmtime.Config()
        cfg.consume_fuel = True
        cfg.strategy = "cranelift"
        cfg.wasm_simd = True
        cfg.wasm_relaxed_simd = False
        cfg.wasm_multi_memory = False
        cfg.wasm_tail_call = False
        self.engine = wasmtime.Engine(cfg)
        self.store = None
        self.instance = None

    def trap_result(self, e):
        code = getattr(e, "trap_code", None)
        if code is not None:
            return "trap " + TRAP_KINDS.get(code.name, "other")
        return "error " + str(e).splitlines()[0]

    def module(self, path):
        self.store = wasmtime.Store(self.engine)
        self.store.set_limits(table_elements=10_000_000)  # Brisk's kMaxTableElements
        self.store.set_fuel(FUEL)
        self.instance = None
        try:
            module = wasmtime.Module.from_file(self.engine, path)
            self.signatures = exported_signatures(path)
            self.instance = wasmtime.Instance(self.store, module, [])
        except wasmtime.Trap as e:
            return self.trap_result(e), "state"
        except wasmtime.WasmtimeError as e:
            return self.trap_result(e), "state"
        return "ok", self.state()

    def exports(self):
        out = []
        for name, item in self.instance.exports(self.store).items():
            if isinstance(item, wasmtime.Func):
                params, nres = self.signatures[name]
                out.append((name, params, nres))
        return out

    def state(self):
        parts = ["state"]
        ctx = self.store._context()
        for name, item in self.instance.exports(self.store).items():
            if isinstance(item, wasmtime.Global):
                raw = ffi.wasmtime_val_t()
                ffi.wasmtime_global_get(ctx, ctypes.byref(item._global), ctypes.byref(raw))
                parts.append("g:%s=%s" % (hexname(name), fmt_raw(raw)))
            elif isinstance(item, wasmtime.Memory):
                n = item.data_len(self.store)
                data = memoryview((ctypes.c_ubyte * n).from_address(
                    ctypes.addressof(item.data_ptr(self.store).contents))) if n else b""
                parts.append("m:%s=%d:%08x" % (hexname(name), item.size(self.store), zlib.crc32(data)))
            elif isinstance(item, wasmtime.Table):
                size = item.size(self.store)
                nulls = 0
                for i in range(size):
                    raw = ffi.wasmtime_val_t()
                    ffi.wasmtime_table_get(ctx, ctypes.byref(item._table), i, ctypes.byref(raw))
                    nulls += raw_bits(raw) == "null"
                parts.append("t:%s=%d:%d" % (hexname(name), size, nulls))
        return " ".join(parts)

    def call(self, name, kinds, args, nresults):
        func = self.instance.exports(self.store)[name]
        self.store.set_fuel(FUEL)
        params = (ffi.wasmtime_val_t * max(1, len(args)))()
        for i, (k, v) in enumerate(zip(kinds, args)):
            if k in ("funcref", "externref"):
                val = wasmtime.Val.funcref(None) if k == "funcref" else wasmtime.Val.externref(
                    None if v == "null" else "host-object")
                params[i] = val._new_raw(self.store)
                continue
            params[i].kind = {"i32": ffi.WASMTIME_I32, "i64": ffi.WASMTIME_I64, "f32": ffi.WASMTIME_F32,
                              "f64": ffi.WASMTIME_F64, "v128": ffi.WASMTIME_V128}[k].value
            if k == "v128":
                ctypes.memmove(ctypes.addressof(params[i].of), v.to_bytes(16, "little"), 16)
                continue
            size = 4 if k in ("i32", "f32") else 8
            ctypes.memmove(ctypes.addressof(params[i].of), struct.pack("<I" if size == 4 else "<Q", v), size)
        results = (ffi.wasmtime_val_t * max(1, nresults))()
        trap = ctypes.POINTER(ffi.wasm_trap_t)()
        error = ffi.wasmtime_func_call(ctx := self.store._context(), ctypes.byref(func._func), params, len(args),
                                       results, nresults, ctypes.byref(trap))
        del ctx
        if error:
            e = wasmtime.WasmtimeError._from_ptr(error)
            return self.trap_result(e), self.state()
        if trap:
            e = wasmtime.Trap._from_ptr(trap)
            return self.trap_result(e), self.state()
        line = " ".join(["ok"] + [fmt_raw(results[i]) for i in range(nresults)])
        return line, self.state()


# --- Brisk side ---------------------------------------------------------------

class BriskSide:
    def __init__(self, runner, mode):
        self.runner, self.mode, self.proc = runner, mode, None
        self.transcript = []

    def start(self):
        bounds, _, extra = self.mode.partition(":")
        args = [self.runner, "--bounds=" + bounds]
        if extra == "epoch":
            args.append("--epoch-stub")
        elif extra:
            args.append("--cpu=" + extra)
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buf = b""

    def readline(self, deadline):
        """One reply line, read unbuffered so select() sees what is pending."""
        while b"\n" not in self.buf:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, remaining))
            if not ready:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return ""
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("utf-8", "replace") + "\n"

    def request(self, line):
        """Returns the reply lines, or ["crash ..."] if the runner died or hung."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        self.transcript.append("> " + line)
        try:
            self.proc.stdin.write((line + "\n").encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            return self.died()
        lines = []
        deadline = time.monotonic() + BRISK_TIMEOUT
        while True:
            out = self.readline(deadline)
            if out is None:
                self.proc.kill()
                self.proc.wait()
                self.proc = None
                self.transcript.append("< crash hang")
                return ["crash hang"]
            if out == "":
                return self.died()
            out = out.rstrip("\n")
            if out == ".":
                break
            lines.append(out)
            self.transcript.append("< " + out)
        return lines

    def died(self):
        rc = self.proc.wait()
        self.proc = None
        msg = "crash signal %d" % -rc if rc < 0 else "crash exit %d" % rc
        self.transcript.append("< " + msg)
        return [msg]

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait()
        self.proc = None  # the next call starts a new runner


# --- driver -------------------------------------------------------------------

def smith(seed, path):
    rng = random.Random(seed)
    data = rng.randbytes(rng.choice([1024, 4096, 16384, 65536]))
    r = subprocess.run(["wasm-tools", "smith", *SMITH_FLAGS, "-o", path], input=data, capture_output=True)
    return r.returncode == 0


class Stats:
    def __init__(self):
        self.modules = self.calls = self.comparisons = self.agree = self.diverged = 0
        self.stopped = {}  # reason -> modules whose comparison stopped early

    def stop(self, why):
        self.stopped[why] = self.stopped.get(why, 0) + 1


def save(out_dir, name, wasm, plan, sides, wt_log, why):
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    shutil.copy(wasm, os.path.join(d, "module.wasm"))
    with open(os.path.join(d, "plan.txt"), "w") as f:
        f.write("\n".join(plan) + "\n")
    with open(os.path.join(d, "why.txt"), "w") as f:
        f.write(why + "\n")
    with open(os.path.join(d, "wasmtime.txt"), "w") as f:
        f.write("\n".join(wt_log) + "\n")
    for s in sides:
        with open(os.path.join(d, "brisk-%s.txt" % s.mode.replace(":", "-")), "w") as f:
            f.write("\n".join(s.transcript) + "\n")
    with open(os.path.join(d, "replay.sh"), "w") as f:
        f.write("#!/usr/bin/env bash\n# Replays this divergence: Brisk's answers for each bounds mode.\n"
                "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
                "runner=${BRISK_DIFF_RUNNER:-bazel-bin/tests/fuzz/diff_runner}\n"
                "for mode in " + " ".join(MODES) + "; do\n"
                "  echo \"== brisk $mode\"\n"
                "  extra=${mode#*:}; [ \"$extra\" = \"$mode\" ] && extra=\n"
                "  flag=${extra:+--cpu=$extra}; [ \"$extra\" = epoch ] && flag=--epoch-stub\n"
                "  sed \"s#@MODULE@#$here/module.wasm#\" \"$here/plan.txt\" |\n"
                "    \"$runner\" --bounds=${mode%%:*} $flag\n"
                "done\necho \"== wasmtime (recorded)\"; cat \"$here/wasmtime.txt\"\n")
    os.chmod(os.path.join(d, "replay.sh"), 0o755)


def run_module(seed, idx, wasm, sides, wt, stats, out_dir, log):
    rng = random.Random(seed * 1_000_003 + 7)
    plan = ["module @MODULE@"]
    wt_log = []
    for s in sides:
        s.transcript = []

    def compare(what, expect):
        """expect: (result, state) from Wasmtime; asks every Brisk side."""
        nonlocal diverged
        wt_log.append("%s\n  %s\n  %s" % (what, expect[0], expect[1]))
        ok = True
        for s in list(active):
            lines = s.request(plan[-1].replace("@MODULE@", wasm))
            got = (lines + ["", ""])[:2]
            if what == "module" and got[0].startswith("error SIMD needs") and ":" in s.mode:
                # A CPU-feature mode below the SIMD floor refuses the module,
                # as it must: that side sits this module out.
                active.remove(s)
                stats.stop("below the SIMD floor (%s)" % s.mode)
                continue
            stats.comparisons += 1
            same = got[0] == expect[0]
            # The state is compared after results and traps; stack exhaustion
            # depends on frame sizes, so agreeing on that trap is enough.
            if same and got[0].startswith(("ok", "trap")) and got[0] != "trap stack_overflow" and \
                    not (what == "module" and got[0] != "ok"):
                same = got[1] == expect[1]
            # Both rejecting a module agree whatever the words.
            if got[0].startswith("error") and expect[0].startswith("error") and what == "module":
                same = True
            if same:
                stats.agree += 1
                continue
            ok = False
            why = "%s (%s): brisk %r / %r, wasmtime %r / %r" % (what, s.mode, got[0], got[1], expect[0], expect[1])
            log("DIVERGENCE module %d: %s" % (idx, why))
            save(out_dir, "div-%d-%d" % (seed, idx), wasm, plan, sides, wt_log, why)
            diverged = True
        return ok

    diverged = False
    active = list(sides)
    stats.modules += 1
    expect = wt.module(wasm)
    if not compare("module", expect) or expect[0] != "ok":
        for s in sides:
            s.request("end")
        if diverged:
            stats.diverged += 1
        return
    # Two rounds over the exports: the second sees the state the first left.
    for name, kinds, nres in wt.exports() * ROUNDS:
        args = [arg_for(rng, k) for k in kinds]
        text = " ".join("%s:%s" % (k, ("%x" % v) if isinstance(v, int) else v) for k, v in zip(kinds, args))
        plan.append(("call %s %s" % (hexname(name), text)).rstrip())
        expect = wt.call(name, kinds, args, nres)
        if expect[0] in ("trap out_of_fuel", "trap interrupt"):
            stats.stop("out of fuel")
            plan.pop()
            break
        if expect[0] == "trap stack_overflow" or expect[0].startswith("error"):
            # Compared as far as the trap kind; the state afterwards depends
            # on how deep each runtime got.
            stats.calls += 1
            compare("call " + name, expect)
            stats.stop("stack exhausted" if "stack" in expect[0] else "wasmtime error")
            break
        stats.calls += 1
        if not compare("call " + name, expect):
            break
    plan.append("end")
    for s in sides:
        s.request("end")
    if diverged:
        stats.diverged += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runner", required=True)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--modules", type=int, default=None)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--out", default="tests/fuzz/out/differential")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--restart-runner", type=int, default=0, metavar="N",
                    help="start Brisk's runners afresh every N modules (under qemu-user, whose page tracking of "
                         "reservations is never freed, a long-lived runner is eventually OOM-killed)")
    ap.add_argument("--no-simd", action="store_true",
                    help="generate modules without SIMD (a backend without SIMD, e.g. AArch64 for now)")
    ap.add_argument("--module", action="append", default=[],
                    help="compare these .wasm files instead of generated ones (repeatable)")
    a = ap.parse_args()
    if a.no_simd:
        SMITH_FLAGS[SMITH_FLAGS.index("--simd-enabled") + 1] = "false"
    seed = a.seed if a.seed is not None else random.SystemRandom().getrandbits(31)
    if a.modules is None and a.seconds is None:
        a.modules = 300
    sides = [BriskSide(a.runner, m) for m in a.modes.split(",")]
    wt = WasmtimeSide()
    stats = Stats()
    log = (lambda m: None) if a.quiet else (lambda m: print(m, flush=True))
    log("differential: seed %d, Brisk modes %s vs Wasmtime (Cranelift)" % (seed, a.modes))
    start = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="brisk-diff-")
    generated = 0
    i = 0
    try:
        for i, path in enumerate(a.module):
            run_module(seed, i, path, sides, wt, stats, a.out, log)
        while not a.module:
            if a.modules is not None and i >= a.modules:
                break
            if a.seconds is not None and time.monotonic() - start >= a.seconds:
                break
            path = os.path.join(tmp, "m%d.wasm" % i)
            if smith(seed * 100_003 + i, path):
                generated += 1
                run_module(seed, i, path, sides, wt, stats, a.out, log)
                os.unlink(path)
                if a.restart_runner and generated % a.restart_runner == 0:
                    for s in sides:
                        s.close()
            i += 1
            if not a.quiet and i % 100 == 0:
                print("  %d modules, %d comparisons, %d agreeing, %d diverging modules (%.0f s)" %
                      (stats.modules, stats.comparisons, stats.agree, stats.diverged, time.monotonic() - start),
                      flush=True)
    finally:
        for s in sides:
            s.close()
        shutil.rmtree(tmp, ignore_errors=True)
    stopped = ", ".join("%s %d" % kv for kv in sorted(stats.stopped.items())) or "none"
    print("differential: seed %d: %d modules, %d calls, %d comparisons (instantiations and calls, "
          "%d Brisk modes), %d agreeing, %d diverging modules; stopped early: %s; %.0f s" %
          (seed, stats.modules, stats.calls, stats.comparisons, len(sides), stats.agree, stats.diverged, stopped,
           time.monotonic() - start))
    return 1 if stats.diverged else 0


if __name__ == "__main__":
    sys.exit(main())
