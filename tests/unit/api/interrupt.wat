;; For interrupt_test: loops that never end, re-entry through the host, and
;; functions without loops (the entry check).
(module
  (import "host" "reenter" (func $reenter))
  (func (export "spin")
    (loop $forever (br $forever)))
  (func (export "outer")
    (call $reenter)
    (loop $forever (br $forever)))
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))
  (func (export "leaf") (result i32) (i32.const 1))
  ;; Integer and float values live in registers across every loop header.
  (func (export "float_loop") (param $n i32) (result f64)
    (local $i i32) (local $acc f64) (local $k f64)
    (local.set $k (f64.const 1.5))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $acc (f64.add (local.get $acc) (f64.mul (local.get $k) (f64.convert_i32_u (local.get $i)))))
        (br $next)))
    (local.get $acc)))
