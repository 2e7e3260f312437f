;; Functions for call_bench: the cheapest possible callees.
(module
  (func (export "nop"))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
