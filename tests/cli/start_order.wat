;; No --invoke: the start function runs, then _start, which checks that the
;; start function ran first (it traps otherwise).
(module
  (global $ready (mut i32) (i32.const 0))
  (func $init (global.set $ready (i32.const 1)))
  (start $init)
  (func (export "_start")
    (if (i32.ne (global.get $ready) (i32.const 1)) (then (unreachable))))
  (func (export "ready") (result i32) (global.get $ready)))
