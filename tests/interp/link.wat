;; One import of each kind (link_test.cc provides them, right or wrong).
(module
  (import "m" "f" (func $f (param i32) (result i32)))
  (import "m" "t" (table 2 10 funcref))
  (import "m" "mem" (memory 1 2))
  (import "m" "g" (global $g i32))
  (import "m" "gm" (global $gm (mut i64)))
  (func (export "call_f") (param i32) (result i32) (call $f (local.get 0)))
  (func (export "get_g") (result i32) (global.get $g))
  (func (export "get_gm") (result i64) (global.get $gm))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))
