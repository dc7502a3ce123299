;; Function imports nothing provides, for --trap-unknown-imports: "ok" runs
;; without calling them; "call_log" calls one and traps, naming it.
(module
  (import "env" "log" (func $log (param i32) (result i32)))
  (import "env" "never_called" (func (param f64)))
  (func (export "ok") (result i32) (i32.const 7))
  (func $inner (result i32) (call $log (i32.const 1)))
  (func (export "call_log") (result i32) (call $inner)))
