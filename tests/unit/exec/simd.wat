;; v128 values through everything that is not an operator: parameters in
;; registers and in the outgoing area, several results, calls (direct,
;; indirect, to the host), globals, locals across calls, blocks, select.
(module
  (import "host" "swap" (func $swap (param v128) (result v128)))
  (import "host" "mix" (func $host_mix (param i32 v128 f64 v128) (result v128 i32)))
  (type $six (func (param v128 v128 v128 v128 v128 v128) (result v128)))
  (table 1 funcref)
  (elem (i32.const 0) $sum6)
  (memory (export "mem") 1)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (global (export "gv") (mut v128) (v128.const i64x2 5 6))
  (global $imm v128 (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))

  ;; Six vectors: four in xmm0-3, two in the caller's outgoing area.
  (func $sum6 (type $six)
    (i32x4.add
      (i32x4.add (i32x4.add (local.get 0) (local.get 1)) (i32x4.add (local.get 2) (local.get 3)))
      (i32x4.mul (local.get 4) (local.get 5))))
  (func (export "sum6") (type $six)
    (call $sum6 (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)))
  (func (export "sum6_indirect") (type $six)
    (call_indirect (type $six) (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)
                   (local.get 5) (i32.const 0)))

  ;; Mixed classes and several results, some in the return area.
  (func $mixed (param i32 v128 f64 v128 i64) (result v128 i32 v128 f64)
    (i32x4.replace_lane 0 (local.get 1) (local.get 0))
    (i32.wrap_i64 (local.get 4))
    (local.get 3)
    (local.get 2))
  (func (export "mixed") (param i32 v128 f64 v128 i64) (result v128 i32 v128 f64)
    (call $mixed (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))

  ;; A v128 local live across a call (spilled to its 16-byte slot).
  (func (export "across_call") (param v128) (result v128)
    (local $keep v128)
    (local.set $keep (i8x16.add (local.get 0) (global.get $imm)))
    (drop (call $sum6 (local.get 0) (local.get 0) (local.get 0) (local.get 0) (local.get 0) (local.get 0)))
    (local.get $keep))

  (func (export "via_host") (param v128) (result v128) (call $swap (local.get 0)))
  (func (export "via_host_mix") (param v128 v128) (result v128 i32)
    (call $host_mix (i32.const 7) (local.get 0) (f64.const 2.5) (local.get 1)))

  (func (export "get_g") (result v128) (global.get $g))
  (func (export "set_g") (param v128) (global.set $g (local.get 0)))

  (func (export "select_v") (param v128 v128 i32) (result v128)
    (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select_t") (param v128 v128 i32) (result v128)
    (select (result v128) (local.get 0) (local.get 1) (i32.eq (local.get 2) (i32.const 3))))
  (func (export "block_v") (param v128 i32) (result v128)
    (block (result v128)
      (br_if 0 (local.get 0) (local.get 1))
      (drop)
      (v128.const i32x4 0 0 0 0)))
  (func (export "if_v") (param v128 v128 i32) (result v128)
    (if (result v128) (local.get 2)
      (then (local.get 0))
      (else (i64x2.add (local.get 1) (local.get 1)))))

  ;; Sum of n bytes at addr (n a multiple of 16): a v128 accumulator in a loop.
  (func (export "sum_bytes") (param $addr i32) (param $n i32) (result i32)
    (local $acc v128)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc
          (i32x4.add (local.get $acc)
            (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (v128.load (local.get $addr))))))
        (local.set $addr (i32.add (local.get $addr) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 16)))
        (br $next)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
      (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))

  ;; Out of bounds: the last 16-byte load that fits, and one byte more.
  (func (export "load_at") (param i32) (result v128) (v128.load (local.get 0)))
  (func (export "store_lane_at") (param i32 v128) (v128.store64_lane 1 (local.get 0) (local.get 1)))
)
