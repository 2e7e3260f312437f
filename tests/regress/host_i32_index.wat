;; i32 values from the host (a host function's result, a global the host
;; set) used as addresses: -1 must trap with offset 16 rather than reach
;; byte 15, whatever bits the host put in the upper half of its 8-byte slot.
(module
  (import "host" "minus_one" (func $minus_one (result i32)))
  (import "host" "g" (global $g i32))
  (memory (export "memory") 1)
  (func (export "load_host_result") (result i32)
    (i32.load offset=16 (call $minus_one)))
  (func (export "load_host_global") (result i32)
    (i32.load offset=16 (global.get $g)))
  (func (export "host_result_as_i64") (result i64)
    (i64.extend_i32_u (call $minus_one))))
