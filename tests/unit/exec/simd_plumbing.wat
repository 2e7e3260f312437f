;; v128 values moved but never operated on: needs no SIMD instructions.
(module
  (global $g (mut v128) (v128.const i64x2 1 2))
  (func $id (param v128) (result v128) (local.get 0))
  (func (export "round_trip") (param v128) (result v128)
    (global.set $g (call $id (local.get 0)))
    (global.get $g)))
