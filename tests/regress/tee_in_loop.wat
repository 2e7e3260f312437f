;; Regression guard: local.tee leaves a reference to the local; a later
;; local.set of the same local must not change the value already on the stack.
(module
  (func (export "tee_then_set") (param i32) (result i32)
    (local $x i32)
    (local.tee $x (local.get 0))     ;; stack: x (= p)
    (local.set $x (i32.const 100))   ;; x changes; the stack value must not
    (local.get $x)
    i32.add)                          ;; p + 100
  (func (export "count") (param i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (local.tee $i (i32.add (local.get $i) (i32.const 1)))))
      (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
    (local.get $s)))
