;; A WASI command that grows its memory by 100 pages: exit 3 if refused.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (if (i32.eq (memory.grow (i32.const 100)) (i32.const -1))
      (then (call $exit (i32.const 3))))
    (call $exit (i32.const 0))))
