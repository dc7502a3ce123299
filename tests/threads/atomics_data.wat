;; An active data segment into an imported shared memory, for
;; tests/threads/atomics_test.cc: instantiating this module writes the
;; segment while other threads may be using the memory. Every byte is 1,
;; like every byte thread 0 of `racy_plain` (atomics.wat) writes.
(module
  (import "env" "memory" (memory 1 64 shared))
  (data (i32.const 1024)
    "\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01"
    "\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01"
    "\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01"
    "\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01\01"))
