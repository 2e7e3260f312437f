(module
  (import "host" "greet" (func $greet (param i32)))
  (func (export "run") (param $times i32)
    (loop $again
      (call $greet (local.get $times))
      (local.set $times (i32.sub (local.get $times) (i32.const 1)))
      (br_if $again (i32.gt_s (local.get $times) (i32.const 0))))))
