;; A failed memory.grow / table.grow returns -1 as an i32; used as an
;; address it must trap (the helper's u32 result left the upper half of the
;; register set, so accesses went to base - 1 or wrapped the bounds check).
(module
  (memory (export "memory") 1)
  (table 1 funcref)
  (func (export "load8") (result i32)
    (i32.load8_u (memory.grow (i32.const 100000))))
  (func (export "store8") (result i32)
    (i32.store8 (memory.grow (i32.const 100000)) (i32.const 0x41))
    (i32.const 7))
  (func (export "load_offset16") (result i32)
    (i32.load offset=16 (memory.grow (i32.const 100000))))
  (func (export "load_via_local") (result i32) (local $a i32)
    (local.set $a (memory.grow (i32.const 100000)))
    (i32.load8_u (local.get $a)))
  (func (export "load_table_grow") (result i32)
    (i32.load8_u (table.grow 0 (ref.null func) (i32.const 0x7fffffff))))
  (func (export "store_table_grow") (result i32)
    (i32.store offset=3 (table.grow 0 (ref.null func) (i32.const 0x7fffffff)) (i32.const 1))
    (i32.const 7))
  ;; The value itself must read as -1 / 4294967295 everywhere.
  (func (export "grow_failed_as_i64") (result i64)
    (i64.extend_i32_u (memory.grow (i32.const 100000))))
  (func (export "grow_failed_is_minus_one") (result i32)
    (i32.eq (memory.grow (i32.const 100000)) (i32.const -1))))
