;; A plain (non-threadlink) module on a shared memory, for
;; tests/trace/trace_run_test.cc.
;;   park()   memory.atomic.wait32 on a word nobody notifies, with no
;;            timeout: only SIGINT ends it
(module
  (memory 1 1 shared)
  (func (export "park") (result i32)
    (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
