;; Functions that stress the code generator: register pressure, merges,
;; fused compares, multi-value, many parameters, calls in all three forms.
(module
  (type $ii_i (func (param i32 i32) (result i32)))
  (import "host" "add" (func $host_add (param i32 i32) (result i32)))
  (import "host" "reenter" (func $host_reenter (param i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $add $sub)
  (memory (export "mem") 1)

  (func $add (type $ii_i) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $ii_i) (i32.sub (local.get 0) (local.get 1)))

  ;; 16 live values at once: more than the allocatable registers.
  (func (export "pressure") (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1))
    (i32.add (local.get $x) (i32.const 2))
    (i32.add (local.get $x) (i32.const 3))
    (i32.add (local.get $x) (i32.const 4))
    (i32.add (local.get $x) (i32.const 5))
    (i32.add (local.get $x) (i32.const 6))
    (i32.add (local.get $x) (i32.const 7))
    (i32.add (local.get $x) (i32.const 8))
    (i32.add (local.get $x) (i32.const 9))
    (i32.add (local.get $x) (i32.const 10))
    (i32.add (local.get $x) (i32.const 11))
    (i32.add (local.get $x) (i32.const 12))
    (i32.add (local.get $x) (i32.const 13))
    (i32.add (local.get $x) (i32.const 14))
    (i32.add (local.get $x) (i32.const 15))
    (i32.add (local.get $x) (i32.const 16))
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add i32.add
    i32.add i32.add i32.add i32.add i32.add i32.add i32.add)

  ;; The same with doubles, past the 15 allocatable xmm registers.
  (func (export "fpressure") (param $x f64) (result f64)
    (f64.mul (local.get $x) (f64.const 1)) (f64.mul (local.get $x) (f64.const 2))
    (f64.mul (local.get $x) (f64.const 3)) (f64.mul (local.get $x) (f64.const 4))
    (f64.mul (local.get $x) (f64.const 5)) (f64.mul (local.get $x) (f64.const 6))
    (f64.mul (local.get $x) (f64.const 7)) (f64.mul (local.get $x) (f64.const 8))
    (f64.mul (local.get $x) (f64.const 9)) (f64.mul (local.get $x) (f64.const 10))
    (f64.mul (local.get $x) (f64.const 11)) (f64.mul (local.get $x) (f64.const 12))
    (f64.mul (local.get $x) (f64.const 13)) (f64.mul (local.get $x) (f64.const 14))
    (f64.mul (local.get $x) (f64.const 15)) (f64.mul (local.get $x) (f64.const 16))
    (f64.mul (local.get $x) (f64.const 17))
    f64.add f64.add f64.add f64.add f64.add f64.add f64.add f64.add
    f64.add f64.add f64.add f64.add f64.add f64.add f64.add f64.add)

  ;; Sum 0..n-1 with a loop: loop-carried values through home slots.
  (func (export "sum") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; A compare consumed by select, by if and by i32.eqz.
  (func (export "max_s") (param i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.gt_s (local.get 0) (local.get 1))))
  (func (export "fmin_branch") (param f64 f64) (result f64)
    (if (result f64) (f64.lt (local.get 0) (local.get 1))
      (then (local.get 0)) (else (local.get 1))))
  (func (export "not_lt_u") (param i32 i32) (result i32)
    (i32.eqz (i32.lt_u (local.get 0) (local.get 1))))

  ;; br_table with values carried to different depths.
  (func (export "classify") (param i32) (result i32)
    (block $c (result i32)
      (block $b (result i32)
        (block $a (result i32)
          (i32.const 100)
          (br_table $a $b $c (local.get 0)))
        (i32.add (i32.const 1)) (br $c))
      (i32.add (i32.const 2))))

  ;; Multi-value: a block with parameters and a function with three results.
  (func (export "swap_add") (param i32 i32) (result i32 i32 i32)
    (local.get 0) (local.get 1)
    (block (param i32 i32) (result i32 i32)
      (local.set 0) (local.set 1) (local.get 0) (local.get 1))
    (i32.add (local.get 0) (local.get 1)))

  ;; Twelve parameters, more than any register convention passes.
  (func (export "many") (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i64 f32 f64) (result f64)
    (f64.add
      (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
      (f64.add
        (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))
        (f64.add (f64.convert_i32_s (local.get 8)) (local.get 11)))))

  (func (export "call_import") (param i32 i32) (result i32) (call $host_add (local.get 0) (local.get 1)))
  (func (export "call_indirect") (param i32 i32 i32) (result i32)
    (call_indirect (type $ii_i) (local.get 1) (local.get 2) (local.get 0)))
  (func (export "reenter") (param i32) (result i32) (call $host_reenter (local.get 0)))
  (func $fact (export "fact") (param i64) (result i64)
    (if (result i64) (i64.le_u (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fact (i64.sub (local.get 0) (i64.const 1)))))))

  ;; Division by a variable, with other values live in rax/rdx's neighbourhood.
  (func (export "divmix") (param i32 i32 i32) (result i32)
    (i32.add (local.get 2)
      (i32.add (i32.div_s (local.get 0) (local.get 1)) (i32.rem_u (local.get 0) (local.get 1)))))
  (func (export "shiftmix") (param i64 i64 i64) (result i64)
    (i64.add (local.get 2) (i64.rotl (i64.shl (local.get 0) (local.get 1)) (local.get 1))))

  (func (export "store_load") (param i32 i64) (result i64)
    (i64.store offset=8 (local.get 0) (local.get 1))
    (i64.load offset=8 (local.get 0)))
)
