;; One thread waiting on its own shared memory (tests/cli/deadlock_cli_test.cc):
;; forever (a deadlock: nobody else exists to notify it), or for 100 ms.
(module
  (memory 1 1 shared)
  (func $wait_forever (export "wait_forever") (result i32)
    (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1)))
  (func (export "wait_timed") (result i32)
    (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const 100000000)))
  (func (export "spin") (loop $l (br $l))))
