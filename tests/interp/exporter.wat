;; Exports exactly what link.wat imports (link_test.cc links the two).
(module
  (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 100)))
  (table (export "t") 2 10 funcref)
  (memory (export "mem") 1 2)
  (global (export "g") i32 (i32.const 7))
  (global (export "gm") (mut i64) (i64.const -3))
  (data (i32.const 16) "\2a"))
