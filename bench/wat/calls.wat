;; Call microbenchmarks: a loop whose body is one call. Each loop export
;; takes an iteration count n >= 1. "entry" is for timing one host -> Wasm
;; invocation (Thread::invoke) on its own.

(module
  (import "bench" "host_add" (func $host_add (param i32 i32) (result i32)))

  (func $nop)
  (func $add3 (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.add (i32.add (local.get $a) (local.get $b)) (local.get $c)))
  ;; A callee with a larger frame: 8 locals zeroed on every call.
  (func $locals8 (param $a i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64)
    (i32.add (local.get $a) (i32.const 1)))

  (func (export "entry") (result i32) (i32.const 1))

  (func (export "call_void") (param $n i32) (result i32)
    (loop $l
      (call $nop)
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $n))

  (func (export "call_args") (param $n i32) (result i32)
    (local $x i32)
    (loop $l
      (local.set $x (call $add3 (local.get $x) (local.get $n) (i32.const 7)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))

  (func (export "call_locals") (param $n i32) (result i32)
    (local $x i32)
    (loop $l
      (local.set $x (call $locals8 (local.get $x)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))

  ;; Recursion depth n (one call per level), summing on the way back: the
  ;; value stack and the return records grow and shrink with the depth.
  (func $down (export "recurse") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $down (i32.sub (local.get $n) (i32.const 1))) (local.get $n)))))

  (func (export "call_host") (param $n i32) (result i32)
    (local $x i32)
    (loop $l
      (local.set $x (call $host_add (local.get $x) (local.get $n)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))
)
