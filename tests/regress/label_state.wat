;; A label's merge state is decided by the first branch to it. An if without
;; else whose then-arm branched with a local in another register must move
;; it on the false edge too; a later branch and the fallthrough must match
;; the first branch's state; so must every arm of a br_table.
(module
  (func (export "if_edge") (param i32 i32) (result i32)
    (local $x i32)
    (local.set $x (local.get 0))                     ;; x in a register at the if
    (if (local.get 1)
      (then
        (local.set $x (i32.add (local.get 0) (i32.const 5)))  ;; x rebound
        (br_if 0 (i32.eq (local.get 1) (i32.const 1)))        ;; decides the label
        (local.set $x (i32.add (local.get $x) (i32.const 1)))))
    (local.get $x))                                  ;; false edge: x = p0
  (func (export "block_paths") (param i32) (result i32)
    (local $a i32) (local $b i32)
    (local.set $a (i32.const 1))
    (local.set $b (i32.const 2))
    (block $out
      (local.set $a (i32.const 10))                  ;; a rebound before the first branch
      (br_if $out (i32.eqz (local.get 0)))           ;; first branch: a = 10, b = 2
      (local.set $b (i32.const 20))
      (br_if $out (i32.eq (local.get 0) (i32.const 1)))  ;; a = 10, b = 20
      (local.set $a (i32.const 100)))                ;; fallthrough: a = 100, b = 20
    (i32.add (i32.mul (local.get $a) (i32.const 1000)) (local.get $b)))
  (func (export "table") (param i32) (result i32)
    (local $a i32)
    (local.set $a (i32.const 7))
    (block $b2
      (block $b1
        (block $b0
          (local.set $a (i32.add (local.get $a) (i32.const 1)))  ;; 8
          (br_table $b0 $b1 $b2 (local.get 0)))
        (local.set $a (i32.mul (local.get $a) (i32.const 10))))  ;; from b0: 80
      (local.set $a (i32.add (local.get $a) (i32.const 3))))     ;; from b0, b1: +3
    (local.get $a)))
