;; _start is called when there is no --invoke; here it traps.
(module
  (func $work (param i32) (result i32) (i32.rem_u (i32.const 7) (local.get 0)))
  (func $_start (export "_start") (drop (call $work (i32.const 0)))))
