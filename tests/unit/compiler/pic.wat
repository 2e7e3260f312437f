;; Calls, indirect calls, helpers and traps: everything that used to embed an
;; absolute address or an engine-specific id in the code.
(module
  (type $ii (func (param i32) (result i32)))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $double $inc)
  (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func (export "run") (param i32) (result i32)
    (drop (memory.grow (i32.const 1)))
    (memory.fill (i32.const 0) (i32.const 7) (i32.const 16))
    (call $double (call $inc (local.get 0)))
    (call_indirect (type $ii) (i32.const 1))))
