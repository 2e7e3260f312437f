(module
  (import "" "id_i32" (func $id_i32 (param i32) (result i32)))
  (import "" "neg_f32" (func $neg_f32 (param f32) (result f32)))
  (import "" "ten" (func $ten (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i64) (result f64 i32)))
  (import "" "wrong" (func $wrong (result i32)))
  (import "" "fails" (func $fails (param i64) (result i64)))
  (memory 1)
  (data (i32.const 16) "\2a\00\00\00")
  ;; 0: the host's i32 result as an address: whatever the callback left in
  ;; the upper half of its wasm_val_t must not reach the address.
  (func (export "load_host") (param i32) (result i32)
    (i32.load (call $id_i32 (local.get 0))))
  ;; 1: an i32 argument from the host as an address.
  (func (export "load_arg") (param i32) (result i32)
    (i32.load (local.get 0)))
  ;; 2: f32 both ways through the host, then its bits.
  (func (export "neg_bits") (param f32) (result i32)
    (i32.reinterpret_f32 (call $neg_f32 (local.get 0))))
  ;; 3: ten mixed arguments out to the host, two results back.
  (func (export "ten") (result f64 i32)
    (call $ten (i32.const -1) (i64.const -2) (f32.const 1.5) (f64.const -2.25)
               (i32.const 5) (i64.const 0x100000000) (f32.const -0.5) (f64.const 1e300)
               (i32.const 9) (i64.const 10)))
  ;; 4: seventeen arguments in (more than the fast call's slots).
  (func (export "sum17") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 16)))
  ;; 5, 6: host results of the wrong kind, and a host trap.
  (func (export "wrong") (result i32) (call $wrong))
  (func (export "fails") (param i64) (result i64) (call $fails (local.get 0)))
  ;; 7: f64 and i64 results from Wasm.
  (func (export "pair") (param f64 i64) (result i64 f64) (local.get 1) (local.get 0)))
