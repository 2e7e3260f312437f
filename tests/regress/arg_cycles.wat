;; Register arguments that are each other's sources: the caller's parallel
;; move must break the cycles (register calling convention, issue 7).
(module
  (func $sub (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func $digits (param i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.mul (local.get 0) (i32.const 100)) (i32.mul (local.get 1) (i32.const 10))) (local.get 2)))
  (func $fsub (param f64 f64) (result f64) (f64.sub (local.get 0) (local.get 1)))
  ;; Six integer and six float parameters: four of each in registers, the rest on the stack.
  (func $mix (param i32 f64 i64 f32 i32 f64 i64 f32 i32 f64 i32 f64) (result i64 f64 i32)
    (i64.add (i64.extend_i32_u (i32.add (local.get 0) (i32.add (local.get 4) (i32.add (local.get 8) (local.get 10)))))
             (i64.add (local.get 2) (local.get 6)))
    (f64.add (f64.add (local.get 1) (local.get 5)) (f64.add (local.get 9) (f64.add (local.get 11)
      (f64.promote_f32 (f32.add (local.get 3) (local.get 7))))))
    (local.get 10))
  (func (export "swap") (param i32 i32) (result i32) (call $sub (local.get 1) (local.get 0)))
  (func (export "rotate") (param i32 i32 i32) (result i32) (call $digits (local.get 2) (local.get 0) (local.get 1)))
  (func (export "fswap") (param f64 f64) (result f64) (call $fsub (local.get 1) (local.get 0)))
  (func (export "mix") (result i64 f64 i32)
    (call $mix (i32.const 1) (f64.const 0.5) (i64.const 100) (f32.const 0.25) (i32.const 2) (f64.const 1.5)
               (i64.const 200) (f32.const 0.125) (i32.const 3) (f64.const 2.5) (i32.const 4) (f64.const 3.5))))
