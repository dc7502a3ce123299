;; Atomics on an ordinary (unshared) memory (tests/threads/atomics_test.cc):
;; they are valid, wait traps "expected shared memory" and notify wakes
;; nobody and returns 0.
(module
  (memory 1 1)

  (func (export "add_i32") (param $addr i32) (param $v i32) (result i32)
    (i32.atomic.rmw.add (local.get $addr) (local.get $v)))

  (func (export "wait32") (param $addr i32) (param $expected i32) (param $timeout i64) (result i32)
    (memory.atomic.wait32 (local.get $addr) (local.get $expected) (local.get $timeout)))

  (func (export "wait64") (param $addr i32) (param $expected i64) (param $timeout i64) (result i32)
    (memory.atomic.wait64 (local.get $addr) (local.get $expected) (local.get $timeout)))

  (func (export "notify") (param $addr i32) (param $count i32) (result i32)
    (memory.atomic.notify (local.get $addr) (local.get $count)))
)
