;; A local loaded from its slot is kept in a register marked clean (its slot
;; still holds the value, so spilling it stores nothing). At a loop header
;; the back edge brings new values into the header's registers: they are
;; not clean there, or a call in the loop (which spills every register)
;; would leave the slot stale.
(module
  (func $id (param i32) (result i32) (local.get 0))
  (func (export "loop_call") (param $n i32) (result i32)
    (local $z0 i32) (local $z1 i32) (local $z2 i32) (local $z3 i32)  ;; these start in registers
    (local $x i32) (local $i i32)                                     ;; these in their slots
    (drop (i32.eqz (local.get $x)))     ;; x read from its slot: kept clean
    (loop $l
      (drop (call $id (local.get $i)))  ;; spills x
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $x))
  (func (export "const_set") (param $p i32) (result i32)
    (local $z0 i32) (local $z1 i32) (local $z2 i32) (local $z3 i32)
    (local $x i32)
    (drop (i32.eqz (local.get $x)))     ;; clean in a register
    (local.set $x (i32.const 42))       ;; written in place: no longer clean
    (drop (call $id (local.get $p)))    ;; spills x
    (local.get $x)))
