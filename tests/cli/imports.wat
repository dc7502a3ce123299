;; Imports the CLI cannot provide: linking fails (exit 1) naming the first.
(module
  (import "env" "log" (func $log (param i32 f64) (result i64)))
  (import "env" "mem" (memory 1 2))
  (func (export "f")))
