;; SIMD: lane 0 of (1 2 3 4) + (5 6 7 8) is 6.
(module
  (func (export "f") (result i32)
    (i32x4.extract_lane 0 (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8)))))
