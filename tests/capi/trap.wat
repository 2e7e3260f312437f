(module
  (func $callback (import "" "callback") (result i32))
  (func (export "callback") (result i32) (call $callback))
  (func $inner (result i32) (unreachable))
  (func $middle (export "unreachable") (result i32) (call $inner)))
