;; An old module: wasi_unstable's fd_seek (whence SET = 2) and its 56-byte
;; filestat (size at offset 24).
(module
  (import "wasi_unstable" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "data.txt")
  ;; -> errno * 1e6 + size from filestat, the seek result in memory at 600
  (func (export "run") (result i64)
    (local $e i32)
    (local.set $e (call $path_open (i32.const 3) (i32.const 1) (i32.const 1024) (i32.const 8) (i32.const 0)
      (i64.const 0x1fffffff) (i64.const 0) (i32.const 0) (i32.const 512)))
    (if (local.get $e) (then (return (i64.extend_i32_u (local.get $e)))))
    (local.set $e (call $fd_seek (i32.load (i32.const 512)) (i64.const 3) (i32.const 2) (i32.const 600)))
    (if (local.get $e) (then (return (i64.add (i64.const 1000) (i64.extend_i32_u (local.get $e))))))
    (local.set $e (call $fd_filestat_get (i32.load (i32.const 512)) (i32.const 700)))
    (if (local.get $e) (then (return (i64.add (i64.const 2000) (i64.extend_i32_u (local.get $e))))))
    (i64.add (i64.mul (i64.load (i32.const 600)) (i64.const 1000000)) (i64.load (i32.const 724)))))
