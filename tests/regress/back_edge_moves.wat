;; A loop whose closing br_if moves locals between registers (each
;; local.set rebinds its local to the new value's register): the moves run
;; on both paths, so the code after the loop must read the locals where the
;; header keeps them. Integer locals, a rotation (a move cycle), and a local
;; the loop leaves in memory (vector locals: back_edge_moves_simd.wat).
(module
  (func (export "rotate") (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $i i32)
    (local.set $a (i32.const 1)) (local.set $b (i32.const 2)) (local.set $c (i32.const 3))
    (loop $l
      ;; a, b, c = b, c, a + i (a cycle of three registers at the back edge)
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $a (i32.add (local.get $a) (local.get $i)))
      (local.set $a (local.get $a))
      (local.set $c (i32.xor (local.get $c) (i32.const 0)))
      (local.get $a) (local.set $a (local.get $b)) (local.set $b (local.get $c)) (local.set $c)
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    ;; after the loop: every local read where the header put it
    (i32.add (i32.mul (local.get $a) (i32.const 10000))
      (i32.add (i32.mul (local.get $b) (i32.const 100)) (local.get $c))))
)
