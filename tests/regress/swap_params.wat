;; Regression: results read from parameters must survive the return area,
;; which overlaps the parameter slots (found when local.get stopped copying).
(module
  (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
  (func (export "rotate") (param i64 i64 i64) (result i64 i64 i64) (local.get 2) (local.get 0) (local.get 1)))
