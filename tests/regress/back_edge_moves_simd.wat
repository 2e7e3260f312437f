;; back_edge_moves.wat with vector locals: the closing br_if's moves run on
;; both paths, so the code after the loop reads the locals where the header
;; keeps them.
(module
  (func (export "vectors") (param $n i32) (result i32)
    (local $x v128) (local $y v128) (local $i i32)
    (local.set $x (v128.const i32x4 1 2 3 4))
    (local.set $y (v128.const i32x4 10 20 30 40))
    (loop $l
      (local.set $x (i32x4.add (local.get $x) (local.get $y)))
      (local.set $y (i32x4.sub (local.get $y) (v128.const i32x4 1 1 1 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.get $i) (local.get $n))))
    (i32.add (i32x4.extract_lane 0 (local.get $x)) (i32x4.extract_lane 3 (local.get $y))))
)
