;; counter.wat: a shared counter, the kind of module wgi is built for.
;;
;; The memory is shared (threads proposal), so several threads can run
;; `add_many` at once against the same instance memory; the atomic
;; read-modify-write keeps the count exact however the threads interleave.
;; Built to build/examples/counter.wasm by examples/CMakeLists.txt.
(module $counter
  (memory $mem (export "memory") 1 1 shared)

  ;; Adds $n to the counter at address 0 and returns its previous value.
  (func $increment (export "increment") (param $n i32) (result i32)
    (i32.atomic.rmw.add (i32.const 0) (local.get $n)))

  ;; The current count.
  (func $get (export "get") (result i32)
    (i32.atomic.load (i32.const 0)))

  ;; Increments the counter $times times (at least once).
  (func $add_many (export "add_many") (param $times i32)
    (loop $again
      (drop (call $increment (i32.const 1)))
      (br_if $again
        (local.tee $times (i32.sub (local.get $times) (i32.const 1))))))

  ;; Single-threaded entry point: 1000 increments, then the count (1000).
  (func $main (export "main") (result i32)
    (call $add_many (i32.const 1000))
    (call $get)))
