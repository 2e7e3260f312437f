(module
  (import "" "hello" (func $hello (param i32) (result i32)))
  (func (export "run") (param i32) (result i32) (call $hello (local.get 0))))
