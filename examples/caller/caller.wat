;; The guest keeps a string in its memory and asks the host to print it.
(module
  (import "env" "log" (func $log (param i32 i32) (result i32)))
  (memory 1)  ;; not exported: the host reaches it through Caller
  (data (i32.const 16) "a string from guest memory")
  (func (export "run") (result i32)
    (i32.add
      (call $log (i32.const 16) (i32.const 26))
      (call $log (i32.const 65530) (i32.const 100)))))  ;; out of range
