;; A plain (non-threadlink) module on a shared memory, for
;; tests/trace/trace_run_test.cc.
;;   park()   memory.atomic.wait32 on a word nobody notifies, for 60 s: a
;;            hang (not a deadlock: the timeout would end it) that SIGINT
;;            must end sooner. (Without a timeout, the one thread waiting
;;            is a live deadlock, which wgi reports at once.)
(module
  (memory 1 1 shared)
  (func (export "park") (result i32)
    (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 60000000000))))
