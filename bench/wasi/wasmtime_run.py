"""Runs a WASI command with Wasmtime from its Python package (Cranelift):
   python wasmtime_run.py FILE.wasm HOST_DIR [ARGS...]  (HOST_DIR is the guest's /)"""
import sys, wasmtime
engine = wasmtime.Engine()
module = wasmtime.Module.from_file(engine, sys.argv[1])
linker = wasmtime.Linker(engine)
linker.define_wasi()
store = wasmtime.Store(engine)
cfg = wasmtime.WasiConfig()
cfg.inherit_stdout(); cfg.inherit_stdin(); cfg.inherit_stderr()
cfg.preopen_dir(sys.argv[2], "/")
cfg.argv = [sys.argv[1]] + sys.argv[3:]
store.set_wasi(cfg)
inst = linker.instantiate(store, module)
try:
    inst.exports(store)["_start"](store)
except wasmtime.ExitTrap as e:
    sys.exit(e.code)
