;; Instantiation traps in segment initialisation (instantiate_test.cc). The
;; first data segment fits in the imported memory, the second does not:
;; per Wasm 2.0 the first one's bytes stay written, and the start function
;; never runs.
(module
  (import "m" "mem" (memory 1))
  (import "m" "started" (global $started (mut i32)))
  (data (i32.const 0) "ok")
  (data (i32.const 65535) "xy")
  (func $start (global.set $started (i32.const 1)))
  (start $start))
