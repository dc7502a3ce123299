;; A start function that traps two calls deep (instantiate_test.cc).
(module
  (func $fail (i32.div_s (i32.const 1) (i32.const 0)) (drop))
  (func $start (call $fail))
  (start $start)
  (func (export "f") (result i32) (i32.const 1)))
