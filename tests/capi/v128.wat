(module
  (func (export "vec") (result v128) (v128.const i32x4 1 2 3 4))
  (func (export "lane") (param v128) (result i32) (i32x4.extract_lane 2 (local.get 0))))
