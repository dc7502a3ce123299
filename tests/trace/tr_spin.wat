;; A plain (non-threadlink) module for tests/trace/trace_run_test.cc.
;;   sum(n)   stores i at 4*(i % 64) for i < n and returns the sum of the
;;            values loaded back: 2n events under --trace
;;   spin()   the same forever: only SIGINT ends it
(module
  (memory 1)
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.shl (i32.and (local.get $i) (i32.const 63)) (i32.const 2)) (local.get $i))
        (local.set $s (i32.add (local.get $s)
          (i32.load (i32.shl (i32.and (local.get $i) (i32.const 63)) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $s))
  (func (export "spin")
    (local $i i32)
    (loop $forever
      (i32.store (i32.shl (i32.and (local.get $i) (i32.const 63)) (i32.const 2)) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $forever))))
