;; The operators whose code depends on CPU features (lzcnt, tzcnt, popcnt,
;; roundss/roundsd), for cpu_features_test.
(module
  (func (export "i32.clz") (param i32) (result i32) (i32.clz (local.get 0)))
  (func (export "i32.ctz") (param i32) (result i32) (i32.ctz (local.get 0)))
  (func (export "i32.popcnt") (param i32) (result i32) (i32.popcnt (local.get 0)))
  (func (export "i64.clz") (param i64) (result i64) (i64.clz (local.get 0)))
  (func (export "i64.ctz") (param i64) (result i64) (i64.ctz (local.get 0)))
  (func (export "i64.popcnt") (param i64) (result i64) (i64.popcnt (local.get 0)))
  (func (export "f32.floor") (param f32) (result f32) (f32.floor (local.get 0)))
  (func (export "f32.ceil") (param f32) (result f32) (f32.ceil (local.get 0)))
  (func (export "f32.trunc") (param f32) (result f32) (f32.trunc (local.get 0)))
  (func (export "f32.nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
  (func (export "f64.floor") (param f64) (result f64) (f64.floor (local.get 0)))
  (func (export "f64.ceil") (param f64) (result f64) (f64.ceil (local.get 0)))
  (func (export "f64.trunc") (param f64) (result f64) (f64.trunc (local.get 0)))
  (func (export "f64.nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
  ;; The same with the operand and result sharing a register under pressure.
  (func (export "i32.popcnt_sum") (param i32 i32) (result i32)
    (i32.add (i32.popcnt (local.get 0)) (i32.clz (local.get 1)))))
