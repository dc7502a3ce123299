(module
  (import "spectest" "global_i32" (global $g (mut i32)))
  (func (export "f") (result i32) (global.get $g)))
