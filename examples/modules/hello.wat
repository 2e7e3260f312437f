;; A tiny module for `brisk inspect`: WASI-style imports, a memory, exports.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (func (export "fill") (param $ptr i32) (param $len i32)
    (memory.fill (local.get $ptr) (i32.const 42) (local.get $len))))
