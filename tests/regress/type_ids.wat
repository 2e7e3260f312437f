;; Regression: signatures (f64)->() and ()->(f64) once shared a canonical
;; type id (0x7c, the f64 byte, is also '|'), so call_indirect accepted one
;; for the other.
(module
  (type $takes_f64 (func (param f64)))
  (type $gives_f64 (func (result f64)))
  (table 2 funcref)
  (elem (i32.const 0) $a $b)
  (func $a (param f64))
  (func $b (result f64) (f64.const 1.5))
  (func (export "call_b_as_gives") (result f64) (call_indirect (type $gives_f64) (i32.const 1)))
  (func (export "call_a_as_gives") (result f64) (call_indirect (type $gives_f64) (i32.const 0))))
